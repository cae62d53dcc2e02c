"""Negotiations, auctions, price history and statements over the API; refusals keep their codes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed, sign
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import Role
from yaosu.market.models import Order


def _auth(factory: Factory, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {factory.token(actor)}"}


def test_negotiate_over_the_api_and_read_the_price_history(client: TestClient, session: Session,
                                                           factory: Factory, operator: Actor) -> None:
    provider, product = listed(session, factory, operator, pricing={"model": "negotiated", "asking": 90_000})
    buyer = funded_buyer(session, factory, 100_000)
    p_auth, b_auth = _auth(factory, provider), _auth(factory, buyer)
    regulator = _auth(factory, factory.actor(Role.REGULATOR))
    session.flush()
    neg = client.post("/api/v1/negotiations", json={"product_id": product.id, "price": 60_000, "purpose": PURPOSE},
                      headers=b_auth)
    assert neg.status_code == 201 and neg.json()["state"] == "REQUESTED"
    url = f"/api/v1/negotiations/{neg.json()['id']}/messages"
    wrong = client.post(url, json={"message": "agree"}, headers=b_auth)
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    for who, message, price in ((p_auth, "offer", 70_000), (b_auth, "accept", None), (p_auth, "agree", None),
                                (b_auth, "verify", None), (p_auth, "finalize", None)):
        answer = client.post(url, json={"message": message, "price": price}, headers=who)
        assert answer.status_code == 200, answer.text
    final = answer.json()
    assert final["state"] == "FINALIZED" and final["order_id"]
    assert client.get(f"/api/v1/orders/{final['order_id']}", headers=b_auth).json()["price"] == 70_000
    history = client.get(f"/api/v1/products/{product.id}/prices", headers=regulator).json()
    assert [(p["source"], p["price"]) for p in history] == [("list", 90_000), ("negotiated", 70_000),
                                                           ("order", 70_000)]
    assert client.get(f"/api/v1/products/{product.id}/prices", headers=b_auth).status_code == 404


def test_auction_over_the_api(client: TestClient, session: Session, factory: Factory, operator: Actor) -> None:
    clock.freeze(clock.now())
    provider, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 50_000})
    a, b = funded_buyer(session, factory, 40_000), funded_buyer(session, factory, 40_000)
    session.flush()
    deadline = (clock.now() + timedelta(minutes=30)).isoformat()
    opened = client.post("/api/v1/auctions", json={"product_id": product.id, "kind": "second_price",
                                                   "reserve": 5_000, "deadline": deadline},
                         headers=_auth(factory, provider))
    assert opened.status_code == 201, opened.text
    bids_url = f"/api/v1/auctions/{opened.json()['id']}/bids"
    for who, amount in ((a, 30_000), (b, 20_000)):
        placed = client.post(bids_url, json={"amount": amount, "purpose": PURPOSE}, headers=_auth(factory, who))
        assert placed.status_code == 201
    too_much = client.post(bids_url, json={"amount": 90_000, "purpose": PURPOSE},
                           headers=_auth(factory, factory.actor(Role.BUYER)))
    assert too_much.status_code == 422 and too_much.json()["code"] == "insufficient_funds"
    assert [x["amount"] for x in client.get(bids_url, headers=_auth(factory, b)).json()] == [20_000]
    close_url = f"/api/v1/auctions/{opened.json()['id']}/close"
    assert client.post(close_url, headers=_auth(factory, b)).json()["code"] == "auction_open"
    clock.advance(timedelta(hours=1))
    closed = client.post(close_url, headers=_auth(factory, b)).json()
    assert (closed["winner_party_id"], closed["price"], closed["status"]) == (a.party_id, 20_000, "sold")


def test_statement_balances_and_exports_csv(client: TestClient, session: Session, factory: Factory,
                                            operator: Actor) -> None:
    provider, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 10_000})
    buyer = funded_buyer(session, factory, 30_000, name="买方甲")
    session.flush()
    b_auth = _auth(factory, buyer)
    order = client.post("/api/v1/orders", json={"product_id": product.id, "client_key": "k", "purpose": PURPOSE},
                        headers=b_auth).json()
    for party in (buyer, provider):
        sign(session, party, session.get(Order, order["id"]))  # type: ignore[arg-type]
    session.flush()
    client.post(f"/api/v1/orders/{order['id']}/deliver", json={}, headers=_auth(factory, provider))
    client.post(f"/api/v1/orders/{order['id']}/accept", headers=b_auth)
    stmt = client.get("/api/v1/account/statement", headers=b_auth).json()
    available, escrow = stmt["accounts"]
    assert [(x["kind"], x["amount"], x["balance"]) for x in available["lines"]] == [
        ("deposit", 30_000, 30_000), ("hold", -10_000, 20_000)]
    assert [(x["kind"], x["amount"], x["reference"]) for x in escrow["lines"]] == [
        ("hold", 10_000, order["id"]), ("release", -10_000, order["id"])]
    assert "exchange fee income" in escrow["lines"][1]["counter"]
    assert available["closing"] == 20_000 and escrow["closing"] == 0
    sold = client.get("/api/v1/account/statement", headers=_auth(factory, provider)).json()["accounts"][0]
    assert sold["lines"][0]["counter"] == "买方甲: escrow" and sold["closing"] == 9_000
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/account/statement.csv", headers=b_auth).text)))
    assert [r["kind"] for r in rows if r["account"] == "available"] == ["opening", "deposit", "hold", "closing"]
    other = client.get(f"/api/v1/account/statement?party_id={provider.party_id}", headers=b_auth)
    assert other.status_code == 404
    admin = _auth(factory, factory.user_for(session.get(Party, operator.party_id)))
    assert client.get(f"/api/v1/account/statement?party_id={provider.party_id}", headers=admin).status_code == 200
