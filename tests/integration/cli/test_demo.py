"""`yaosu demo --data-dir DIR` runs the whole journey on an empty directory and exits 0."""

from __future__ import annotations

import json
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
