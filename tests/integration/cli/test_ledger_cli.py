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

    bundle = tmp_path / "bundle"
    assert _run("ledger", "export", str(bundle), "--data-dir", str(data_dir))[0] == 0
    regulator = Ed25519PrivateKey.generate()
    vkey = note.cosigner_vkey("regulator", regulator.public_key())
    key = str(data_dir / "keys" / "exchange-ed25519.pub.pem")
    args = ("ledger", "verify-bundle", str(bundle), "--public-key", key, "--witness", vkey)
    code, out = _run(*args)
    assert code == 1 and "witness regulator" in out
    path = sorted((bundle / "checkpoints").glob("*.note"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text + note.cosign(text, "regulator", regulator, 1_800_000_000), encoding="utf-8")
    code, out = _run(*args)
    assert code == 0, out
    forged = Ed25519PrivateKey.generate()
    path.write_text(text + note.cosign(text, "regulator", forged, 1_800_000_000), encoding="utf-8")
    code, out = _run(*args)
    assert code == 1 and "bad cosignature by regulator" in out


def test_a_regulator_witnesses_the_log(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """witness-init → configure the vkey → witness (checks consistency) → cosign → verify reports it."""
    code, vkey = _run("ledger", "witness-init", "--name", "regulator.gov/w1", "--key", str(tmp_path / "w.pem"))
    assert code == 0 and vkey.startswith("regulator.gov/w1+")
    assert (tmp_path / "w.pem").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("YAOSU_LEDGER_WITNESSES", json.dumps([vkey.strip()]))
    log_key = str(data_dir / "keys" / "exchange-ed25519.pub.pem")
    witness = ("ledger", "witness", str(tmp_path / "cp.note"), "--log-key", log_key, "--name", "regulator.gov/w1",
               "--key", str(tmp_path / "w.pem"), "--state", str(tmp_path / "w.state"))
    sizes = []
    for round_ in range(2):
        code, out = _run("ledger", "checkpoint", "--data-dir", str(data_dir))
        (tmp_path / "cp.note").write_text(out, encoding="utf-8")
        size = note.parse(out).size
        extra: tuple[str, ...] = ()
        if round_:
            proof = _consistency(data_dir, sizes[-1], size)
            (tmp_path / "proof.json").write_text(json.dumps({"proof": proof}), encoding="utf-8")
            extra = ("--proof", str(tmp_path / "proof.json"))
        code, line = _run(*witness, *extra)
        assert code == 0, line
        code, out = _run("ledger", "cosign", str(size), line.strip(), "--data-dir", str(data_dir))
        assert code == 0 and "regulator.gov/w1" in out, out
        sizes.append(size)
        _grow(data_dir)
    code, out = _run("ledger", "verify", "--data-dir", str(data_dir))
    assert code == 0 and f"cosigned up to size {sizes[-1]}" in out, out
    code, out = _run("ledger", "checkpoint", "--data-dir", str(data_dir))
    (tmp_path / "cp.note").write_text(out, encoding="utf-8")
    code, out = _run(*witness)  # a larger checkpoint without a proof from the last cosigned size: refused
    assert code == 1 and "consistency" in out


def _grow(data_dir: Path) -> None:
    from yaosu.db.engine import make_engine, session_factory, unit_of_work
    from yaosu.ledger import Event, append

    engine = make_engine(f"sqlite:///{data_dir / 'yaosu.db'}")
    with unit_of_work(session_factory(engine)) as session:
        append(session, None, Event(type="test.grow", subject_type="t", subject_id="x"))
    engine.dispose()


def _consistency(data_dir: Path, first: int, second: int) -> list[str]:
    from yaosu.db.engine import make_engine, session_factory, unit_of_work
    from yaosu.ledger import tree

    engine = make_engine(f"sqlite:///{data_dir / 'yaosu.db'}")
    with unit_of_work(session_factory(engine)) as session:
        proof = [p.hex() for p in tree.prove_consistency(session, first, second)]
    engine.dispose()
    return proof


def test_a_malformed_witness_key_is_a_clear_configuration_error(data_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAOSU_LEDGER_WITNESSES", '["regulator+00000000+AAAA"]')
    code, out = _run("ledger", "verify", "--data-dir", str(data_dir))
    assert code == 2 and "YAOSU_LEDGER_WITNESSES" in out
