"""dataset.add/get/list/read through the services: ledger event, visibility, and all-or-nothing ingest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Factory
from tests.node_files import ROWS, SECRET, write_delimited, write_xlsx
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.db.engine import unit_of_work
from yaosu.errors import Forbidden, Invalid, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.node import service
from yaosu.node.content import ROW_GROUP_ROWS
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime


@pytest.fixture
def vault(runtime: Runtime) -> Vault:
    return Vault.for_data_dir(runtime.data_dir)


def _files(vault: Vault) -> list[str]:
    return sorted(p.name for p in vault.root.rglob("*") if p.is_file()) if vault.root.exists() else []


def _add(session: Session, actor: Actor, vault: Vault, location: Path | str, **kw: object) -> Dataset:
    return service.add_dataset(session=session, actor=actor, vault=vault, location=str(location), **kw)


def test_provider_adds_a_gbk_csv_and_the_ledger_records_hash_and_schema(
        session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    rows = [*ROWS, {"姓名": SECRET, "年龄": 1, "城市": "深圳", "收入": 1.0}]
    seen: list[int] = []
    ds = _add(session, provider, vault, write_delimited(tmp_path / "客户.csv", rows, delimiter=";", encoding="gbk"),
              name="客户名单", progress=seen.append)
    assert (ds.owner_party_id, ds.name, ds.row_count) == (provider.party_id, "客户名单", 5)
    assert [f["name"] for f in ds.schema_fields] == ["姓名", "年龄", "城市", "收入"]
    assert "gb18030" in ds.source and ds.byte_size == vault.path_for(ds.id).stat().st_size
    assert seen == [5] and ds.master_key_id == vault.crypto.master.key_id
    event = session.scalars(select(LedgerEvent).where(LedgerEvent.subject_id == ds.id)).one()
    payload = json.loads(event.payload)
    assert event.type == "dataset.added" and event.actor_party_id == provider.party_id
    assert payload["content_hash"] == ds.content_hash == vault.content_hash(ds.id)
    assert (payload["rows"], payload["columns"]) == (5, 4)
    assert SECRET not in event.payload and "张三" not in event.payload  # never values


def test_only_the_owner_and_the_operator_see_a_dataset(
        session: Session, factory: Factory, operator: Actor, vault: Vault, tmp_path: Path) -> None:
    owner, other = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    ds = _add(session, owner, vault, write_xlsx(tmp_path / "t.xlsx"))
    regulator = factory.actor(Role.REGULATOR)
    for actor in (owner, operator):
        assert service.get_dataset(session=session, actor=actor, dataset_id=ds.id).id == ds.id
        assert ds.id in [d.id for d in service.list_datasets(session=session, actor=actor)]
        source = service.read_dataset(session=session, actor=actor, vault=vault, dataset_id=ds.id)
        assert [r for b in source.batches for r in b.to_pylist()] == ROWS
    for actor in (other, regulator):
        with pytest.raises(NotFound):
            service.get_dataset(session=session, actor=actor, dataset_id=ds.id)
        with pytest.raises(NotFound):
            service.read_dataset(session=session, actor=actor, vault=vault, dataset_id=ds.id)
        assert ds.id not in [d.id for d in service.list_datasets(session=session, actor=actor)]


def test_a_buyer_may_not_ingest(session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        _add(session, factory.actor(Role.BUYER), vault, write_delimited(tmp_path / "t.csv"))
    assert _files(vault) == []


def _sqlite_with_bad_value_at(path: Path, row: int, rows: int) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER, s TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)",
                         (("not a number" if i == row else i, f"v{i}") for i in range(rows)))
    return f"sqlite:///{path}"


def test_failure_injected_mid_stream_leaves_no_file_and_no_row(
        session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    url = _sqlite_with_bad_value_at(tmp_path / "bad.db", row=ROW_GROUP_ROWS * 2 + 5, rows=ROW_GROUP_ROWS * 3)
    seen: list[int] = []
    with pytest.raises(Invalid) as err:
        _add(session, provider, vault, url, table="t", progress=seen.append)
    assert err.value.code == "mixed_types"
    assert seen == [ROW_GROUP_ROWS, ROW_GROUP_ROWS * 2]  # two row groups were written before the failure
    assert _files(vault) == []
    assert session.scalars(select(Dataset)).all() == []


def test_bad_input_leaves_nothing(session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    (tmp_path / "r.csv").write_bytes(b"a,b\n1,2\n3,4,5\n")
    (tmp_path / "e.csv").write_bytes(b"")
    for path, code in ((tmp_path / "r.csv", "ragged_rows"), (tmp_path / "e.csv", "empty_file")):
        with pytest.raises(Invalid) as err:
            _add(session, provider, vault, path)
        assert err.value.code == code
    assert _files(vault) == [] and session.scalars(select(Dataset)).all() == []


def test_rollback_after_ingest_removes_the_file(
        sessions: sessionmaker[Session], session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    session.commit()
    with pytest.raises(RuntimeError, match="after the ingest"), unit_of_work(sessions) as work:
        ds = _add(work, provider, vault, write_delimited(tmp_path / "t.csv"))
        assert vault.path_for(ds.id).is_file()
        raise RuntimeError("something failed after the ingest, in the same unit of work")
    assert _files(vault) == []
    with unit_of_work(sessions) as work:
        assert work.scalars(select(Dataset)).all() == []
        kept = _add(work, provider, vault, write_delimited(tmp_path / "t.csv"))
    work.rollback()  # a later rollback must not touch a committed dataset
    assert vault.path_for(kept.id).is_file()


def test_blank_name_is_refused(session: Session, factory: Factory, vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(Invalid):
        _add(session, factory.actor(Role.PROVIDER), vault, write_delimited(tmp_path / "t.csv"), name="  ")
