"""Witness cosignatures: checked before they are stored, served with the checkpoint, re-checked by verify."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.ledger.conftest import ORIGIN, drop_guards
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound
from yaosu.keys import ExchangeKeys
from yaosu.ledger import note
from yaosu.ledger.audit import LedgerReport, check_ledger
from yaosu.ledger.checkpoints import issue_checkpoint
from yaosu.ledger.models import LedgerCheckpoint
from yaosu.ledger.service import add_cosignature, cosigned_note
from yaosu.runtime import Runtime

WITNESS = Ed25519PrivateKey.generate()
NAME = "regulator.example/w1"
KEYS = {NAME: WITNESS.public_key()}
Audit = Callable[[], LedgerReport]


@pytest.fixture
def checkpoint(session: Session, factory: Factory, keys: ExchangeKeys) -> LedgerCheckpoint:
    factory.actor(Role.PROVIDER)
    return issue_checkpoint(session, keys, ORIGIN)


def _line(cp: LedgerCheckpoint, key: Ed25519PrivateKey = WITNESS, name: str = NAME, at: int | None = None) -> str:
    return note.cosign(cp.note, name, key, int(clock.now().timestamp()) if at is None else at)


def test_a_cosignature_is_stored_and_served(session: Session, checkpoint: LedgerCheckpoint, operator: Actor,
                                            keys: ExchangeKeys) -> None:
    row = add_cosignature(session=session, actor=operator, size=checkpoint.size, line=_line(checkpoint),
                          witnesses=KEYS)
    assert row.witness == NAME
    served = cosigned_note(session, checkpoint)
    assert note.verify(served, ORIGIN, keys.public_key) is not None
    checked = note.verify_cosignature(served, NAME, WITNESS.public_key())
    assert checked is not None and checked[0].size == checkpoint.size
    report = check_ledger(session, keys.public_key, ORIGIN, KEYS)
    assert report.ok and report.witnessed == {NAME: checkpoint.size}


@pytest.mark.parametrize(("case", "error", "field"), [
    ("unknown witness", Invalid, "line"),
    ("other key", Invalid, "line"),
    ("not a line", Invalid, "line"),
    ("future", Invalid, "line"),
    ("no checkpoint", NotFound, "size"),
])
def test_bad_cosignatures_are_refused(session: Session, checkpoint: LedgerCheckpoint, operator: Actor, case: str,
                                      error: type[Exception], field: str) -> None:
    line, size = _line(checkpoint), checkpoint.size
    if case == "unknown witness":
        line = _line(checkpoint, name="someone.else")
    elif case == "other key":
        line = _line(checkpoint, key=Ed25519PrivateKey.generate())
    elif case == "not a line":
        line = "regulator says ok"
    elif case == "future":
        line = _line(checkpoint, at=int(clock.now().timestamp()) + 3600)
    else:
        size += 1
    with pytest.raises(error) as raised:
        add_cosignature(session=session, actor=operator, size=size, line=line, witnesses=KEYS)
    assert getattr(raised.value, "field", None) == field
    assert cosigned_note(session, checkpoint) == checkpoint.note


def test_one_cosignature_per_witness_and_only_auditors_submit(session: Session, checkpoint: LedgerCheckpoint,
                                                              operator: Actor, factory: Factory) -> None:
    add_cosignature(session=session, actor=operator, size=checkpoint.size, line=_line(checkpoint), witnesses=KEYS)
    with pytest.raises(Conflict):
        add_cosignature(session=session, actor=operator, size=checkpoint.size, line=_line(checkpoint),
                        witnesses=KEYS)
    with pytest.raises(Forbidden):
        add_cosignature(session=session, actor=factory.actor(Role.PROVIDER), size=checkpoint.size,
                        line=_line(checkpoint), witnesses=KEYS)


def test_cosignatures_are_append_only_and_tampering_is_detected(session: Session, checkpoint: LedgerCheckpoint,
                                                                operator: Actor, is_postgres: bool,
                                                                audit: Audit, keys: ExchangeKeys) -> None:
    add_cosignature(session=session, actor=operator, size=checkpoint.size, line=_line(checkpoint), witnesses=KEYS)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("DELETE FROM ledger_cosignature"))
    drop_guards(session, "ledger_cosignature", is_postgres)
    forged = _line(checkpoint, key=Ed25519PrivateKey.generate())
    session.execute(text("UPDATE ledger_cosignature SET line = :l"), {"l": forged})
    report = check_ledger(session, keys.public_key, ORIGIN, KEYS)
    assert not report.ok and "cosignature" in report.reason and report.first_bad_index == checkpoint.size
    assert audit().ok  # without the witness configured, its lines are not checked


def test_api_accepts_a_cosignature_and_serves_it(client: TestClient, factory: Factory, runtime: Runtime,
                                                 session: Session, checkpoint: LedgerCheckpoint,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    vkey = note.cosigner_vkey(NAME, WITNESS.public_key())
    monkeypatch.setattr(runtime, "settings", runtime.settings.model_copy(update={"ledger_witnesses": [vkey]}))
    regulator = factory.token(factory.actor(Role.REGULATOR))
    session.flush()
    auth = {"Authorization": f"Bearer {regulator}"}
    latest = issue_checkpoint(session, runtime.keys, runtime.settings.exchange_origin)
    session.flush()
    url = f"/api/v1/ledger/checkpoints/{latest.size}/cosignatures"
    assert client.post(url, json={"line": _line(latest)}).status_code == 401
    created = client.post(url, json={"line": _line(latest)}, headers=auth)
    assert created.status_code == 201, created.text
    served = client.get("/api/v1/ledger/checkpoint").json()["note"]
    assert note.verify_cosignature(served, NAME, WITNESS.public_key()) is not None
    assert client.post(url, json={"line": _line(latest)}, headers=auth).status_code == 409

