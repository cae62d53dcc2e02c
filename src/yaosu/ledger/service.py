"""`append` records an event as a Merkle leaf in the caller's transaction; actions read proofs and checkpoints."""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ids import new_id
from yaosu.keys import ExchangeKeys
from yaosu.ledger import merkle, note, tree
from yaosu.ledger.audit import LedgerReport, check_ledger
from yaosu.ledger.bundle import write_bundle
from yaosu.ledger.checkpoints import checkpoint_covering, issue_checkpoint, latest_checkpoint
from yaosu.ledger.models import LedgerCheckpoint, LedgerCosignature, LedgerEvent, event_document

AUDITORS = frozenset({Role.OPERATOR, Role.REGULATOR, Role.AUDITOR})
# When an adapter sets a list here, `append` adds each new leaf index to it (receipts on request).
APPENDED: ContextVar[list[int] | None] = ContextVar("yaosu_ledger_appended", default=None)


@dataclass(frozen=True)
class Event:
    """What happened: a dotted type (e.g. `right.granted`), its subject and a JSON payload."""

    type: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def document_json(document: dict[str, Any]) -> bytes:
    """RFC 8785 bytes of an event document, fast: its keys are ASCII and its values strings, integers or null,
    for which sorted compact `json.dumps` is exactly JCS (tests compare the two)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


_SAFE_INT = 2**53 - 1


def _plain(value: Any) -> bool:
    """True if `value` holds only values whose compact sorted `json.dumps` is already RFC 8785."""
    if value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _plain(v) for k, v in value.items())
    return False


def payload_json(payload: dict[str, Any]) -> bytes:
    """RFC 8785 bytes of an event payload: a fast path for plain values (no floats), `canonical_json` otherwise."""
    return document_json(payload) if _plain(payload) else canonical_json(payload)


def append(session: Session, actor: Actor | None, event: Event) -> int:
    """Record `event` by `actor` as the next Merkle leaf in the current transaction; return its leaf index."""
    seq = tree.locked_frontier(session).size + 1
    row = {"seq": seq, "id": new_id(), "type": event.type,
           "actor_party_id": actor.party_id if actor else None, "actor_user_id": actor.user_id if actor else None,
           "subject_type": event.subject_type, "subject_id": event.subject_id,
           "payload": payload_json(event.payload).decode(), "created_at": clock.now()}
    leaf = merkle.leaf_hash(document_json(event_document(row)))
    row["leaf_hash"] = leaf.hex()
    tree.add_leaf(session, leaf, row)
    sink = APPENDED.get()
    if sink is not None:
        sink.append(seq - 1)
    return seq - 1


def entry_json(row: LedgerEvent) -> dict[str, Any]:
    """An event as exported: its leaf index, the hashed document, the payload and the leaf hash."""
    return {"index": row.index, "document": row.document(), "payload": json.loads(row.payload),
            "leaf_hash": row.leaf_hash}


@dataclass(frozen=True)
class EntryProof:
    """A receipt: leaf `index` with its hash, an inclusion proof to the tree of `tree_size`, its checkpoint."""

    index: int
    leaf_hash: str
    tree_size: int
    root_hash: str
    proof: list[str]
    checkpoint: str | None
    entry: dict[str, Any] | None = None


def _may_read_entry(actor: Actor, row: LedgerEvent) -> bool:
    return actor.has(*AUDITORS) or (bool(actor.party_id) and actor.party_id == row.actor_party_id)


def build_receipt(session: Session, index: int, tree_size: int | None = None,
                  with_entry: bool = False) -> EntryProof:
    """The inclusion proof of leaf `index` to the checkpoint `tree_size` (default: the first covering it)."""
    row = session.get(LedgerEvent, index + 1)
    if row is None:
        raise NotFound(f"no ledger entry {index}", field="index")
    cp: LedgerCheckpoint | None
    if tree_size is None:
        cp = checkpoint_covering(session, index + 1)
        size = cp.size if cp is not None else tree.tree_size(session)
    else:
        size, cp = tree_size, session.get(LedgerCheckpoint, tree_size)
    proof = tree.prove_inclusion(session, index, size)
    root = tree.root_at(session, size) if cp is None else bytes.fromhex(cp.root_hash)
    return EntryProof(index=index, leaf_hash=row.leaf_hash, tree_size=size, root_hash=root.hex(),
                      proof=[p.hex() for p in proof], checkpoint=cosigned_note(session, cp) if cp else None,
                      entry=entry_json(row) if with_entry else None)


@action("ledger.proof", roles=ANY_ROLE, public=True)
def get_entry_proof(*, session: Session, actor: Actor, index: int, tree_size: int | None = None) -> EntryProof:
    """Leaf `index` with its inclusion proof (public); the event itself only for its party and auditors."""
    row = session.get(LedgerEvent, index + 1)
    return build_receipt(session, index, tree_size, with_entry=row is not None and _may_read_entry(actor, row))


@action("ledger.consistency", roles=ANY_ROLE, public=True)
def get_consistency(*, session: Session, actor: Actor, first: int, second: int) -> list[str]:
    """The consistency proof (hex hashes) between the trees of `first` and `second` leaves (public)."""
    return [p.hex() for p in tree.prove_consistency(session, first, second)]


@action("ledger.checkpoint", roles=ANY_ROLE, public=True)
def get_checkpoint(*, session: Session, actor: Actor) -> LedgerCheckpoint:
    """The latest signed checkpoint (public)."""
    cp = latest_checkpoint(session)
    if cp is None:
        raise NotFound("no checkpoint has been issued yet", field="checkpoint")
    return cp


@action("ledger.issue_checkpoint", roles={Role.OPERATOR})
def sign_checkpoint(*, session: Session, actor: Actor, keys: ExchangeKeys, origin: str) -> LedgerCheckpoint:
    """Sign a checkpoint of the current tree now (operator)."""
    return issue_checkpoint(session, keys, origin)


@action("ledger.export", roles=AUDITORS)
def export_bundle(*, session: Session, actor: Actor, directory: Path, keys: ExchangeKeys, origin: str) -> int:
    """Sign a checkpoint of the current tree, then write every entry and checkpoint to `directory`."""
    issue_checkpoint(session, keys, origin)
    lines: dict[int, str] = {}
    for size, line in session.execute(select(LedgerCosignature.size, LedgerCosignature.line)
                                      .order_by(LedgerCosignature.size, LedgerCosignature.witness)):
        lines[size] = lines.get(size, "") + line
    notes = [(int(s), str(n) + lines.get(s, "")) for s, n in session.execute(
        select(LedgerCheckpoint.size, LedgerCheckpoint.note).order_by(LedgerCheckpoint.size))]
    rows = session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq)).yield_per(2000)
    return write_bundle(directory, origin, (entry_json(r) for r in rows), notes)


@action("ledger.verify", roles=AUDITORS)
def verify_ledger(*, session: Session, actor: Actor, public_key: Ed25519PublicKey, origin: str,
                  witnesses: Mapping[str, Ed25519PublicKey] | None = None) -> LedgerReport:
    """Recompute the whole log against stored subtrees, signed checkpoints and, for the configured `witnesses`,
    their cosignatures (operator, regulator, auditor)."""
    return check_ledger(session, public_key, origin, witnesses)


def cosigned_note(session: Session, cp: LedgerCheckpoint) -> str:
    """The checkpoint's signed note followed by every witness cosignature stored for it."""
    lines = session.scalars(select(LedgerCosignature.line).where(LedgerCosignature.size == cp.size)
                            .order_by(LedgerCosignature.witness))
    return cp.note + "".join(lines)


COSIGNATURE_SKEW_S = 600  # a cosignature may not claim to be made later than this after now


def _witness_of(line: str) -> str:
    if not line.startswith(note.SIG_PREFIX) or line.count(" ") != 2:
        raise Invalid("a cosignature is one signature line: '— NAME BASE64'", field="line")
    return line.split(" ")[1]


@action("ledger.cosign", roles=AUDITORS)
def add_cosignature(*, session: Session, actor: Actor, size: int, line: str,
                    witnesses: Mapping[str, Ed25519PublicKey]) -> LedgerCosignature:
    """Store a configured witness's cosignature/v1 line over checkpoint `size` after checking it. Not a ledger
    event: a cosignature is evidence about the log, self-authenticating, kept in its own append-only table."""
    line = line.strip() + "\n"
    name = _witness_of(line.rstrip("\n"))
    key = witnesses.get(name)
    if key is None:
        raise Invalid(f"{name} is not a configured witness (YAOSU_LEDGER_WITNESSES)", field="line")
    cp = session.get(LedgerCheckpoint, size)
    if cp is None:
        raise NotFound(f"no checkpoint of size {size}", field="size")
    checked = note.verify_cosignature(cp.note + line, name, key)
    if checked is None:
        raise Invalid(f"the cosignature by {name} does not verify over checkpoint {size}", field="line")
    if checked[1] > clock.now().timestamp() + COSIGNATURE_SKEW_S:
        raise Invalid("the cosignature's timestamp lies in the future", field="line")
    if session.get(LedgerCosignature, (size, name)) is not None:
        raise Conflict(f"{name} has already cosigned checkpoint {size}", field="line")
    row = LedgerCosignature(size=size, witness=name, timestamp=checked[1], line=line, created_at=clock.now())
    session.add(row)
    session.flush()
    return row


@action("ledger.list_events", roles=AUDITORS)
def list_events(*, session: Session, actor: Actor, subject_id: str | None = None,
                limit: int = 100, offset: int = 0) -> list[LedgerEvent]:
    """Events newest first, optionally for one subject (operator, regulator or auditor)."""
    stmt = select(LedgerEvent).order_by(LedgerEvent.seq.desc()).limit(min(limit, 500)).offset(offset)
    if subject_id:
        stmt = stmt.where(LedgerEvent.subject_id == subject_id)
    return list(session.scalars(stmt))
