"""Auctions: sealed-bid first and second price, and ascending with a deadline (pure, deterministic).

Ties go to the earlier bid (then the smaller bidder id), so the same bids always give the same
winner and price. A reserve price is the least a sale may fetch; below it nothing is sold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from yaosu.errors import Conflict, Invalid

Kind = Literal["first_price", "second_price", "ascending"]


@dataclass(frozen=True)
class Bid:
    """A bidder's offer in fen, placed at `at`."""

    bidder: str
    amount: int
    at: datetime


@dataclass(frozen=True)
class Outcome:
    """The winner and the price paid, or no sale (`winner` None) with the reason."""

    winner: str | None
    price: int | None
    reason: str


def _ranked(bids: Sequence[Bid]) -> list[Bid]:
    """Highest amount first; among equal amounts the earlier bid, then the smaller bidder id."""
    return sorted(bids, key=lambda b: (-b.amount, b.at, b.bidder))


def leader(bids: Sequence[Bid]) -> Bid | None:
    """The bid that stands first by the tie-breaking order (highest, earlier, smaller bidder id), or None."""
    ranked = _ranked(bids)
    return ranked[0] if ranked else None


def _one_per_bidder(bids: Sequence[Bid]) -> None:
    if len({b.bidder for b in bids}) != len(bids):
        raise Invalid("a sealed-bid auction takes one bid per bidder", field="bids")


def sealed(kind: Literal["first_price", "second_price"], bids: Sequence[Bid], reserve: int = 0) -> Outcome:
    """Close a sealed-bid auction: the highest valid bid wins; it pays its own bid (first price) or the
    second-highest bid, at least the reserve (second price)."""
    _one_per_bidder(bids)
    valid = _ranked([b for b in bids if b.amount >= reserve])
    if not valid:
        return Outcome(None, None, "no bid reached the reserve price")
    top = valid[0]
    if kind == "first_price":
        return Outcome(top.bidder, top.amount, "highest bid, pays its bid")
    runner_up = valid[1].amount if len(valid) > 1 else reserve
    return Outcome(top.bidder, max(runner_up, reserve), "highest bid, pays the second-highest bid or the reserve")


@dataclass(frozen=True)
class Ascending:
    """An open ascending auction: each bid beats the standing one by `increment`; none after `deadline`."""

    reserve: int
    increment: int
    deadline: datetime

    def accept(self, standing: Bid | None, bid: Bid) -> Bid:
        """The new standing bid, or Conflict naming why `bid` is refused."""
        if bid.at > self.deadline:
            raise Conflict("the auction has closed", field="at", code="auction_closed")
        floor = self.reserve if standing is None else standing.amount + self.increment
        if bid.amount < floor:
            raise Conflict(f"a bid must be at least {floor} fen", field="amount", code="bid_too_low")
        return bid

    def close(self, standing: Bid | None, now: datetime) -> Outcome:
        """The outcome once the deadline has passed."""
        if now <= self.deadline:
            raise Conflict("the auction is still open", field="now", code="auction_open")
        if standing is None:
            return Outcome(None, None, "no bid reached the reserve price")
        return Outcome(standing.bidder, standing.amount, "standing bid at the deadline")
