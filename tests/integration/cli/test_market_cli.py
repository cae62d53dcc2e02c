"""`yaosu product / order / account` on the demonstration exchange: list, deposit, buy, deliver, accept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from yaosu.cli.main import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_product_from_listing_to_payout(tmp_path: Path) -> None:
    data = tmp_path / "exchange"
    assert _run("demo", "--data-dir", str(data))[0] == 0
    with sqlite3.connect(data / "yaosu.db") as db:
        provider_party, = db.execute("SELECT party_id FROM app_user WHERE username = 'provider'").fetchone()
        resource_id, = db.execute("SELECT id FROM resource WHERE holder_party_id = ?", (provider_party,)).fetchone()
    spec = tmp_path / "product.json"
    spec.write_text(json.dumps({"title": "物流运力指数", "kind": "api", "sources": [resource_id],
                                "pricing": {"model": "per_call", "tiers": [{"up_to": 100, "unit": 50}, {"unit": 20}]},
                                "split_rule": [{"party": provider_party, "basis_points": 9700},
                                               {"party": "exchange", "basis_points": 300}]}), encoding="utf-8")
    d = ("--data-dir", str(data))
    code, out = _run("product", "create", str(spec), "--as", "provider", "--json", *d)
    assert code == 0, out
    product_id = json.loads(out)["id"]
    code, out = _run("product", "submit", product_id, "--as", "provider", *d)
    assert code == 0 and "declaration.signed" in out and "→" in out  # refused, with what to fix
    code, out = _run("product", "submit", product_id, "--as", "provider", "--sign-declaration", *d)
    assert code == 0 and "passed" in out
    assert _run("product", "review", product_id, "--approve", "--reason", "材料齐全", *d)[0] == 0
    place = ("order", "place", product_id, "--key", "k1", "--calls", "120", "--purpose", "运力研究", "--as", "buyer")
    code, out = _run(*place, *d)
    assert code == 2 and "insufficient" in out
    assert "9000 fen" in _run("account", "deposit", "9000", "--key", "d1", "--as", "buyer", *d)[1]
    code, out = _run(*place, "--json", *d)
    order = json.loads(out)
    assert code == 0 and order["price"] == 100 * 50 + 20 * 20
    code, out = _run("order", "deliver", order["id"], "--as", "provider", *d)
    assert code != 0 and "contract" in out  # not signed yet
    for user in ("buyer", "provider"):
        key = tmp_path / f"{user}.pem"
        code, out = _run("party", "key-gen", "--out", str(key), "--as", user, *d)
        assert code == 0 and key.stat().st_mode & 0o077 == 0, out
        assert _run("party", "key-gen", "--out", str(key), "--as", user, *d)[0] != 0  # never overwritten
        code, out = _run("order", "sign", order["id"], "--key-file", str(key), "--as", user, *d)
        assert code == 0, out
    code, out = _run("order", "contract", order["id"], "--as", "buyer", *d)
    assert "运力研究" in out and "signed" in out
    assert "delivered" in _run("order", "deliver", order["id"], "--as", "provider", *d)[1]
    assert "settled" in _run("order", "accept", order["id"], "--as", "buyer", *d)[1]
    code, out = _run("account", "withdraw", "5238", "--key", "w1", "--as", "provider", *d)
    assert code == 0 and "available: 0 fen" in out  # 9,700 bp of 5,400 fen is 5,238; the exchange keeps 162
