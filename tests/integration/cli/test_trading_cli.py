"""`yaosu negotiation / auction / product prices / account statement` on the demonstration exchange."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from yaosu import clock
from yaosu.cli.main import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _listed(tmp_path: Path, d: tuple[str, str], pricing: dict[str, object], title: str) -> str:
    with sqlite3.connect(Path(d[1]) / "yaosu.db") as db:
        provider_party, = db.execute("SELECT party_id FROM app_user WHERE username = 'provider'").fetchone()
        resource_id, = db.execute("SELECT id FROM resource WHERE holder_party_id = ?", (provider_party,)).fetchone()
    spec = tmp_path / f"{title}.json"
    spec.write_text(json.dumps({"title": title, "kind": "report", "sources": [resource_id], "pricing": pricing,
                                "split_rule": [{"party": provider_party, "basis_points": 10_000}]}),
                    encoding="utf-8")
    product_id = json.loads(_run("product", "create", str(spec), "--as", "provider", "--json", *d)[1])["id"]
    assert _run("product", "submit", product_id, "--as", "provider", "--sign-declaration", *d)[0] == 0
    assert _run("product", "review", product_id, "--approve", "--reason", "ok", *d)[0] == 0
    return product_id


def test_negotiate_auction_and_read_the_statement(tmp_path: Path) -> None:
    data = tmp_path / "exchange"
    assert _run("demo", "--data-dir", str(data))[0] == 0
    d = ("--data-dir", str(data))
    product_id = _listed(tmp_path, d, {"model": "negotiated"}, "航运景气指数")
    assert _run("account", "deposit", "50000", "--key", "d1", "--as", "buyer", *d)[0] == 0
    code, out = _run("negotiation", "request", product_id, "--price", "30000", "--purpose", "航线规划", "--as", "buyer",
                     "--json", *d)
    neg = json.loads(out)["id"]
    code, out = _run("negotiation", "send", neg, "verify", "--as", "buyer", *d)
    assert code == 2 and "invalid_transition" in out
    for who, message, price in (("provider", "offer", "32000"), ("buyer", "accept", ""), ("provider", "agree", ""),
                                ("buyer", "verify", ""), ("provider", "finalize", "")):
        code, out = _run("negotiation", "send", neg, message, *(["--price", price] if price else []), "--as", who, *d)
        assert code == 0, out
    assert "FINALIZED" in out and "order" in out
    code, out = _run("product", "prices", product_id, "--as", "provider", *d)
    assert code == 0 and "negotiated" in out and "32000 fen" in out
    csv_file = tmp_path / "statement.csv"
    code, out = _run("account", "statement", "--as", "buyer", "--csv", str(csv_file), *d)
    assert code == 0 and "hold" in out and "期末 closing 18000 fen" in out
    assert csv_file.read_text(encoding="utf-8").startswith("account,time,entry,kind")

    auctioned = _listed(tmp_path, d, {"model": "fixed", "price": 9_000}, "港口吞吐量")
    deadline = (clock.now() + timedelta(minutes=10)).isoformat()
    code, out = _run("auction", "open", auctioned, "--kind", "first_price", "--deadline", deadline,
                     "--reserve", "1000", "--as", "provider", "--json", *d)
    assert code == 0, out
    auction = json.loads(out)["id"]
    assert _run("auction", "bid", auction, "5000", "--purpose", "航线规划", "--as", "buyer", *d)[0] == 0
    assert "auction_open" in _run("auction", "close", auction, *d)[1]
    clock.advance(timedelta(minutes=11))
    code, out = _run("auction", "close", auction, *d)
    assert code == 0 and "sold" in out and "5000 fen" in out
