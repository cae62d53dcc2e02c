"""The batch path: many orders placed, escrowed, delivered, split and posted at once, each exactly once."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.settlement.flows import (
    PURPOSE,
    UNIT,
    funded_buyer,
    items,
    listed_product,
    sign_order,
    under_contract,
)
from tests.integration.settlement.test_journal import _invariants
from yaosu.auth.actor import Actor
from yaosu.canonical import canonical_json
from yaosu.errors import Conflict, Invalid, PolicyViolation
from yaosu.ledger.models import LedgerEvent
from yaosu.market import batch, orders
from yaosu.market.models import Order
from yaosu.settlement import escrow
from yaosu.settlement.batch import Entry, post_batch
from yaosu.settlement.escrow import available
from yaosu.settlement.journal import Leg, account_id, balance, post
from yaosu.settlement.models import AccountKind
from yaosu.settlement.split import Share, split


def _fee(session: Session) -> int:
    return balance(session, account_id(session, None, AccountKind.FEE_INCOME))


def test_a_settled_batch_pays_every_contributor_exactly(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    buyers = [funded_buyer(session, factory, 100_000) for _ in range(3)]
    first = sum(under_contract(session, b, provider, product) for b in buyers)
    earned, fee = available(session, provider.party_id), _fee(session)
    done = batch.settle_batch(session=session, actor=operator, product_id=product.id, items=items(buyers, 30))
    prices = [o.price for o in session.scalars(select(Order).where(Order.id.in_(done.placed)))]
    assert len(done.placed) == 30 and sum(prices) == done.total
    parts = [split(p, [Share("provider", 9000), Share("exchange", 1000)]) for p in prices]
    assert available(session, provider.party_id) - earned == sum(p[0][1] for p in parts)
    assert _fee(session) - fee == sum(p[1][1] for p in parts)
    assert sum(available(session, b.party_id) for b in buyers) == 300_000 - first - done.total
    assert {o.status for o in session.scalars(select(Order).where(Order.id.in_(done.placed)))} == {"settled"}
    event = session.scalar(select(LedgerEvent).where(LedgerEvent.subject_id == done.batch_id))
    assert event is not None and event.type == "order.batch_settled" and str(done.placed[0]) in event.payload
    _invariants(session)


def test_usage_is_settled_only_under_a_signed_contract(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    signed, unsigned = funded_buyer(session, factory, 100_000), funded_buyer(session, factory, 100_000)
    under_contract(session, signed, provider, product)
    drafted = orders.place_order(session=session, actor=unsigned, product_id=product.id, usage={"calls": 1},
                                 client_key="draft", purpose=PURPOSE)
    sign_order(session, unsigned, drafted.id)  # the provider has not signed
    with pytest.raises(PolicyViolation) as refused:
        batch.settle_batch(session=session, actor=operator, product_id=product.id, items=items([signed, unsigned], 2))
    assert refused.value.code == "contract_not_signed" and "1 buyer" in refused.value.message
    assert len(batch.settle_batch(session=session, actor=operator, product_id=product.id,
                                  items=items([signed], 2)).placed) == 2


def test_a_batch_sent_again_moves_nothing_and_a_reused_key_is_refused(session: Session, factory: Factory,
                                                                      operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    buyer = funded_buyer(session, factory, 100_000)
    left = 100_000 - under_contract(session, buyer, provider, product)
    first = batch.settle_batch(session=session, actor=operator, product_id=product.id, items=items([buyer], 5))
    again = batch.settle_batch(session=session, actor=operator, product_id=product.id,
                               items=items([buyer], 7))  # the first five are replayed, two are new
    assert again.replayed == first.placed and len(again.placed) == 2
    assert available(session, buyer.party_id) == left - first.total - again.total
    changed = [batch.BatchItem(buyer.party_id, {"calls": 9}, "k0")]
    with pytest.raises(Conflict) as reused:
        batch.settle_batch(session=session, actor=operator, product_id=product.id, items=changed)
    assert reused.value.code == "idempotency_key_reused"
    _invariants(session)


def test_one_short_buyer_refuses_the_whole_batch(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    rich, poor = funded_buyer(session, factory, 100_000), funded_buyer(session, factory, UNIT + 10)
    left = 100_000 - under_contract(session, rich, provider, product)
    under_contract(session, poor, provider, product)
    with pytest.raises(PolicyViolation) as short, session.begin_nested():
        batch.settle_batch(session=session, actor=operator, product_id=product.id, items=items([rich, poor], 4))
    assert short.value.code == "insufficient_funds"
    assert session.scalar(select(func.count()).select_from(Order)) == 2  # the two contracts' orders only
    assert available(session, rich.party_id) == left


def test_placed_in_a_batch_then_delivered_accepted_or_cancelled_one_by_one(session: Session, factory: Factory,
                                                                          operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    buyer = funded_buyer(session, factory, 100_000)
    placed = batch.place_batch(session=session, actor=buyer, product_id=product.id, items=items([buyer], 3),
                               purpose=PURPOSE)
    first, second, third = placed.placed
    assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == placed.total
    with pytest.raises(PolicyViolation) as unsigned, session.begin_nested():
        orders.deliver_order(session=session, actor=provider, order_id=first)
    assert unsigned.value.code == "contract_not_signed"  # each batch-placed order has its contract to sign
    sign_order(session, buyer, first)
    sign_order(session, provider, first)
    orders.deliver_order(session=session, actor=provider, order_id=first)
    settled = orders.accept_order(session=session, actor=buyer, order_id=first)
    cancelled = orders.cancel_order(session=session, actor=buyer, order_id=second)
    held = orders.get_order(session=session, actor=buyer, order_id=third).price
    assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == held
    assert available(session, buyer.party_id) == 100_000 - held - settled.price
    assert cancelled.status == "cancelled"
    _invariants(session)


def test_refusals(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed_product(session, factory, operator)
    buyer, other = funded_buyer(session, factory, 1_000), funded_buyer(session, factory, 1_000)
    with pytest.raises(Invalid, match="its own orders"):
        batch.place_batch(session=session, actor=buyer, product_id=product.id, items=items([other], 1),
                          purpose=PURPOSE)
    with pytest.raises(Invalid, match="twice"):
        batch.place_batch(session=session, actor=buyer, product_id=product.id, items=items([buyer], 1) * 2,
                          purpose=PURPOSE)
    with pytest.raises(Invalid, match="purpose"), session.begin_nested():
        batch.place_batch(session=session, actor=buyer, product_id=product.id, items=items([buyer], 1), purpose=" ")
    with pytest.raises(Invalid, match="1 to 1000"):
        batch.settle_batch(session=session, actor=operator, product_id=product.id, items=[])
    with pytest.raises(Invalid, match="lister"):
        batch.settle_batch(session=session, actor=operator, product_id=product.id, items=items([provider], 1))


AMOUNTS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 400)), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=AMOUNTS)
def test_a_batch_is_posted_exactly_when_posting_one_by_one_would_be(session: Session, factory: Factory,
                                                                    moves: list[tuple[int, int, int]]) -> None:
    """Two identical sets of accounts; random transfers posted as one batch on one, one by one on the other."""
    with session.begin_nested() as outer:
        books = []
        for _ in range(2):
            parties = [factory.party().id for _ in range(3)]
            for n, p in enumerate(parties):
                escrow.deposit(session, p, 300 * n + 1, f"seed-{p}")
            books.append([account_id(session, p, AccountKind.AVAILABLE) for p in parties])
        entries = [[Entry("transfer", f"{b}-{n}", None, (Leg(accs[s], -a), Leg(accs[t], a)))
                    for n, (s, t, a) in enumerate(moves) if s != t] for b, accs in enumerate(books)]
        if not entries[0]:
            outer.rollback()
            return
        outcome = []
        try:
            with session.begin_nested():
                post_batch(session, entries[0])
            outcome.append(True)
        except PolicyViolation:
            outcome.append(False)
        try:
            with session.begin_nested():
                for entry in entries[1]:
                    post(session, kind=entry.kind, idempotency_key=entry.key, legs=entry.legs)
            outcome.append(True)
        except PolicyViolation:
            outcome.append(False)
        assert outcome[0] == outcome[1]
        assert [balance(session, a) for a in books[0]] == [balance(session, a) for a in books[1]]
        _invariants(session)
        outer.rollback()


@pytest.mark.parametrize("client_key", ["k1", "中文\"键\\\n", "a" * 128])
def test_the_event_lists_each_order_with_the_hash_of_its_canonical_document(client_key: str) -> None:
    row = {"id": "01J0000000000000000000000A", "product_id": "01J0000000000000000000000B", "product_version": 1,
           "buyer_party_id": "01J0000000000000000000000C", "client_key": client_key,
           "usage": {"calls": 3, "periods": 1}, "price": 2103, "status": "settled"}
    assert batch._hashes([row]) == [hashlib.sha256(batch.order_document(row)).hexdigest()]
    assert batch.order_document(row) == canonical_json(row)


def test_an_account_opened_in_a_rolled_back_savepoint_is_opened_again(session: Session, factory: Factory) -> None:
    party = factory.party().id
    with session.begin_nested() as savepoint:
        escrow.deposit(session, party, 10, "d1")  # opens the party's account and caches its id
        savepoint.rollback()
    escrow.deposit(session, party, 10, "d1")  # the cached id is forgotten with the rollback
    assert available(session, party) == 10
