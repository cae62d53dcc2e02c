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
