"""The vault encrypts at rest, reads back exactly what it stored, and leaves nothing behind on any failure."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.node_files import (
    ROWS,
    SECRET,
    typed_table,
    write_delimited,
    write_jsonl,
    write_parquet,
    write_sqlite,
    write_xlsx,
)
from yaosu.errors import Invalid
from yaosu.ids import new_id
from yaosu.node.content import ROW_GROUP_ROWS
from yaosu.node.crypto import MASTER_KEY_FILE
from yaosu.node.readers import TableSource, open_source
from yaosu.node.vault import Vault


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault.for_data_dir(tmp_path / "node")


def _store(vault: Vault, location: str, table: str | None = None) -> tuple[str, str]:
    dataset_id = new_id()
    stored = vault.write(dataset_id, open_source(location, table=table))
    vault.publish(stored)
    return dataset_id, stored.content_hash


def _read(vault: Vault, dataset_id: str, batch_rows: int = 65_536) -> list[dict[str, object]]:
    return [r for b in vault.open(dataset_id, batch_rows=batch_rows).batches for r in b.to_pylist()]


def _left_in(vault: Vault) -> list[str]:
    return sorted(p.name for p in vault.root.rglob("*") if p.is_file()) if vault.root.exists() else []


SOURCES = {
    "gbk-csv": lambda d: (str(write_delimited(d / "t.csv", delimiter=";", encoding="gbk")), None),
    "csv": lambda d: (str(write_delimited(d / "t.csv")), None),
    "tsv": lambda d: (str(write_delimited(d / "t.tsv", delimiter="\t")), None),
    "parquet": lambda d: (str(write_parquet(d / "t.parquet")), None),
    "jsonl": lambda d: (str(write_jsonl(d / "t.jsonl")), None),
    "xlsx": lambda d: (str(write_xlsx(d / "t.xlsx")), None),
    "sqlite": lambda d: (f"sqlite:///{write_sqlite(d / 't.db')}", "customers"),
}


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_round_trip_returns_exactly_the_rows(kind: str, vault: Vault, tmp_path: Path) -> None:
    location, table = SOURCES[kind](tmp_path)
    dataset_id, digest = _store(vault, location, table)
    assert _read(vault, dataset_id) == ROWS
    assert vault.content_hash(dataset_id) == digest
    assert _left_in(vault) == [f"{dataset_id}.parquet"]


def test_same_content_from_different_formats_has_one_hash(vault: Vault, tmp_path: Path) -> None:
    hashes = {_store(vault, *SOURCES[k](tmp_path))[1] for k in ("csv", "jsonl", "parquet", "sqlite")}
    assert len(hashes) == 1


def test_many_row_groups_round_trip_and_verify(vault: Vault, tmp_path: Path) -> None:
    n = ROW_GROUP_ROWS * 2 + 123
    rows = [{"id": i, "名称": None if i % 11 == 0 else f"行{i}"} for i in range(n)]
    dataset_id, digest = _store(vault, str(write_delimited(tmp_path / "big.csv", rows)))
    pf = pq.ParquetFile(vault.path_for(dataset_id), decryption_properties=vault.crypto.decryption_properties())
    assert [pf.metadata.row_group(i).num_rows for i in range(pf.num_row_groups)] == [ROW_GROUP_ROWS] * 2 + [123]
    assert _read(vault, dataset_id, batch_rows=10_000) == rows
    assert vault.content_hash(dataset_id) == digest


def test_stored_bytes_hide_values_and_column_names(vault: Vault, tmp_path: Path) -> None:
    rows = [{"客户姓名": SECRET, "note": "plain-marker-42"}] * 3
    dataset_id, _ = _store(vault, str(write_delimited(tmp_path / "s.csv", rows)))
    data = vault.path_for(dataset_id).read_bytes()
    assert data[:4] == b"PARE" and data[-4:] == b"PARE"  # Parquet with an encrypted footer
    for plain in (SECRET, "plain-marker-42", "客户姓名"):
        assert plain.encode() not in data
    with pytest.raises(OSError):
        pq.ParquetFile(vault.path_for(dataset_id)).read()  # unreadable without the key


def test_master_key_is_created_once_with_mode_0600(vault: Vault, tmp_path: Path) -> None:
    _store(vault, str(write_delimited(tmp_path / "t.csv")))
    key_file = vault.key_dir / MASTER_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    again = Vault.for_data_dir(vault.root.parent)
    assert again.crypto.master.key_id == vault.crypto.master.key_id
    assert key_file.read_bytes().hex() not in repr(again.crypto.master)
    assert repr(again.crypto.master) == f"MasterKey(key_id={vault.crypto.master.key_id!r})"


def test_wrong_master_key_is_a_clear_error(vault: Vault, tmp_path: Path) -> None:
    dataset_id, _ = _store(vault, str(write_delimited(tmp_path / "t.csv")))
    other = Vault(vault.root, tmp_path / "other-keys")  # same files, another node's master key
    with pytest.raises(Invalid) as err:
        _read(other, dataset_id)
    assert err.value.code == "vault_wrong_key"
    assert vault.crypto.master.key_id in err.value.message


def test_same_key_id_but_altered_wrapped_key_is_refused(vault: Vault, tmp_path: Path) -> None:
    wrapped = vault.crypto.master.wrap(os.urandom(32))
    raw = bytearray(wrapped.encode())
    raw[20] = ord("A") if raw[20] != ord("A") else ord("B")
    with pytest.raises(Invalid) as err:
        vault.crypto.master.unwrap(raw.decode(), vault.crypto.master.identifier)
    assert err.value.code == "vault_wrong_key"


@pytest.mark.parametrize("where", [0.05, 0.3, 0.5, 0.8, -30, -6])
def test_a_flipped_byte_is_detected(where: float, vault: Vault, tmp_path: Path) -> None:
    rows = [{"id": i, "v": f"值{i}"} for i in range(5_000)]
    dataset_id, _ = _store(vault, str(write_delimited(tmp_path / "t.csv", rows)))
    path = vault.path_for(dataset_id)
    data = bytearray(path.read_bytes())
    at = int(len(data) * where) if where > 0 else len(data) + int(where)
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(Invalid) as err:
        _read(vault, dataset_id)
    assert err.value.code in ("vault_corrupt", "vault_wrong_key")


def _failing_source(after_batches: int) -> TableSource:
    schema = pa.schema([pa.field("id", pa.int64()), pa.field("s", pa.string())])

    def batches() -> Iterator[pa.RecordBatch]:
        for i in range(after_batches):
            yield pa.record_batch({"id": list(range(i * 50_000, (i + 1) * 50_000)), "s": ["x"] * 50_000})
        raise Invalid("injected failure mid-stream", field="path")

    return TableSource("failing", schema, batches())


def test_failure_mid_stream_leaves_nothing(vault: Vault) -> None:
    with pytest.raises(Invalid, match="injected"):
        vault.write(new_id(), _failing_source(after_batches=3))  # 150k rows: two row groups already written
    assert _left_in(vault) == []


def test_ragged_row_deep_in_a_big_csv_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300_000 + b"3,4,5\n")
    with pytest.raises(Invalid) as err:
        vault.write(new_id(), open_source(str(path)))
    assert err.value.code == "ragged_rows"
    assert _left_in(vault) == []


def test_header_only_file_has_no_rows_and_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("a,b\n")
    with pytest.raises(Invalid) as err:
        vault.write(new_id(), open_source(str(tmp_path / "h.csv")))
    assert err.value.code == "no_rows"
    assert _left_in(vault) == []


def test_discard_and_missing_file(vault: Vault, tmp_path: Path) -> None:
    dataset_id, _ = _store(vault, str(write_delimited(tmp_path / "t.csv")))
    vault.discard(dataset_id)
    with pytest.raises(Invalid) as err:
        vault.open(dataset_id)
    assert err.value.code == "vault_missing"
    with pytest.raises(Invalid):
        vault.path_for("../../etc/passwd")


def test_copy_of_vault_with_its_key_reads_back(vault: Vault, tmp_path: Path) -> None:
    dataset_id, _ = _store(vault, str(write_delimited(tmp_path / "t.csv")))
    shutil.copytree(vault.root.parent, tmp_path / "restored")
    assert _read(Vault.for_data_dir(tmp_path / "restored"), dataset_id) == ROWS


def test_every_type_family_round_trips_and_verifies(vault: Vault) -> None:
    table = typed_table()
    stored = vault.write(new_id(), TableSource("typed", table.schema, iter(table.to_batches(max_chunksize=77))))
    vault.publish(stored)
    back = pa.Table.from_batches(list(vault.open(stored.dataset_id).batches))
    assert back.schema.names == table.schema.names
    assert back.equals(table.cast(back.schema))  # seconds stored as milliseconds, date64 as date32
    assert back.schema.field("ts_s").type == pa.timestamp("ms")
    assert vault.content_hash(stored.dataset_id) == stored.content_hash
