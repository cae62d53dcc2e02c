"""Money movements of the market, each one balanced entry (no actor: the market's actions authorize).

deposit / withdraw go through a payment gateway's clearing account; hold moves a buyer's money into
escrow for an order; release pays an order out of escrow to its contributors by the product's split
rule (the exchange's own share goes to fee income); refund returns it to the buyer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from yaosu.errors import Invalid
from yaosu.settlement.batch import account_ids
from yaosu.settlement.journal import Leg, account_id, balance, post
from yaosu.settlement.models import AccountKind
from yaosu.settlement.split import Share, split

EXCHANGE = "exchange"  # the split-rule party that stands for the exchange's fee


def _positive(amount: int) -> None:
    if not isinstance(amount, int) or amount <= 0:
        raise Invalid("an amount is a positive whole number of fen", field="amount")


def _between(session: Session, source: str, target: str, amount: int, kind: str, key: str,
             reference: str | None) -> tuple[str, bool]:
    _positive(amount)
    return post(session, kind=kind, idempotency_key=key, reference=reference,
                legs=[Leg(source, -amount), Leg(target, amount)])


def available(session: Session, party_id: str) -> int:
    """The party's available balance in fen."""
    return balance(session, account_id(session, party_id, AccountKind.AVAILABLE))


def deposit(session: Session, party_id: str, amount: int, key: str, reference: str | None = None
            ) -> tuple[str, bool]:
    """Credit money the gateway received for `party_id` to its available account."""
    gateway = account_id(session, None, AccountKind.GATEWAY)
    return _between(session, gateway, account_id(session, party_id, AccountKind.AVAILABLE), amount, "deposit",
                    key, reference)


def withdraw(session: Session, party_id: str, amount: int, key: str, reference: str | None = None
             ) -> tuple[str, bool]:
    """Pay `amount` of `party_id`'s available money out through the gateway (insufficient funds refused)."""
    gateway = account_id(session, None, AccountKind.GATEWAY)
    return _between(session, account_id(session, party_id, AccountKind.AVAILABLE), gateway, amount, "withdraw",
                    key, reference)


def hold(session: Session, buyer: str, amount: int, order_id: str, key: str) -> tuple[str, bool]:
    """Move an order's price from the buyer's available money into its escrow (both accounts found or opened
    in one statement, race-free)."""
    ids = account_ids(session, [(buyer, AccountKind.AVAILABLE), (buyer, AccountKind.ESCROW)])
    return _between(session, ids[(buyer, AccountKind.AVAILABLE.value)], ids[(buyer, AccountKind.ESCROW.value)],
                    amount, "hold", key, order_id)


def refund(session: Session, buyer: str, amount: int, order_id: str, key: str) -> tuple[str, bool]:
    """Return an order's escrowed price to the buyer's available money."""
    return _between(session, account_id(session, buyer, AccountKind.ESCROW),
                    account_id(session, buyer, AccountKind.AVAILABLE), amount, "refund", key, order_id)


def release(session: Session, buyer: str, amount: int, shares: Sequence[Share], order_id: str, key: str
            ) -> tuple[str, bool]:
    """Pay an order out of the buyer's escrow to its contributors, split exactly by `shares` (one entry)."""
    _positive(amount)
    payees = [(None if s.party == EXCHANGE else s.party,
               AccountKind.FEE_INCOME if s.party == EXCHANGE else AccountKind.AVAILABLE) for s in shares]
    ids = account_ids(session, [(buyer, AccountKind.ESCROW), *payees])
    legs = [Leg(ids[(buyer, AccountKind.ESCROW.value)], -amount)]
    for (party, kind), (_, part) in zip(payees, split(amount, shares), strict=True):
        if part:
            legs.append(Leg(ids[(party, kind.value)], part))
    merged: dict[str, int] = {}
    for leg in legs:
        merged[leg.account_id] = merged.get(leg.account_id, 0) + leg.amount
    return post(session, kind="release", idempotency_key=key, reference=order_id,
                legs=[Leg(a, n) for a, n in merged.items() if n])
