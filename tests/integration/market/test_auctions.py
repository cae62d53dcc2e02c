"""Auctions on products: bids held in escrow, sealed until the close, winner by the kernel, holds released."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, PolicyViolation
from yaosu.market import auctions
from yaosu.market.models import Order
from yaosu.market.trading_models import Auction
from yaosu.market.trading_schemas import AuctionCreate
from yaosu.settlement.escrow import available
from yaosu.settlement.journal import account_id, balance
from yaosu.settlement.models import AccountKind

FIXED = {"model": "fixed", "price": 100_000}


def _open(session: Session, factory: Factory, operator: Actor, kind: str, reserve: int = 10_000,
          increment: int = 1) -> tuple[Actor, Auction]:
    provider, product = listed(session, factory, operator, pricing=FIXED)
    auction = auctions.open_auction(session=session, actor=provider, data=AuctionCreate(
        product_id=product.id, kind=kind, reserve=reserve, increment=increment,  # type: ignore[arg-type]
        deadline=clock.now() + timedelta(hours=1)))
    return provider, auction


def _escrow(session: Session, actor: Actor) -> int:
    return balance(session, account_id(session, actor.party_id, AccountKind.ESCROW))


def test_sealed_second_price_holds_bids_hides_them_and_pays_the_runner_up(
        session: Session, factory: Factory, operator: Actor) -> None:
    clock.freeze(clock.now())
    provider, auction = _open(session, factory, operator, "second_price")
    a, b, c = (funded_buyer(session, factory, 50_000) for _ in range(3))
    for who, amount in ((a, 30_000), (b, 45_000), (c, 20_000)):
        auctions.place_bid(session=session, actor=who, auction_id=auction.id, amount=amount, purpose=PURPOSE)
        clock.advance(timedelta(seconds=1))
    assert (available(session, b.party_id), _escrow(session, b)) == (5_000, 45_000)
    assert [x.amount for x in auctions.list_bids(session=session, actor=a, auction_id=auction.id)] == [30_000]
    assert auctions.list_bids(session=session, actor=provider, auction_id=auction.id) == []
    with pytest.raises(Conflict) as early:
        auctions.close_auction(session=session, actor=c, auction_id=auction.id)
    assert early.value.code == "auction_open"
    clock.advance(timedelta(hours=1))
    closed = auctions.close_auction(session=session, actor=factory.actor(Role.BUYER), auction_id=auction.id)
    assert (closed.status, closed.winner_party_id, closed.price) == ("sold", b.party_id, 30_000)
    order = session.get(Order, closed.order_id)
    assert order is not None and (order.buyer_party_id, order.price, order.status) == (b.party_id, 30_000,
                                                                                      "escrowed")
    assert (available(session, b.party_id), _escrow(session, b)) == (20_000, 30_000)
    for loser in (a, c):
        assert (available(session, loser.party_id), _escrow(session, loser)) == (50_000, 0)
    assert len(auctions.list_bids(session=session, actor=provider, auction_id=auction.id)) == 3
    with pytest.raises(Conflict):
        auctions.close_auction(session=session, actor=a, auction_id=auction.id)


def test_equal_sealed_bids_go_to_the_earlier(session: Session, factory: Factory, operator: Actor) -> None:
    clock.freeze(clock.now())
    _, auction = _open(session, factory, operator, "first_price")
    late, early = funded_buyer(session, factory, 50_000), funded_buyer(session, factory, 50_000)
    auctions.place_bid(session=session, actor=early, auction_id=auction.id, amount=25_000, purpose=PURPOSE)
    clock.advance(timedelta(seconds=5))
    auctions.place_bid(session=session, actor=late, auction_id=auction.id, amount=25_000, purpose=PURPOSE)
    clock.advance(timedelta(hours=2))
    closed = auctions.close_auction(session=session, actor=late, auction_id=auction.id)
    assert (closed.winner_party_id, closed.price) == (early.party_id, 25_000)
    assert available(session, late.party_id) == 50_000


def test_a_bid_needs_the_money_and_a_sealed_auction_one_bid_each(session: Session, factory: Factory,
                                                                 operator: Actor) -> None:
    _, auction = _open(session, factory, operator, "first_price")
    poor, rich = funded_buyer(session, factory, 5_000), funded_buyer(session, factory, 50_000)
    with pytest.raises(PolicyViolation) as short, session.begin_nested():
        auctions.place_bid(session=session, actor=poor, auction_id=auction.id, amount=20_000, purpose=PURPOSE)
    assert short.value.code == "insufficient_funds"
    assert auctions.list_bids(session=session, actor=poor, auction_id=auction.id) == []
    auctions.place_bid(session=session, actor=rich, auction_id=auction.id, amount=20_000, purpose=PURPOSE)
    with pytest.raises(Conflict) as twice:
        auctions.place_bid(session=session, actor=rich, auction_id=auction.id, amount=30_000, purpose=PURPOSE)
    assert twice.value.code == "already_bid"
    with pytest.raises(Conflict) as low:
        auctions.place_bid(session=session, actor=poor, auction_id=auction.id, amount=1_000, purpose=PURPOSE)
    assert low.value.code == "bid_too_low"


def test_ascending_releases_the_outbid_and_sells_to_the_standing_bid(session: Session, factory: Factory,
                                                                      operator: Actor) -> None:
    clock.freeze(clock.now())
    _, auction = _open(session, factory, operator, "ascending", reserve=10_000, increment=1_000)
    a, b = funded_buyer(session, factory, 50_000), funded_buyer(session, factory, 50_000)
    auctions.place_bid(session=session, actor=a, auction_id=auction.id, amount=10_000, purpose=PURPOSE)
    with pytest.raises(Conflict) as low:
        auctions.place_bid(session=session, actor=b, auction_id=auction.id, amount=10_500, purpose=PURPOSE)
    assert low.value.code == "bid_too_low"
    auctions.place_bid(session=session, actor=b, auction_id=auction.id, amount=11_000, purpose=PURPOSE)
    assert (available(session, a.party_id), _escrow(session, a)) == (50_000, 0)
    auctions.place_bid(session=session, actor=a, auction_id=auction.id, amount=15_000, purpose=PURPOSE)
    assert [x.amount for x in auctions.list_bids(session=session, actor=b, auction_id=auction.id)] == [
        10_000, 11_000, 15_000]
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(Conflict) as late:
        auctions.place_bid(session=session, actor=b, auction_id=auction.id, amount=40_000, purpose=PURPOSE)
    assert late.value.code == "auction_closed"
    closed = auctions.close_auction(session=session, actor=b, auction_id=auction.id)
    assert (closed.winner_party_id, closed.price) == (a.party_id, 15_000)
    assert (available(session, a.party_id), _escrow(session, a)) == (35_000, 15_000)
    assert (available(session, b.party_id), _escrow(session, b)) == (50_000, 0)


def test_nothing_at_the_reserve_is_unsold(session: Session, factory: Factory, operator: Actor) -> None:
    clock.freeze(clock.now())
    _, auction = _open(session, factory, operator, "ascending", reserve=10_000)
    clock.advance(timedelta(hours=2))
    closed = auctions.close_auction(session=session, actor=operator, auction_id=auction.id)
    assert (closed.status, closed.winner_party_id, closed.order_id) == ("unsold", None, None)


def test_the_leader_raises_its_own_ascending_bid_with_the_money_already_held(
        session: Session, factory: Factory, operator: Actor) -> None:
    _, auction = _open(session, factory, operator, "ascending", reserve=10_000, increment=1_000)
    leader = funded_buyer(session, factory, 30_000)
    auctions.place_bid(session=session, actor=leader, auction_id=auction.id, amount=20_000, purpose=PURPOSE)
    auctions.place_bid(session=session, actor=leader, auction_id=auction.id, amount=30_000, purpose=PURPOSE)
    assert (available(session, leader.party_id), _escrow(session, leader)) == (0, 30_000)
