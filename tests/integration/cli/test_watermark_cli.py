"""`yaosu fingerprint` then `yaosu trace --json` on the demonstration exchange: the leak is named, the key is not."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
from openpyxl import Workbook
from typer.testing import CliRunner

from tests.integration.watermark.conftest import sales_table
from yaosu.cli.main import app
from yaosu.watermark.keys import node_watermark_secret

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _write_xlsx(path: Path, csv_path: Path, rows: int) -> None:
    table = pacsv.read_csv(csv_path).slice(0, rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("泄露")
    sheet.append(table.column_names)
    for row in zip(*(table.column(n).to_pylist() for n in table.column_names), strict=True):
        sheet.append(list(row))
    book.save(path)


def test_fingerprint_then_trace_names_the_recipient(tmp_path: Path) -> None:
    data = tmp_path / "exchange"
    d = ("--data-dir", str(data))
    assert _run("demo", *d)[0] == 0
    with sqlite3.connect(data / "yaosu.db") as db:
        parties = dict(db.execute("SELECT username, party_id FROM app_user").fetchall())
        resource_id, = db.execute("SELECT id FROM resource WHERE holder_party_id = ?",
                                  (parties["provider"],)).fetchone()
    spec = tmp_path / "product.json"
    spec.write_text(json.dumps({"title": "门店销售明细", "kind": "dataset", "sources": [resource_id],
                                "pricing": {"model": "fixed", "price": 500},
                                "split_rule": [{"party": parties["provider"], "basis_points": 10000}]}))
    code, out = _run("product", "create", str(spec), "--as", "provider", "--json", *d)
    assert code == 0, out
    product = json.loads(out)["id"]
    source = tmp_path / "sales.csv"
    pacsv.write_csv(sales_table(), source)
    for who in ("buyer", "bureau"):
        code, out = _run("fingerprint", str(source), "--product", product, "--recipient", parties[who],
                         "--out", str(tmp_path / f"{who}.csv"), "--tolerance", "金额=5", "--tolerance", "评分=0.05",
                         "--key", "单号", *d)
        assert code == 0, out
        assert node_watermark_secret(data / "keys").secret.hex() not in out
    suspect = tmp_path / "leak.xlsx"
    _write_xlsx(suspect, tmp_path / "buyer.csv", 1500)
    code, out = _run("trace", str(suspect), "--product", product, "--json", *d)
    assert code == 0, out
    verdict = json.loads(out)
    assert set(verdict) == {"accused", "candidates"} and verdict["accused"] == [parties["buyer"]]
    assert {c["recipient"] for c in verdict["candidates"]} == {parties["buyer"], parties["bureau"]}
    assert all(set(c) == {"recipient", "p_value", "matches", "checked"} for c in verdict["candidates"])
    top = verdict["candidates"][0]
    assert top["matches"] == top["checked"] > 100 and np.isclose(top["p_value"], 0.5 ** top["checked"])
    code, out = _run("trace", str(suspect), "--product", product, *d)
    assert code == 0 and f"accused: {parties['buyer']}" in out and "1500 行 / rows" in out
    code, out = _run("trace", str(suspect), "--product", product, "--as", "buyer", *d)
    assert code == 2 and "forbidden" in out


def test_a_bad_tolerance_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "sales.csv"
    pacsv.write_csv(sales_table(100), source)
    code, out = _run("fingerprint", str(source), "--product", "P", "--recipient", "R", "--out",
                     str(tmp_path / "o.csv"), "--tolerance", "金额", "--data-dir", str(tmp_path / "x"))
    assert code == 2 and "COLUMN=NUMBER" in out
