"""`yaosu anonymize`: CSV and Parquet in and out, the report, and nothing written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.unit.privacy.anonymize.oracle import k_of, l_of
from yaosu.cli.main import app

DISTRICTS = ["浙江省杭州市西湖区", "浙江省杭州市上城区", "浙江省宁波市鄞州区", "北京市海淀区", "北京市朝阳区"]


def _input(tmp_path: Path, suffix: str, rows: int = 600) -> Path:
    table = pa.table({
        "id": list(range(rows)),
        "age": [18 + (i * 37) % 70 for i in range(rows)],
        "gender": ["M" if i % 3 else "F" for i in range(rows)],
        "district": [DISTRICTS[(i * 7) % 5] for i in range(rows)],
        "diagnosis": [["flu", "cold", "asthma"][(i * 11) % 3] for i in range(rows)],
    })
    path = tmp_path / f"people{suffix}"
    if suffix == ".csv":
        pacsv.write_csv(table, path)
    else:
        pq.write_table(table, path, row_group_size=128)
    return path


@pytest.mark.parametrize(("src", "dst"), [(".csv", ".csv"), (".parquet", ".parquet"), (".csv", ".parquet")])
def test_anonymize_file_round_trip(tmp_path: Path, src: str, dst: str) -> None:
    out = tmp_path / f"anon{dst}"
    result = CliRunner().invoke(app, ["anonymize", str(_input(tmp_path, src)), "--out", str(out), "--k", "10",
                                      "--qi", "age,gender,district", "--sensitive", "diagnosis", "--l", "2",
                                      "--hierarchy", "district=address", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["after"]["k"] >= 10 and report["before"]["k"] < 10
    published = (pq.read_table(out) if dst == ".parquet" else pacsv.read_csv(out)).to_pylist()
    assert len(published) == 600 - report["loss"]["suppressed_rows"]
    assert k_of(published, ["age", "gender", "district"]) >= 10
    assert l_of(published, ["age", "gender", "district"], "diagnosis") >= 2
    assert {r["id"] for r in published} <= set(range(600))  # untouched columns pass through


def test_human_report_and_given_hierarchy(tmp_path: Path) -> None:
    tree = tmp_path / "tree.csv"
    tree.write_text("\n".join(f"{d},{d[:6]},{d[:3]}" for d in DISTRICTS), encoding="utf-8")
    out = tmp_path / "anon.csv"
    result = CliRunner().invoke(app, ["anonymize", str(_input(tmp_path, ".csv")), "--out", str(out), "--k", "5",
                                      "--qi", "age,district", "--hierarchy", f"district={tree}", "--band", "age=10"])
    assert result.exit_code == 0, result.output
    assert "prosecutor max" in result.stdout and "GCP" in result.stdout and "journalist" in result.stdout
    ages = set(pacsv.read_csv(out).column("age").to_pylist())
    assert all(int(a.split("-")[0]) % 10 == 0 for a in ages)


@pytest.mark.parametrize(("args", "message"), [
    (["--k", "100000", "--qi", "age"], "k=100000"),
    (["--qi", "nope"], "nope"),
    (["--qi", "age", "--band", "age"], "NAME=VALUE"),
    (["--qi", "age", "--sensitive", "diagnosis", "--l", "4"], "l=4"),
], ids=["k-too-large", "unknown-column", "bad-band", "l-unreachable"])
def test_failures_exit_2_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "anon.csv"
    result = CliRunner().invoke(app, ["anonymize", str(_input(tmp_path, ".csv")), "--out", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "people.csv"]


def test_population_file_feeds_journalist_risk(tmp_path: Path) -> None:
    sample = _input(tmp_path, ".csv", rows=60)
    population = tmp_path / "population.parquet"
    big = pacsv.read_csv(sample)
    pq.write_table(pa.concat_tables([big] * 4), population)
    out = tmp_path / "anon.csv"
    result = CliRunner().invoke(app, ["anonymize", str(sample), "--out", str(out), "--k", "3", "--qi", "age,gender",
                                      "--population", str(population), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    before = report["risk_before"]
    assert before["population"] == "population"
    assert before["journalist_max"] == pytest.approx(before["prosecutor_max"] / 4)
    assert report["risk_after"]["population"] == "sample"
