"""Auctions: winner, price and deterministic ties for sealed first/second price and ascending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from yaosu.errors import Conflict, Invalid
from yaosu.market.auction import Ascending, Bid, leader, sealed

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def bid(who: str, amount: int, minute: int = 0) -> Bid:
    return Bid(who, amount, T0 + timedelta(minutes=minute))


@pytest.mark.parametrize(("kind", "bids", "reserve", "winner", "price"), [
    ("first_price", [bid("a", 100), bid("b", 300), bid("c", 200)], 0, "b", 300),
    ("second_price", [bid("a", 100), bid("b", 300), bid("c", 200)], 0, "b", 200),
    ("second_price", [bid("b", 300)], 150, "b", 150),
    ("second_price", [bid("a", 100), bid("b", 300)], 250, "b", 250),
    ("first_price", [bid("a", 300, 2), bid("b", 300, 1)], 0, "b", 300),
    ("second_price", [bid("a", 300, 2), bid("b", 300, 1)], 0, "b", 300),
    ("first_price", [bid("z", 300, 1), bid("y", 300, 1)], 0, "y", 300),
    ("first_price", [bid("a", 100)], 200, None, None),
    ("second_price", [], 0, None, None),
], ids=["first", "second", "second-single-reserve", "second-reserve-above-runner-up", "tie-earlier-wins",
        "tie-second-pays-tie", "tie-same-time-smaller-id", "below-reserve", "no-bids"])
def test_sealed(kind: str, bids: list[Bid], reserve: int, winner: str | None, price: int | None) -> None:
    outcome = sealed(kind, bids, reserve)  # type: ignore[arg-type]
    assert (outcome.winner, outcome.price) == (winner, price)


def test_sealed_takes_one_bid_per_bidder() -> None:
    with pytest.raises(Invalid, match="one bid per bidder"):
        sealed("first_price", [bid("a", 1), bid("a", 2)])


def test_ascending() -> None:
    auction = Ascending(reserve=100, increment=10, deadline=T0 + timedelta(hours=1))
    with pytest.raises(Conflict) as low:
        auction.accept(None, bid("a", 99))
    assert low.value.code == "bid_too_low"
    standing = auction.accept(None, bid("a", 100))
    with pytest.raises(Conflict):
        auction.accept(standing, bid("b", 109))
    standing = auction.accept(standing, bid("b", 110, 5))
    with pytest.raises(Conflict) as late:
        auction.accept(standing, bid("c", 500, 61))
    assert late.value.code == "auction_closed"
    with pytest.raises(Conflict) as still_open:
        auction.close(standing, T0 + timedelta(minutes=30))
    assert still_open.value.code == "auction_open"
    outcome = auction.close(standing, T0 + timedelta(minutes=61))
    assert (outcome.winner, outcome.price) == ("b", 110)
    assert auction.close(None, T0 + timedelta(hours=2)).winner is None


@pytest.mark.parametrize(("bids", "winner"), [
    ([], None),
    ([bid("a", 100), bid("b", 200)], "b"),
    ([bid("a", 200, 3), bid("b", 200, 1), bid("c", 200, 2)], "b"),
    ([bid("z", 200, 1), bid("m", 200, 1)], "m"),
], ids=["none", "highest", "tie-earliest", "tie-same-time-smaller-id"])
def test_leader(bids: list[Bid], winner: str | None) -> None:
    top = leader(bids)
    assert (top.bidder if top else None) == winner


@pytest.mark.parametrize(("bids", "reserve", "winner", "price"), [
    ([bid("a", 300, 1), bid("b", 300, 2), bid("c", 300, 3)], 0, "a", 300),
    ([bid("a", 100), bid("b", 300), bid("c", 300, 1)], 0, "b", 300),
    ([bid("a", 100), bid("b", 120)], 110, "b", 110),
], ids=["three-way-tie-pays-the-tie", "top-two-tie-earlier-wins", "reserve-between-bids"])
def test_second_price_ties_and_reserve(bids: list[Bid], reserve: int, winner: str, price: int) -> None:
    outcome = sealed("second_price", bids, reserve)
    assert (outcome.winner, outcome.price) == (winner, price)


def test_ascending_equal_bid_does_not_displace_the_standing_one() -> None:
    auction = Ascending(reserve=100, increment=1, deadline=T0 + timedelta(hours=1))
    standing = auction.accept(None, bid("a", 150))
    with pytest.raises(Conflict) as tie:
        auction.accept(standing, bid("b", 150, 1))
    assert tie.value.code == "bid_too_low"
    assert auction.close(standing, T0 + timedelta(hours=2)).winner == "a"
