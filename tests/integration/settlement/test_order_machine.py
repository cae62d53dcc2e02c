"""A Hypothesis state machine over both order paths (one by one and in batches), resends and withdrawals.

After every step: the journal balances, no account owed nothing is negative, each buyer's escrow holds
exactly its open orders' prices, and no order is delivered or settled without its price having been
held (and, once settled, released) exactly once — whatever sequence got there.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import Session, SessionTransaction

from tests.factories import Factory
from tests.integration.settlement.flows import PURPOSE, funded_buyer, listed_product, sign_order, under_contract
from tests.integration.settlement.test_journal import _invariants
from yaosu.auth.actor import Actor
from yaosu.errors import Conflict, PolicyViolation
from yaosu.market import batch, orders
from yaosu.market.models import Order
from yaosu.settlement import escrow
from yaosu.settlement.journal import account_id, balance
from yaosu.settlement.models import AccountKind, JournalEntry

KEYS = st.sampled_from([f"k{n}" for n in range(8)])  # few keys: resends and reuses happen often
CALLS = st.integers(1, 3)
WHO = st.integers(0, 1)


class Books(RuleBasedStateMachine):
    """Orders placed, delivered, accepted, cancelled; money withdrawn; requests sent again."""

    world: tuple[Session, Actor, Actor, str, list[Actor]]

    def __init__(self) -> None:
        super().__init__()
        self.session, self.operator, self.provider, self.product_id, self.buyers = self.world
        self.savepoint: SessionTransaction = self.session.begin_nested()
        self.steps = 0

    def _try(self, act: Any, **kwargs: Any) -> None:
        try:
            with self.session.begin_nested():
                act(session=self.session, **kwargs)
        except (Conflict, PolicyViolation):
            pass

    def _order(self, n: int, status: str | None) -> Order | None:
        query = select(Order).order_by(Order.id)
        found = list(self.session.scalars(query if status is None else query.where(Order.status == status)))
        return found[n % len(found)] if found else None

    @rule(who=WHO, key=KEYS, calls=CALLS)
    def place(self, who: int, key: str, calls: int) -> None:
        self._try(orders.place_order, actor=self.buyers[who], product_id=self.product_id, usage={"calls": calls},
                  client_key=key, purpose=PURPOSE)

    @rule(who=WHO, keys=st.lists(KEYS, min_size=1, max_size=4, unique=True), calls=CALLS)
    def place_batch(self, who: int, keys: list[str], calls: int) -> None:
        items = [batch.BatchItem(self.buyers[who].party_id, {"calls": calls}, k) for k in keys]
        self._try(batch.place_batch, actor=self.buyers[who], product_id=self.product_id, items=items,
                  purpose=PURPOSE)

    @rule(picks=st.lists(st.tuples(WHO, KEYS), min_size=1, max_size=4, unique=True), calls=CALLS)
    def settle_batch(self, picks: list[tuple[int, str]], calls: int) -> None:
        items = [batch.BatchItem(self.buyers[w].party_id, {"calls": calls}, k) for w, k in picks]
        self._try(batch.settle_batch, actor=self.operator, product_id=self.product_id, items=items)

    @rule(n=st.integers(0, 20), fitting=st.booleans())
    def deliver(self, n: int, fitting: bool) -> None:
        self._advance("deliver", n, fitting)

    @rule(n=st.integers(0, 20), fitting=st.booleans())
    def accept(self, n: int, fitting: bool) -> None:
        self._advance("accept", n, fitting)

    @rule(n=st.integers(0, 20), fitting=st.booleans())
    def cancel(self, n: int, fitting: bool) -> None:
        self._advance("cancel", n, fitting)

    def _advance(self, step: str, n: int, fitting: bool) -> None:
        """A step on an order in the state it needs (`fitting`) or on any order (mostly refused)."""
        order = self._order(n, ("delivered" if step == "accept" else "escrowed") if fitting else None)
        if order is None:
            return
        buyer = next(b for b in self.buyers if b.party_id == order.buyer_party_id)
        if step == "deliver" and fitting:  # both sign first (unsigned, a delivery is refused: the other case)
            for party in (buyer, self.provider):
                self._try(lambda session, party=party: sign_order(session, party, order.id))
        act, actor = {"deliver": (orders.deliver_order, self.provider), "accept": (orders.accept_order, buyer),
                      "cancel": (orders.cancel_order, buyer)}[step]
        self._try(act, actor=actor, order_id=order.id)

    @rule(who=WHO, amount=st.integers(1, 3_000))
    def withdraw(self, who: int, amount: int) -> None:
        self.steps += 1
        self._try(lambda session: escrow.withdraw(session, self.buyers[who].party_id, amount, f"w{self.steps}"))

    @invariant()
    def books_are_exact(self) -> None:
        _invariants(self.session)
        rows = list(self.session.scalars(select(Order)))
        steps = Counter(self.session.execute(select(JournalEntry.reference, JournalEntry.kind)).all())
        for o in rows:
            released, refunded = steps[(o.id, "release")], steps[(o.id, "refund")]
            assert steps[(o.id, "hold")] == 1  # nothing is delivered or settled unless its price was held
            assert (released, refunded) == {"settled": (1, 0), "cancelled": (0, 1)}.get(o.status, (0, 0))
        for buyer in self.buyers:
            held = sum(o.price for o in rows if o.buyer_party_id == buyer.party_id
                       and o.status in ("escrowed", "delivered"))
            assert balance(self.session, account_id(self.session, buyer.party_id, AccountKind.ESCROW)) == held

    def teardown(self) -> None:
        self.savepoint.rollback()


def test_any_sequence_of_orders_keeps_the_books(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    buyers = [funded_buyer(session, factory, 6_000) for _ in range(2)]  # a few orders each: refusals happen
    for buyer in buyers:  # the contract under which batches settle usage
        under_contract(session, buyer, provider, product)
    Books.world = (session, operator, provider, product.id, buyers)
    run_state_machine_as_test(Books, settings=settings(
        max_examples=10, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
