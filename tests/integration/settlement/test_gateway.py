"""Deposits and withdrawals go through a payment gateway: its reference is kept, a refused payout undoes the debit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.roles import Role
from yaosu.config import Settings
from yaosu.errors import Invalid, PolicyViolation
from yaosu.market import orders
from yaosu.settlement.escrow import available
from yaosu.settlement.gateway import SimulatedBank, gateway
from yaosu.settlement.models import JournalEntry


class RefusingBank(SimulatedBank):
    """A bank that accepts money in but refuses every payout (a stand-in for the bank, not for the exchange)."""

    def pay_out(self, party_id: str, amount: int, reference: str) -> str:
        raise PolicyViolation("the bank refused the transfer", field="amount", code="payout_refused")


def test_the_simulated_bank_is_deterministic_and_bounded() -> None:
    bank = gateway("simulated")
    assert bank.name == "simulated-bank"
    assert bank.confirm_receipt("P", 100, "k") == bank.confirm_receipt("P", 100, "k") != bank.pay_out("P", 100, "k")
    assert bank.confirm_receipt("P", 100, "k").startswith("SIM-IN-")
    for bad in (0, -5, 10**10 + 1):
        with pytest.raises(Invalid):
            bank.confirm_receipt("P", bad, "k")
    with pytest.raises(ValidationError):
        Settings(payment_gateway="swift")


def test_a_deposit_keeps_the_gateway_reference(session: Session, factory: Factory) -> None:
    buyer = factory.actor(Role.BUYER)
    assert orders.deposit(session=session, actor=buyer, amount=5_000, key="d1") == 5_000
    assert orders.deposit(session=session, actor=buyer, amount=5_000, key="d1") == 5_000  # the same key: once
    entry = session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == f"{buyer.party_id}:d1"))
    assert entry is not None and entry.reference == SimulatedBank().confirm_receipt(buyer.party_id, 5_000, "d1")


def test_a_refused_payout_leaves_the_money_where_it_was(session: Session, factory: Factory) -> None:
    seller = factory.actor(Role.PROVIDER)
    orders.deposit(session=session, actor=seller, amount=9_000, key="d")
    with pytest.raises(PolicyViolation) as refused, session.begin_nested():
        orders.withdraw(session=session, actor=seller, amount=4_000, key="w", gateway=RefusingBank())
    assert refused.value.code == "payout_refused" and available(session, seller.party_id) == 9_000
    assert session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == f"{seller.party_id}:w")) is None
    assert orders.withdraw(session=session, actor=seller, amount=4_000, key="w") == 5_000
