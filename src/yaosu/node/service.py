"""Actions on vault datasets: add (ingest), get, list, read, verify. Only the owning party and the operator see one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.auth.service import require_active_party
from yaosu.errors import Invalid, NotFound
from yaosu.ids import new_id
from yaosu.ledger import Event, append
from yaosu.node.content import SCHEME
from yaosu.node.models import Dataset
from yaosu.node.readers import BATCH_ROWS, TableSource, open_source
from yaosu.node.vault import Progress, StoredFile, Vault

INGESTERS = frozenset({Role.PROVIDER, Role.MERCHANT, Role.TRUSTEE, Role.OPERATOR})
_PENDING = "yaosu.vault.pending_files"


def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _remove_pending(session: Session, transaction: SessionTransaction) -> None:
    """After the outermost transaction rolls back, delete the files published in it (no row, no file)."""
    if transaction.parent is None:
        for path in session.info.pop(_PENDING, []):
            Path(path).unlink(missing_ok=True)


def _track_until_commit(session: Session, path: Path) -> None:
    """Delete `path` if the session's transaction rolls back; keep it once it commits."""
    if not event.contains(session, "after_commit", _forget_pending):
        event.listen(session, "after_commit", _forget_pending)
        event.listen(session, "after_soft_rollback", _remove_pending)
    session.info.setdefault(_PENDING, []).append(str(path))


def _insert(session: Session, actor: Actor, stored: StoredFile, name: str, source: str, key_id: str,
            owner_party_id: str) -> Dataset:
    fields = [{"name": f.name, "type": str(f.type)} for f in stored.schema]
    row = Dataset(id=stored.dataset_id, owner_party_id=owner_party_id, name=name[:200], source=source[:500],
                  content_hash=stored.content_hash, hash_scheme=SCHEME, schema_fields=fields,
                  row_count=stored.rows, byte_size=stored.byte_size, master_key_id=key_id,
                  created_by_user_id=actor.user_id)
    session.add(row)
    session.flush()
    append(session, actor, Event("dataset.added", "dataset", row.id,
                                 {"name": row.name, "content_hash": row.content_hash, "hash_scheme": SCHEME,
                                  "rows": row.row_count, "columns": len(fields), "schema": fields,
                                  "byte_size": row.byte_size, "source": row.source}))
    return row


@action("dataset.add", roles=INGESTERS)
def add_dataset(*, session: Session, actor: Actor, vault: Vault, location: str, table: str | None = None,
                name: str | None = None, progress: Progress | None = None) -> Dataset:
    """Ingest a file or database table into the vault, encrypted, as a dataset owned by the actor's party."""
    require_active_party(session, actor.party_id, field="actor")
    if name is not None and not name.strip():
        raise Invalid("名称不能为空 / the name must not be blank", field="name")
    source = open_source(location, table=table)
    return store_dataset(session, actor, vault, source, (name or source.name).strip(), progress=progress)


def store_dataset(session: Session, actor: Actor, vault: Vault, source: TableSource, name: str, *,
                  owner_party_id: str | None = None, progress: Progress | None = None) -> Dataset:
    """Encrypt `source` into the vault and insert its row (internal: callers are actions that authorized).

    All or nothing: the file is moved into place only with the row, and removed if the transaction rolls back.
    """
    stored = vault.write(new_id(), source, progress)
    try:
        row = _insert(session, actor, stored, name, source.description, vault.crypto.master.key_id,
                      owner_party_id or actor.party_id)
        _track_until_commit(session, vault.publish(stored))
    except BaseException:
        vault.discard(stored.dataset_id)
        raise
    return row


def _visible(actor: Actor, row: Dataset | None) -> bool:
    return row is not None and (actor.is_operator or (bool(actor.party_id) and row.owner_party_id == actor.party_id))


@action("dataset.get", roles=ANY_ROLE)
def get_dataset(*, session: Session, actor: Actor, dataset_id: str) -> Dataset:
    """One dataset's metadata, for its owning party or the operator (NotFound for anyone else)."""
    row = session.get(Dataset, dataset_id)
    if row is None or not _visible(actor, row):
        raise NotFound("没有这个数据集 / no such dataset", field="dataset_id")
    return row


@action("dataset.list", roles=ANY_ROLE)
def list_datasets(*, session: Session, actor: Actor, limit: int = 50, offset: int = 0) -> list[Dataset]:
    """Datasets of the actor's party (every party's for the operator), newest first."""
    stmt = select(Dataset).order_by(Dataset.created_at.desc(), Dataset.id.desc())
    if not actor.is_operator:
        stmt = stmt.where(Dataset.owner_party_id == actor.party_id)
    return list(session.scalars(stmt.limit(max(1, min(limit, 200))).offset(max(0, offset))))


@action("dataset.read", roles=ANY_ROLE)
def read_dataset(*, session: Session, actor: Actor, vault: Vault, dataset_id: str,
                 batch_rows: int = BATCH_ROWS) -> TableSource:
    """The dataset's rows decrypted, as a stream of record batches (owner or operator)."""
    row = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    if row.master_key_id != vault.crypto.master.key_id:
        raise Invalid(f"数据集由另一主密钥加密 / the dataset was encrypted under master key {row.master_key_id}, "
                      f"this node holds {vault.crypto.master.key_id}", field="master_key", code="vault_wrong_key")
    return vault.open(row.id, row.name, batch_rows)


@dataclass(frozen=True)
class Verification:
    """The outcome of re-reading a dataset: the recorded and the recomputed content hash."""

    dataset_id: str
    recorded: str
    computed: str

    @property
    def ok(self) -> bool:
        return self.recorded == self.computed


@action("dataset.verify", roles=ANY_ROLE)
def verify_dataset(*, session: Session, actor: Actor, vault: Vault, dataset_id: str) -> Verification:
    """Decrypt the whole stored file and recompute its content hash against the recorded one (owner or operator)."""
    row = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    read_dataset(session=session, actor=actor, vault=vault, dataset_id=dataset_id)  # key and presence checks
    return Verification(row.id, row.content_hash, vault.content_hash(row.id))


def dataset_summary(row: Dataset) -> dict[str, Any]:
    """The CLI's one-line facts about a dataset."""
    return {"id": row.id, "name": row.name, "rows": row.row_count, "columns": len(row.schema_fields),
            "content_hash": row.content_hash}
