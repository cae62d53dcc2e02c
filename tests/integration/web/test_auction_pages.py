"""Auctions in the portal: the lister opens one from its product page, buyers bid (held in escrow, sealed),
anyone closes it after the deadline and the winner's order appears."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed
from tests.integration.web.conftest import Portal
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.market.trading_models import Auction
from yaosu.settlement.escrow import available


def test_open_bid_and_close_an_auction_in_the_portal(portal: Portal, client: TestClient, factory: Factory,
                                                     operator: Actor, session: Session) -> None:
    clock.freeze(clock.now())
    provider, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 90_000})
    a, b = funded_buyer(session, factory, 50_000), funded_buyer(session, factory, 50_000)
    session.flush()
    portal.login(provider)
    assert f"/products/{product.id}/auction" in portal.client.get(f"/products/{product.id}").text
    deadline = (clock.now() + timedelta(hours=2)).astimezone(clock.SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    bad = portal.post(f"/products/{product.id}/auction", {"kind": "dutch", "reserve": "100", "deadline": deadline})
    assert bad.status_code == 422
    opened = portal.post(f"/products/{product.id}/auction", {"kind": "second_price", "reserve": "100",
                                                              "deadline": deadline})
    assert opened.status_code == 303
    auction = session.query(Auction).filter_by(product_id=product.id).one()
    assert (auction.kind, auction.reserve) == ("second_price", 10_000)
    for bidder, amount in ((a, "300"), (b, "200")):
        browser = Portal(client=TestClient(client.app), session=session)
        browser.login(bidder)
        assert browser.post(f"/auctions/{auction.id}/bid", {"amount": amount, "purpose": PURPOSE}).status_code == 303
    page = browser.client.get("/auctions").text
    assert "密封二价" in page and "我的出价 ¥200.00" in page and "¥300.00" not in page  # sealed
    assert available(session, a.party_id) == 20_000
    assert f"/auctions/{auction.id}/close" not in page
    clock.advance(timedelta(hours=3))
    page = browser.client.get("/auctions").text
    assert f"/auctions/{auction.id}/close" in page
    assert browser.post(f"/auctions/{auction.id}/close", {}).status_code == 303
    session.expire_all()
    closed = session.get(Auction, auction.id)
    assert closed is not None and (closed.status, closed.winner_party_id, closed.price) == ("sold", a.party_id,
                                                                                          20_000)
    assert "已成交" in browser.client.get("/auctions").text
    assert available(session, a.party_id) == 30_000 and available(session, b.party_id) == 50_000
