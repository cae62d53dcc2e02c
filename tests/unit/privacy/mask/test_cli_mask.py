"""`yaosu mask`: CSV and Parquet out, keys, and nothing half-written on failure."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from yaosu.cli.main import app
from yaosu.privacy.mask import load_policy
from yaosu.privacy.mask.files import mask_file

CSV = ("name,id,city,note\n张三,11010519491231002X,北京市朝阳区建国路1号,a\n"
       "李四,440305199001011234,广东省深圳市南山区,b\n")
POLICY = """columns:
  name: {operator: tokenize, params: {prefix: NAME_}}
  id: {operator: partial_mask, params: {keep_first: 6, keep_last: 4}}
  city: {operator: generalize_address}
  note: {operator: drop}
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "in.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(POLICY, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["mask", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_mask_writes_output_and_a_private_key(work: Path, suffix: str) -> None:
    out = work / f"out{suffix}"
    code, output = run(str(work / "in.csv"), "--out", str(out), "--policy", str(work / "p.yaml"), "--json")
    assert code == 0, output
    summary = json.loads(output)
    key_file = Path(summary["key_file"])
    assert summary["rows"] == 2 and summary["key_generated"] and len(summary["policy_hash"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 32
    assert key_file.read_bytes().hex() not in output
    table = pq.read_table(out) if suffix == ".parquet" else pacsv.read_csv(out)
    assert table.column_names == ["name", "id", "city"]
    assert table.column("id").to_pylist() == ["110105********002X", "440305********1234"]
    assert table.column("city").to_pylist() == ["北京市朝阳区", "广东省深圳市南山区"]
    assert all(v.startswith("NAME_") for v in table.column("name").to_pylist())
    assert not list(work.glob(".out*"))


def test_same_key_file_gives_same_tokens(work: Path) -> None:
    key = work / "k.bin"
    key.write_bytes(bytes(range(40)))
    for name in ("a.csv", "b.csv"):
        code, output = run(str(work / "in.csv"), "--out", str(work / name), "--policy", str(work / "p.yaml"),
                           "--key-file", str(key))
        assert code == 0, output
    assert (work / "a.csv").read_bytes() == (work / "b.csv").read_bytes()
    assert not (work / "a.csv.key").exists()


@pytest.mark.parametrize(("policy", "message"), [
    ("columns:\n  nope: {operator: redact}\n", "nope"),
    ("columns:\n  id: {operator: partial_mask, params: {keep_first: x}}\n", "columns.id.params.keep_first"),
], ids=["unknown-column", "bad-param"])
def test_failures_leave_nothing_behind(work: Path, policy: str, message: str) -> None:
    (work / "bad.yaml").write_text(policy, encoding="utf-8")
    code, output = run(str(work / "in.csv"), "--out", str(work / "out.csv"), "--policy", str(work / "bad.yaml"))
    assert code == 2 and message in output
    assert sorted(p.name for p in work.iterdir()) == ["bad.yaml", "in.csv", "p.yaml"]


def test_refuses_short_key_existing_output_and_unknown_format(work: Path) -> None:
    (work / "short.key").write_bytes(b"x" * 16)
    code, output = run(str(work / "in.csv"), "--out", str(work / "o.csv"), "--policy", str(work / "p.yaml"),
                       "--key-file", str(work / "short.key"))
    assert code == 2 and "32" in output and not (work / "o.csv").exists()
    (work / "o.csv").write_text("keep me", encoding="utf-8")
    code, output = run(str(work / "in.csv"), "--out", str(work / "o.csv"), "--policy", str(work / "p.yaml"))
    assert code == 2 and (work / "o.csv").read_text(encoding="utf-8") == "keep me"
    code, output = run(str(work / "in.csv"), "--out", str(work / "o.txt"), "--policy", str(work / "p.yaml"))
    assert code == 2 and ".csv or .parquet" in output


def test_without_policy_the_scan_decides(work: Path) -> None:
    from stdnum.cn import ric
    bodies = [f"11010519{70 + i % 30:02d}0{1 + i % 9}1{i % 10}{i:03d}" for i in range(40)]
    ids = [b + ric.calc_check_digit(b + "0") for b in bodies]
    rows = [f"{i},{card},1381234{i:04d}" for i, card in enumerate(ids)]
    (work / "ids.csv").write_text("n,card,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, output = run(str(work / "ids.csv"), "--out", str(work / "auto.csv"))
    assert code == 0, output
    table = pacsv.read_csv(work / "auto.csv")
    assert not set(table.column("card").to_pylist()) & set(ids)
    assert all(p.startswith("138****") for p in table.column("phone").to_pylist())


def test_parquet_in_whole_input_suppression_and_fpe_round_trip(work: Path) -> None:
    import pyarrow as pa

    from yaosu.privacy.mask import Context
    from yaosu.privacy.mask.fpe import fpe_decrypt
    mobiles = [f"138{i:08d}" for i in range(200)]
    cities = ["北京市"] * 150 + ["拉萨市"] * 50
    pq.write_table(pa.table({"mobile": mobiles, "city": cities}), work / "in.parquet", row_group_size=64)
    (work / "q.yaml").write_text("columns:\n  mobile: {operator: fpe}\n"
                                 "  city: {operator: suppress, params: {threshold: 60}}\n", encoding="utf-8")
    key = work / "k.bin"
    key.write_bytes(bytes(range(32)))
    summary = mask_file(work / "in.parquet", work / "o.parquet", load_policy(work / "q.yaml"), key_file=key,
                        batch_rows=32)
    assert summary.rows == 200 and not summary.key_generated
    table = pq.read_table(work / "o.parquet")
    # counted over the whole file (50 拉萨市 < 60) though every batch holds only 32 rows
    assert table.column("city").to_pylist() == ["北京市"] * 150 + [None] * 50
    masked = table.column("mobile").combine_chunks()
    assert not set(masked.to_pylist()) & set(mobiles)
    assert fpe_decrypt(masked, {}, Context(key=key.read_bytes(), column="mobile")).to_pylist() == mobiles
