"""`yaosu scan PATH`: the exact JSON shape, the table, the HTML report, operator rules and clear errors."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.unit.privacy.test_classify import id_cards, mobiles
from yaosu.cli.main import app

runner = CliRunner()
EXAMPLE = Path(__file__).parents[3] / "src/yaosu/privacy/rules/examples/important-data.example.yaml"
COLUMN_KEYS = {"name": str, "entity": (str, type(None)), "category": (str, type(None)),
               "level": (int, type(None)), "sensitive": bool, "confidence": float, "match_ratio": float,
               "embedded": dict}


def people(rows: int = 1200) -> pa.Table:
    rng = random.Random(5)
    cards = [f"622202{rng.randint(0, 10**9 - 1):09d}" for _ in range(rows)]
    from stdnum import luhn
    return pa.table({
        "身份证号": id_cards(rows, rng), "remark": mobiles(rows, rng),
        "card": [c + luhn.calc_check_digit(c) for c in cards],
        "amount": [rng.random() for _ in range(rows)], "city": [rng.choice(["北京", "上海"]) for _ in range(rows)],
    })


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    path = tmp_path / "people.parquet"
    pq.write_table(people(), path, row_group_size=500)
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["scan", *args])


def test_json_has_exactly_the_promised_keys_and_types(parquet: Path) -> None:
    result = invoke(str(parquet), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert list(body) == ["dataset", "rows", "columns", "classification", "grade"]
    assert body["dataset"] == "people.parquet" and body["rows"] == 1200
    assert isinstance(body["rows"], int) and not isinstance(body["rows"], bool)
    for column in body["columns"]:
        assert list(column) == list(COLUMN_KEYS)
        for key, kind in COLUMN_KEYS.items():
            assert isinstance(column[key], kind), (key, column[key])
    by_name = {c["name"]: c for c in body["columns"]}
    assert by_name["身份证号"]["entity"] == "CN_ID_CARD" and by_name["身份证号"]["level"] == 3
    assert by_name["remark"]["entity"] == "CN_MOBILE" and by_name["remark"]["category"] == "个人基本资料"
    assert by_name["card"]["entity"] == "CN_BANK_CARD" and by_name["card"]["sensitive"] is True
    assert by_name["city"]["entity"] is None and by_name["city"]["level"] is None
    assert (body["classification"], body["grade"]) == ("personal", "general-4")


def test_table_output_names_rules(parquet: Path) -> None:
    result = invoke(str(parquet))
    assert result.exit_code == 0, result.output
    assert "CN_BANK_CARD" in result.stdout and "ent.bank_card" in result.stdout
    assert "general-4 (lvl.sensitive_pi)" in result.stdout and "personal (cls.personal)" in result.stdout


def test_html_report_is_self_contained_with_charts(parquet: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = invoke(str(parquet), "--html", str(target), "--json")
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "<rect" in html and "CN_BANK_CARD" in html
    assert "<script" not in html and "<link" not in html
    assert set(re.findall(r"https?://[^\"' ]+", html)) == {"http://www.w3.org/2000/svg"}
    assert not list(tmp_path.glob("*.partial"))


def test_csv_and_operator_rules_file(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    pacsv.write_csv(people(600), path)
    strict = tmp_path / "strict.yaml"
    strict.write_text("name: strict\nversion: '1'\ngrades:\n"
                      "  - {id: imp.any_id, when: {entities_any: [CN_ID_CARD]}, result: important}\n", encoding="utf-8")
    result = invoke(str(path), "--json", "--rules", str(strict), "--rules", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["grade"] == "important" and body["rows"] == 600


@pytest.mark.parametrize(("name", "content", "message"), [
    pytest.param("bad.parquet", None, r"error not_found \[path\]: .*no such file", id="missing"),
    pytest.param("bad.parquet", b"PAR1" + bytes(range(256)) * 4, r"error bad_parquet \[path\]", id="garbage-parquet"),
    pytest.param("bad.xls", b"x", r"error unsupported_format \[path\]", id="unsupported-format"),
    pytest.param("bad.csv", b"", r"error empty_file \[path\]", id="empty-csv"),
    pytest.param("bad.csv", bytes(range(256)) * 64, r"error binary_file \[path\]", id="binary-garbage-csv"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    """The reader's errors (bilingual, with their own codes) reach the user as one line and exit 2."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = invoke(str(path), "--json")
    assert result.exit_code == 2
    assert re.search(message, result.stderr) and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_bad_rules_file_exits_2(parquet: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: '1'\nlevels: [{id: l.x, level: 9}]\n", encoding="utf-8")
    result = invoke(str(parquet), "--rules", str(bad))
    assert result.exit_code == 2 and "levels.0.level" in result.stderr


def test_resource_scan_records_the_report(tmp_path: Path) -> None:
    """`yaosu resource scan ID FILE --as HOLDER` scans the file and records the report on the resource."""
    from tests.factories import Factory
    from yaosu.auth.models import User
    from yaosu.auth.roles import Role
    from yaosu.bootstrap import setup
    from yaosu.cli.context import make_runtime
    from yaosu.db.engine import unit_of_work
    from yaosu.resources.scan_service import latest_scan
    from yaosu.runtime import system_actor

    data_dir = tmp_path / "exchange"
    runtime = make_runtime(data_dir)
    try:
        setup(runtime)
        with unit_of_work(runtime.sessions) as session:
            factory = Factory(session=session, operator=system_actor(session))
            holder = factory.actor(Role.PROVIDER)
            resource_id = factory.resource(holder).id
            user = session.get(User, holder.user_id)
            assert user is not None
            username = user.username
    finally:
        runtime.dispose()
    table = tmp_path / "people.parquet"
    pq.write_table(people(1000), table)
    args = ["resource", "scan", resource_id, str(table), "--data-dir", str(data_dir), "--json"]
    result = runner.invoke(app, [*args, "--as", username])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["version"], out["classification"], out["grade"]) == (1, "personal", "general-4")
    runtime = make_runtime(data_dir)
    try:
        with unit_of_work(runtime.sessions) as session:
            scan = latest_scan(session, resource_id)
            assert scan is not None and scan.id == out["scan_id"] and scan.rows == 1000
    finally:
        runtime.dispose()
    added = runner.invoke(app, ["node", "add", str(table), "--data-dir", str(data_dir), "--as", username, "--json"])
    assert added.exit_code == 0, added.output
    again = runner.invoke(app, ["resource", "scan", resource_id, "--dataset", json.loads(added.stdout)["id"],
                                "--data-dir", str(data_dir), "--as", username, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["scan_id"] != out["scan_id"] and json.loads(again.stdout)["grade"] == "general-4"
    wrong = runner.invoke(app, ["resource", "scan", resource_id, str(tmp_path / "missing.parquet"),
                                "--data-dir", str(data_dir), "--as", username])
    assert wrong.exit_code == 2 and "no such file" in wrong.stderr


def test_declared_public_without_pi_is_public(tmp_path: Path) -> None:
    path = tmp_path / "stations.parquet"
    pq.write_table(pa.table({"station": ["北京南", "上海虹桥"] * 50, "passengers": list(range(100))}), path)
    plain = json.loads(invoke(str(path), "--json").stdout)
    declared = json.loads(invoke(str(path), "--json", "--declared", "public").stdout)
    assert (plain["classification"], declared["classification"]) == ("enterprise", "public")
    assert invoke(str(path), "--declared", "secret").exit_code == 2


def test_scan_a_vault_dataset_by_id(tmp_path: Path, parquet: Path) -> None:
    """`yaosu scan --dataset ID` decrypts the stored dataset batch by batch: same verdicts as the file."""
    data_dir = tmp_path / "node"
    assert runner.invoke(app, ["db", "upgrade", "--data-dir", str(data_dir)]).exit_code == 0
    added = runner.invoke(app, ["node", "add", str(parquet), "--data-dir", str(data_dir), "--json"])
    assert added.exit_code == 0, added.output
    dataset_id = json.loads(added.stdout)["id"]
    from_vault = invoke("--dataset", dataset_id, "--data-dir", str(data_dir), "--json")
    assert from_vault.exit_code == 0, from_vault.output
    from_file = json.loads(invoke(str(parquet), "--json").stdout)
    body = json.loads(from_vault.stdout)
    assert body["rows"] == 1200 and body["columns"] == from_file["columns"]
    assert (body["classification"], body["grade"]) == ("personal", "general-4")
    missing = invoke("--dataset", "01NOSUCHDATASET00000000000", "--data-dir", str(data_dir))
    assert missing.exit_code == 2 and "not_found" in missing.stderr


@pytest.mark.parametrize("args", [pytest.param([], id="neither"), pytest.param(["x.parquet", "--dataset", "d"],
                                                                               id="both")])
def test_path_or_dataset_but_not_both(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and "give either PATH or --dataset ID" in result.stderr
