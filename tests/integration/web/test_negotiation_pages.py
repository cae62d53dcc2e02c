"""Negotiating in the portal: the buyer requests from the product page, both parties send the messages the
protocol allows them, finalizing opens the order; a message out of turn is a 409 page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed
from tests.integration.web.conftest import Portal
from yaosu.auth.actor import Actor
from yaosu.market.models import Order
from yaosu.market.trading_models import Negotiation


def _as(portal: Portal, client: TestClient, actor: Actor) -> Portal:
    """A second browser session logged in as `actor`."""
    other = Portal(client=TestClient(client.app), session=portal.session)
    other.login(actor)
    return other


def test_negotiate_to_an_order_in_the_portal(portal: Portal, client: TestClient, factory: Factory,
                                             operator: Actor, session: Session) -> None:
    provider, product = listed(session, factory, operator, pricing={"model": "negotiated", "asking": 90_000})
    buyer = funded_buyer(session, factory, 100_000)
    session.flush()
    portal.login(buyer)
    page = portal.client.get(f"/products/{product.id}").text
    assert f"/products/{product.id}/negotiate" in page and f"/products/{product.id}/order" not in page
    assert portal.post(f"/products/{product.id}/negotiate", {"price": "500", "purpose": PURPOSE}).status_code == 303
    neg = session.query(Negotiation).filter_by(product_id=product.id).one()
    assert (neg.state, neg.price, neg.purpose) == ("REQUESTED", 50_000, PURPOSE)
    mine = portal.client.get("/negotiations").text
    assert "已请求" in mine and f"/negotiations/{neg.id}/terminate" in mine
    assert f"/negotiations/{neg.id}/accept" not in mine
    out_of_turn = portal.post(f"/negotiations/{neg.id}/agree", {})
    assert out_of_turn.status_code == 409 and "当前状态下不能进行此操作" in out_of_turn.text
    seller = _as(portal, client, provider)
    assert f"/negotiations/{neg.id}/offer" in seller.client.get("/negotiations").text
    assert seller.post(f"/negotiations/{neg.id}/offer", {"price": "650.50"}).status_code == 303
    for who, message in ((portal, "accept"), (seller, "agree"), (portal, "verify"), (seller, "finalize")):
        assert who.post(f"/negotiations/{neg.id}/{message}", {}).status_code == 303, message
    session.expire_all()
    neg = session.get(Negotiation, neg.id)  # type: ignore[assignment]
    order = session.get(Order, neg.order_id)
    assert neg.state == "FINALIZED" and order is not None and order.price == 65_050
    assert "¥650.50" in portal.client.get("/orders").text
    assert f"/orders/{order.id}/contract" in portal.client.get("/negotiations").text
