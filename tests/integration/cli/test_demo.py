"""`yaosu demo --data-dir DIR` runs the whole journey on an empty directory and exits 0."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from yaosu.cli.main import app

runner = CliRunner()


def test_demo_on_empty_dir_exits_0_and_its_certificate_verifies(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "YS-DR-" in result.output and "demo complete" in result.output
    cert_file = next((data_dir / "certificates").glob("YS-DR-*.json"))
    key = data_dir / "keys" / "exchange-ed25519.pub.pem"
    ok = runner.invoke(app, ["cert", "verify", str(cert_file), "--public-key", str(key)])
    assert ok.exit_code == 0, ok.output
    doc = json.loads(cert_file.read_text(encoding="utf-8"))
    doc["document"]["registrant"]["name"] = "冒名公司"
    cert_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    bad = runner.invoke(app, ["cert", "verify", str(cert_file), "--public-key", str(key)])
    assert bad.exit_code == 1


def test_demo_refuses_a_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in result.output


def test_the_demo_leaves_a_delivered_order_under_a_signed_contract(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--data-dir", str(data_dir)]).exit_code == 0
    with sqlite3.connect(data_dir / "yaosu.db") as db:
        status, = db.execute("SELECT status FROM product").fetchone()
        order_id, order_status, price = db.execute("SELECT id, status, price FROM market_order").fetchone()
        contract_status, = db.execute("SELECT status FROM market_contract WHERE order_id = ?", (order_id,)).fetchone()
    assert (status, order_status, contract_status, price) == ("listed", "delivered", "signed", 10_000)
    for who in ("buyer", "provider"):
        assert (data_dir / "demo-keys" / f"{who}.pem").stat().st_mode & 0o077 == 0
    shown = runner.invoke(app, ["order", "contract", order_id, "--as", "buyer", "--data-dir", str(data_dir)])
    assert "信用风险建模" in shown.output and "signed" in shown.output
    accepted = runner.invoke(app, ["order", "accept", order_id, "--as", "buyer", "--data-dir", str(data_dir)])
    assert accepted.exit_code == 0 and "settled" in accepted.output
