"""`yaosu ledger`: verify, prove, export and verify-bundle on a real data directory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yaosu.cli.main import app
from yaosu.ledger import merkle, note

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "exchange"
    assert runner.invoke(app, ["db", "upgrade", "--data-dir", str(path)]).exit_code == 0
    return path


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_verify_prove_and_tamper(data_dir: Path) -> None:
    code, out = _run("ledger", "checkpoint", "--data-dir", str(data_dir))
    assert code == 0 and out.startswith("yaosu.local/exchange\n")
    code, out = _run("ledger", "verify", "--data-dir", str(data_dir))
    assert code == 0 and "ledger intact" in out
    code, out = _run("ledger", "prove", "0", "--data-dir", str(data_dir))
    receipt = json.loads(out)
    assert code == 0 and receipt["entry"]["index"] == 0
    key = (data_dir / "keys" / "exchange-ed25519.pub.pem").read_bytes()
    from yaosu.keys import load_public_key

    signed = note.verify(receipt["checkpoint"], "yaosu.local/exchange", load_public_key(key))
    assert signed is not None
    assert merkle.verify_inclusion(0, signed.size, bytes.fromhex(receipt["leaf_hash"]),
                                   [bytes.fromhex(p) for p in receipt["proof"]], signed.root)
    with sqlite3.connect(data_dir / "yaosu.db") as db:
        db.execute("DROP TRIGGER ledger_event_no_update")
        db.execute("UPDATE ledger_event SET type = 'party.forged' WHERE seq = 1")
    code, out = _run("ledger", "verify", "--data-dir", str(data_dir))
    assert code == 1 and "index 0" in out


def test_export_and_verify_bundle_offline(data_dir: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    code, out = _run("ledger", "export", str(bundle), "--data-dir", str(data_dir))
    assert code == 0, out
    key = str(data_dir / "keys" / "exchange-ed25519.pub.pem")
    code, out = _run("ledger", "verify-bundle", str(bundle), "--public-key", key)
    assert code == 0 and "bundle valid" in out
    lines = (bundle / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    entry["payload"]["forged"] = True
    lines[-1] = json.dumps(entry)
    (bundle / "entries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _run("ledger", "verify-bundle", str(bundle), "--public-key", key)
    assert code == 1 and f"index {len(lines) - 1}" in out


def test_verify_bundle_refuses_another_key(data_dir: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    assert _run("ledger", "export", str(bundle), "--data-dir", str(data_dir))[0] == 0
    from yaosu.keys import load_or_create_keys

    other = load_or_create_keys(tmp_path / "other")
    code, out = _run("ledger", "verify-bundle", str(bundle), "--public-key",
                     str(tmp_path / "other" / "keys" / "exchange-ed25519.pub.pem"))
    assert code == 1 and "bad signature" in out and other.key_id()


def test_verify_bundle_checks_a_configured_witness(data_dir: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from yaosu.keys import public_key_pem

    bundle = tmp_path / "bundle"
    assert _run("ledger", "export", str(bundle), "--data-dir", str(data_dir))[0] == 0
    regulator = Ed25519PrivateKey.generate()
    (tmp_path / "regulator.pem").write_text(public_key_pem(regulator.public_key()))
    key = str(data_dir / "keys" / "exchange-ed25519.pub.pem")
    args = ("ledger", "verify-bundle", str(bundle), "--public-key", key, "--witness",
            f"regulator={tmp_path / 'regulator.pem'}")
    code, out = _run(*args)
    assert code == 1 and "witness regulator" in out
    for path in (bundle / "checkpoints").glob("*.note"):
        path.write_text(note.add_cosignature(path.read_text(encoding="utf-8"), "regulator", regulator),
                        encoding="utf-8")
    code, out = _run(*args)
    assert code == 0, out
