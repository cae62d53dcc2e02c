"""The public ledger API: checkpoint, entries with inclusion proofs, consistency proofs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.roles import Role
from yaosu.ledger import merkle, note
from yaosu.ledger.checkpoints import issue_checkpoint
from yaosu.runtime import Runtime


def test_checkpoint_entry_and_consistency(client: TestClient, factory: Factory, runtime: Runtime,
                                          session: Session) -> None:
    assert client.get("/api/v1/ledger/checkpoint").status_code == 404
    factory.actor(Role.PROVIDER)

    first = issue_checkpoint(session, runtime.keys, runtime.settings.exchange_origin)
    factory.actor(Role.BUYER)
    second = issue_checkpoint(session, runtime.keys, runtime.settings.exchange_origin)
    session.flush()
    cp = client.get("/api/v1/ledger/checkpoint").json()
    assert cp["size"] == second.size
    signed = note.verify(cp["note"], runtime.settings.exchange_origin, runtime.keys.public_key)
    assert signed is not None
    body = client.get(f"/api/v1/ledger/entries/1?tree_size={second.size}").json()
    assert body["entry"] is None
    assert merkle.verify_inclusion(1, second.size, bytes.fromhex(body["leaf_hash"]),
                                   [bytes.fromhex(p) for p in body["proof"]], signed.root)
    proof = client.get(f"/api/v1/ledger/consistency?first={first.size}&second={second.size}").json()["proof"]
    assert merkle.verify_consistency(first.size, second.size, bytes.fromhex(first.root_hash), signed.root,
                                     [bytes.fromhex(p) for p in proof])
    assert client.get(f"/api/v1/ledger/entries/{second.size + 5}").status_code == 404
    assert client.post("/api/v1/ledger/checkpoints").status_code == 401
    regulator = factory.token(factory.actor(Role.REGULATOR))
    session.flush()
    denied = client.post("/api/v1/ledger/checkpoints", headers={"Authorization": f"Bearer {regulator}"})
    assert denied.status_code == 403


def test_receipt_on_request(client: TestClient, factory: Factory, runtime: Runtime, session: Session) -> None:
    from tests.factories import resource_payload

    provider = factory.actor(Role.PROVIDER)
    headers = {"Authorization": f"Bearer {factory.token(provider)}"}
    session.flush()
    plain = client.post("/api/v1/resources", json=resource_payload(), headers=headers)
    assert plain.status_code == 201 and "x-yaosu-ledger-entries" not in plain.headers
    sent = resource_payload()
    res = client.post("/api/v1/resources", json=sent, headers={**headers, "X-Yaosu-Receipt": "1"})
    assert res.status_code == 201
    indexes = [int(i) for i in res.headers["x-yaosu-ledger-entries"].split(",")]
    assert indexes
    issue_checkpoint(session, runtime.keys, runtime.settings.exchange_origin)
    session.flush()
    receipt = client.get(f"/api/v1/ledger/entries/{indexes[-1]}", headers=headers).json()
    assert receipt["entry"]["payload"]["title"] == sent["title"]
    signed = note.verify(receipt["checkpoint"], runtime.settings.exchange_origin, runtime.keys.public_key)
    assert signed is not None
    assert merkle.verify_inclusion(indexes[-1], signed.size, bytes.fromhex(receipt["leaf_hash"]),
                                   [bytes.fromhex(p) for p in receipt["proof"]], signed.root)


def test_appends_interleaved_with_requests_stay_one_log(client: TestClient, factory: Factory, runtime: Runtime,
                                                         session: Session) -> None:
    from tests.factories import resource_payload
    from yaosu.ledger.audit import check_ledger

    provider = factory.actor(Role.PROVIDER)
    token = factory.token(provider)  # staged in the test's session, not yet written
    assert client.post("/api/v1/resources", json=resource_payload(),
                       headers={"Authorization": f"Bearer {token}"}).status_code == 201
    factory.actor(Role.BUYER)  # the test's session appends again after the request's session did
    report = check_ledger(session, runtime.keys.public_key, runtime.settings.exchange_origin)
    assert report.ok, report
