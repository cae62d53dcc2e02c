"""`yaosu node add/list/show` on a real data directory; bad input exits 2 with one bilingual line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.node_files import write_delimited, write_sqlite
from yaosu.cli.main import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "node"
    assert runner.invoke(app, ["db", "upgrade", "--data-dir", str(path)]).exit_code == 0
    return path


def test_add_list_show(data_dir: Path, tmp_path: Path) -> None:
    csv = write_delimited(tmp_path / "客户.csv", delimiter=";", encoding="gbk")
    added = runner.invoke(app, ["node", "add", str(csv), "--name", "客户", "--data-dir", str(data_dir)])
    assert added.exit_code == 0, added.output
    assert "ingested 4 rows" in added.stderr
    assert "rows 4  columns 4" in added.stdout and "content hash" in added.stdout
    db = write_sqlite(tmp_path / "crm.db")
    as_json = runner.invoke(app, ["node", "add", f"sqlite:///{db}", "--table", "customers", "--json",
                                  "--data-dir", str(data_dir)])
    summary = json.loads(as_json.stdout)
    assert (summary["rows"], summary["columns"], len(summary["content_hash"])) == (4, 4, 64)
    listed = json.loads(runner.invoke(app, ["node", "list", "--json", "--data-dir", str(data_dir)]).stdout)
    assert {d["name"] for d in listed} == {"客户", "customers"}
    shown = runner.invoke(app, ["node", "show", summary["id"], "--data-dir", str(data_dir)])
    detail = json.loads(shown.stdout)
    assert detail["source"].startswith("database table customers at sqlite:///")
    assert detail["content_hash"] == summary["content_hash"]


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"\x00\x01\x02garbage" * 1000, "g.csv", "binary_file"),
    (b"a,b\n1,2\n3,4,5\n", "r.csv", "ragged_rows"),
    (b"", "e.csv", "empty_file"),
    (b"PAR1\x15\x04", "t.parquet", "bad_parquet"),
])
def test_bad_input_exits_2_with_one_line_and_leaves_nothing(content: bytes, name: str, code: str,
                                                            data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(content)
    result = runner.invoke(app, ["node", "add", str(tmp_path / name), "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"error {code}" in lines[0] and " / " in lines[0]
    vault = data_dir / "vault"
    assert not vault.exists() or not any(p.is_file() for p in vault.rglob("*"))
    listed = runner.invoke(app, ["node", "list", "--json", "--data-dir", str(data_dir)])
    assert json.loads(listed.stdout) == []


def test_unknown_user_and_unknown_dataset_exit_2(data_dir: Path, tmp_path: Path) -> None:
    csv = write_delimited(tmp_path / "t.csv")
    nobody = runner.invoke(app, ["node", "add", str(csv), "--user", "nobody", "--data-dir", str(data_dir)])
    assert nobody.exit_code == 2 and "nobody" in nobody.stderr
    missing = runner.invoke(app, ["node", "show", "01J0000000000000000000000X", "--data-dir", str(data_dir)])
    assert missing.exit_code == 2 and "no such dataset" in missing.stderr


def test_verify_detects_a_dataset_file_swapped_for_another(data_dir: Path, tmp_path: Path) -> None:
    ids = []
    for i, city in enumerate(("北京", "上海")):
        csv = write_delimited(tmp_path / f"t{i}.csv", [{"城市": city, "n": i}])
        out = runner.invoke(app, ["node", "add", str(csv), "--json", "--data-dir", str(data_dir)])
        ids.append(json.loads(out.stdout)["id"])
    ok = runner.invoke(app, ["node", "verify", ids[0], "--data-dir", str(data_dir)])
    assert ok.exit_code == 0 and "intact" in ok.stdout
    vault = data_dir / "vault"
    (vault / f"{ids[1]}.parquet").replace(vault / f"{ids[0]}.parquet")  # a valid file under the wrong id
    bad = runner.invoke(app, ["node", "verify", ids[0], "--data-dir", str(data_dir)])
    assert bad.exit_code == 1 and "MISMATCH" in bad.stderr
    gone = runner.invoke(app, ["node", "verify", ids[1], "--data-dir", str(data_dir)])
    assert gone.exit_code == 2 and "vault_missing" in gone.stderr
