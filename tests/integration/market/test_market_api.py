"""The market over the API: a provider lists, a buyer deposits, orders, accepts; errors keep their codes."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import signed_order
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.market import orders


def _auth(factory: Factory, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {factory.token(actor)}"}


def _sign(client: TestClient, order_id: str, auth: dict[str, str]) -> dict[str, Any]:
    """Make a key at home, register its public half, sign the contract's canonical JSON, send the signature."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    key_id = client.post("/api/v1/keys", json={"public_key": public}, headers=auth).json()["id"]
    doc = client.get(f"/api/v1/orders/{order_id}/contract", headers=auth).json()["document"]
    signature = base64.b64encode(key.sign(canonical_json(doc))).decode()
    forged = client.post(f"/api/v1/orders/{order_id}/contract/signatures",
                         json={"key_id": key_id, "signature": base64.b64encode(bytes(64)).decode()}, headers=auth)
    assert forged.status_code == 422 and forged.json()["code"] == "bad_signature"
    done = client.post(f"/api/v1/orders/{order_id}/contract/signatures",
                       json={"key_id": key_id, "signature": signature}, headers=auth)
    assert done.status_code == 201, done.text
    return dict(done.json())


def test_list_buy_deliver_accept(client: TestClient, session: Session, factory: Factory, operator: Actor) -> None:
    provider, buyer = factory.actor(Role.PROVIDER), factory.actor(Role.BUYER)
    resource = factory.resource(provider)
    admin = factory.user_for(session.get(Party, operator.party_id))
    p_auth, b_auth, o_auth = _auth(factory, provider), _auth(factory, buyer), _auth(factory, admin)
    session.flush()
    body = {"title": "港口吞吐量月报", "kind": "report", "sources": [resource.id],
            "pricing": {"model": "fixed", "price": 12_345},
            "split_rule": [{"party": provider.party_id, "basis_points": 9500},
                           {"party": "exchange", "basis_points": 500}]}
    product = client.post("/api/v1/products", json=body, headers=p_auth).json()
    text = client.get("/api/v1/products/declaration").json()
    assert "交易声明和承诺" in text["text"]
    assert client.post(f"/api/v1/products/{product['id']}/declaration", json={"text_sha256": text["sha256"]},
                       headers=p_auth).status_code == 200
    submitted = client.post(f"/api/v1/products/{product['id']}/submit", headers=p_auth).json()
    assert [d["outcome"] for d in submitted] == ["passed"]
    listed = client.post(f"/api/v1/products/{product['id']}/review", json={"approve": True, "reason": "ok"},
                         headers=o_auth)
    assert listed.json()["status"] == "listed"
    assert client.get(f"/api/v1/products/{product['id']}").status_code == 200  # anyone sees a listed product
    wanted = {"product_id": product["id"], "client_key": "o1", "purpose": "港口运力研究"}
    poor = client.post("/api/v1/orders", json=wanted, headers=b_auth)
    assert poor.status_code == 422 and poor.json()["code"] == "insufficient_funds"
    client.post("/api/v1/account/deposits", json={"amount": 20_000, "key": "d1"}, headers=b_auth)
    order = client.post("/api/v1/orders", json=wanted, headers=b_auth)
    assert order.status_code == 201 and order.json()["price"] == 12_345
    order_id = order.json()["id"]
    early = client.post(f"/api/v1/orders/{order_id}/accept", headers=b_auth)
    assert early.status_code == 409 and early.json()["code"] == "invalid_transition"
    unsigned = client.post(f"/api/v1/orders/{order_id}/deliver", json={"note": "链接已发送"}, headers=p_auth)
    assert unsigned.status_code == 422 and unsigned.json()["code"] == "contract_not_signed"
    for auth in (b_auth, p_auth):
        signed = _sign(client, order_id, auth)
    assert signed["status"] == "signed" and "港口运力研究" in signed["document"]["text"]
    assert client.post(f"/api/v1/orders/{order_id}/deliver", json={"note": "链接已发送"},
                       headers=p_auth).json()["status"] == "delivered"
    assert client.post(f"/api/v1/orders/{order_id}/accept", headers=b_auth).json()["status"] == "settled"
    left = client.post("/api/v1/account/withdrawals", json={"amount": 1, "key": "w1"}, headers=b_auth).json()
    assert left["available"] == 20_000 - 12_345 - 1


def test_the_demand_board_over_http(client: TestClient, session: Session, factory: Factory) -> None:
    buyer = factory.actor(Role.BUYER)
    auth = _auth(factory, buyer)
    session.flush()
    body = {"title": "冷链物流温度数据", "domain": "transport", "fields_wanted": ["温度"], "purpose": "保险定价",
            "budget": 50_000, "deadline": "2099-01-01T00:00:00+08:00"}
    demand = client.post("/api/v1/demands", json=body, headers=auth)
    assert demand.status_code == 201, demand.text
    assert demand.json()["id"] in [d["id"] for d in client.get("/api/v1/demands", headers=auth).json()]
    assert client.get(f"/api/v1/demands/{demand.json()['id']}/matches", headers=auth).json() == []
    assert client.post("/api/v1/demands", json={**body, "budget": 0}, headers=auth).status_code == 422


def test_a_dispute_over_http(client: TestClient, session: Session, factory: Factory, operator: Actor) -> None:
    order, buyer, provider = signed_order(session, factory, operator, usage={"calls": 1}, funds=50_000)
    orders.deliver_order(session=session, actor=provider, order_id=order.id)
    admin = factory.user_for(session.get(Party, operator.party_id))
    b_auth, o_auth = _auth(factory, buyer), _auth(factory, admin)
    session.flush()
    filed = client.post(f"/api/v1/orders/{order.id}/dispute", json={"reason": "数据缺字段"}, headers=b_auth)
    assert filed.status_code == 200 and filed.json()["status"] == "disputed"
    assert client.get("/api/v1/disputes", headers=b_auth).status_code == 403
    assert [o["id"] for o in client.get("/api/v1/disputes", headers=o_auth).json()] == [order.id]
    early = client.post(f"/api/v1/orders/{order.id}/ruling", json={"upheld": False, "reason": "x"}, headers=b_auth)
    assert early.status_code == 403
    ruled = client.post(f"/api/v1/orders/{order.id}/ruling", json={"upheld": False, "reason": "交付完整"},
                        headers=o_auth)
    assert ruled.json()["status"] == "settled" and ruled.json()["dispute_resolution"] == "交付完整"
