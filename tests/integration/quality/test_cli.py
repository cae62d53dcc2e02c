"""`yaosu quality`: the JSON shape, the HTML report, refused rules and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from tests.unit.quality.tables import id_number
from yaosu.cli.main import app

DIMENSIONS = {"normativity", "completeness", "accuracy", "consistency", "timeliness", "accessibility"}


def table_file(tmp_path: Path) -> tuple[Path, list[str]]:
    ids = [id_number("310104", "19800101", i) for i in range(1, 41)]
    ids[5] = ids[5][:-1] + ("0" if ids[5][-1] != "0" else "1")
    table = pa.table({"身份证号": ids, "性别": ["男" if i % 2 else "女" for i in range(1, 41)],
                      "amount": [float(i) for i in range(40)]})
    path = tmp_path / "people.parquet"
    pq.write_table(table, path)
    return path, ids


def test_json_shape_and_scores(tmp_path: Path) -> None:
    path, _ = table_file(tmp_path)
    result = CliRunner().invoke(app, ["quality", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc["dimensions"]) == DIMENSIONS
    assert isinstance(doc["overall"], float) and 0 <= doc["overall"] <= 100
    assert len(doc["indicators"]) == 20
    standard = next(i for i in doc["indicators"] if i["code"] == "data_standard")
    assert (standard["a"], standard["b"]) == (39 + 40, 80)  # one broken ID check; 40 genders
    same = next(i for i in doc["indicators"] if i["code"] == "same_data_consistency")
    assert (same["a"], same["b"]) == (40, 40)  # a wrong check character leaves the sex digit readable


def test_html_report_is_self_contained_and_masks_examples(tmp_path: Path) -> None:
    path, ids = table_file(tmp_path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["quality", str(path), "--html", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "数据质量评价报告" in html
    assert not re.search(r"(?:src|href)=\"?https?:", html) and "<script" not in html
    assert ids[5] not in html and ids[5][:3] + "*" * 13 + ids[5][-2:] in html


def test_rule_reading_a_file_is_refused(tmp_path: Path) -> None:
    path, _ = table_file(tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: leak\n    expr: \"read_text('/etc/passwd') IS NOT NULL\"\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["quality", str(path), "--rules", str(rules), "--json"])
    assert result.exit_code == 2
    assert "rule refused" in result.output and "read_text may touch files" in result.output


def test_rule_writing_a_file_is_refused(tmp_path: Path) -> None:
    path, _ = table_file(tmp_path)
    target = tmp_path / "out.csv"
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"rules:\n  - id: leak\n    expr: \"amount > 0; COPY t TO '{target}'\"\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["quality", str(path), "--rules", str(rules)])
    assert result.exit_code == 2 and "rule refused" in result.output
    assert not target.exists()


def test_missing_file_and_half_given_signing_options(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["quality", str(tmp_path / "nope.parquet"), "--data-dir", str(tmp_path)])
    assert missing.exit_code == 2
    path, _ = table_file(tmp_path)
    half = runner.invoke(app, ["quality", str(path), "--record", "RES"])
    assert half.exit_code == 2 and "--key" in half.output


def test_vault_dataset_scores_like_its_file(tmp_path: Path) -> None:
    path, _ = table_file(tmp_path)
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "node")]
    assert runner.invoke(app, ["db", "upgrade", *data]).exit_code == 0
    added = runner.invoke(app, ["node", "add", str(path), *data, "--json"])
    assert added.exit_code == 0, added.output
    dataset_id = json.loads(added.stdout)["id"]
    from_vault = runner.invoke(app, ["quality", dataset_id, *data, "--json"])
    assert from_vault.exit_code == 0, from_vault.output
    from_file = json.loads(runner.invoke(app, ["quality", str(path), "--json"]).stdout)
    body = json.loads(from_vault.stdout)
    assert body["rows"] == 40 and body["dimensions"] == from_file["dimensions"]
    missing = runner.invoke(app, ["quality", "01J" + "0" * 22 + "Z", *data])  # a well-formed id stored nowhere
    assert missing.exit_code == 2 and "not_found" in missing.output
