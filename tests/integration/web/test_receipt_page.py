"""Anyone can paste a ledger receipt into the portal and see it verified."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.web.conftest import Portal
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.ledger.checkpoints import issue_checkpoint
from yaosu.ledger.service import get_entry_proof
from yaosu.runtime import Runtime


def _receipt(session: Session, factory: Factory, runtime: Runtime, operator: Actor) -> dict[str, object]:
    factory.actor(Role.PROVIDER)
    issue_checkpoint(session, runtime.keys, runtime.settings.exchange_origin)
    session.flush()
    return asdict(get_entry_proof(session=session, actor=operator, index=1))


def test_a_genuine_receipt_verifies(portal: Portal, session: Session, factory: Factory, runtime: Runtime,
                                    operator: Actor) -> None:
    receipt = _receipt(session, factory, runtime, operator)
    res = portal.client.post("/ledger/receipt", data={"csrf_token": portal.csrf("/ledger/receipt"),
                                                      "receipt": json.dumps(receipt)})
    assert res.status_code == 200 and 'id="receipt-result"' in res.text and "alert-success" in res.text


@pytest.mark.parametrize(("change", "reason"), [
    ("leaf", "bad_proof"), ("checkpoint", "bad_checkpoint"), ("entry", "entry_mismatch"), ("garbage", "not_a_receipt")])
def test_a_forged_receipt_fails(portal: Portal, session: Session, factory: Factory, runtime: Runtime,
                                operator: Actor, change: str, reason: str) -> None:
    receipt = _receipt(session, factory, runtime, operator)
    if change == "leaf":
        receipt["leaf_hash"] = "00" * 32
    elif change == "checkpoint":
        receipt["checkpoint"] = str(receipt["checkpoint"]).replace("\n", "\n\n", 1)
    elif change == "entry":
        entry = receipt["entry"]
        assert isinstance(entry, dict)
        entry["payload"] = {"forged": True}
    text = "not json" if change == "garbage" else json.dumps(receipt)
    res = portal.client.post("/ledger/receipt", data={"csrf_token": portal.csrf("/ledger/receipt"), "receipt": text})
    assert res.status_code == 422 and "alert-error" in res.text
    from yaosu.ledger.receipt import verify_receipt

    data = json.loads(text) if change != "garbage" else None
    assert verify_receipt(data, runtime.keys.public_key, runtime.settings.exchange_origin).reason == reason
