"""Orders: escrow on placing, payout by the split on acceptance, refunds on cancel; money moves exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed, sign
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, NotFound, PolicyViolation
from yaosu.market import orders
from yaosu.market.models import Product
from yaosu.settlement.escrow import available
from yaosu.settlement.journal import account_id, balance
from yaosu.settlement.models import Account, AccountKind


def _listed(session: Session, factory: Factory, operator: Actor, price: int = 10_001) -> tuple[Actor, Product]:
    return listed(session, factory, operator, price)


def _buyer(session: Session, factory: Factory, funds: int) -> Actor:
    return funded_buyer(session, factory, funds)


def test_place_deliver_accept_pays_the_split(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = _listed(session, factory, operator)
    buyer = _buyer(session, factory, 50_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 3},
                               client_key="c1", purpose=PURPOSE)
    assert (order.price, order.status, available(session, buyer.party_id)) == (30_003, "escrowed", 19_997)
    assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == 30_003
    sign(session, buyer, order)
    sign(session, provider, order)
    orders.deliver_order(session=session, actor=provider, order_id=order.id, note="已交付报告")
    orders.accept_order(session=session, actor=buyer, order_id=order.id)
    assert order.status == "settled" and available(session, provider.party_id) == 27_003
    assert balance(session, account_id(session, None, AccountKind.FEE_INCOME)) == 3_000
    assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == 0


def test_placing_twice_with_one_key_places_once(session: Session, factory: Factory, operator: Actor) -> None:
    _, product = _listed(session, factory, operator)
    buyer = _buyer(session, factory, 50_000)
    first = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1},
                               client_key="k", purpose=PURPOSE)
    again = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1},
                               client_key="k", purpose=PURPOSE)
    assert again.id == first.id and available(session, buyer.party_id) == 50_000 - first.price
    with pytest.raises(Conflict):
        orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 2}, client_key="k",
                           purpose=PURPOSE)


def test_no_funds_no_order(session: Session, factory: Factory, operator: Actor) -> None:
    _, product = _listed(session, factory, operator)
    buyer = _buyer(session, factory, 100)
    with pytest.raises(PolicyViolation) as short, session.begin_nested():
        orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1}, client_key="x",
                           purpose=PURPOSE)
    assert short.value.code == "insufficient_funds"


def test_cancel_refunds_and_a_cancelled_order_is_not_delivered(session: Session, factory: Factory,
                                                               operator: Actor) -> None:
    provider, product = _listed(session, factory, operator)
    buyer = _buyer(session, factory, 50_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1},
                               client_key="c", purpose=PURPOSE)
    orders.cancel_order(session=session, actor=buyer, order_id=order.id)
    assert available(session, buyer.party_id) == 50_000
    with pytest.raises(Conflict) as refused:
        orders.deliver_order(session=session, actor=provider, order_id=order.id)
    assert refused.value.code == "invalid_transition"


def test_only_the_parties_to_an_order_act_on_it(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = _listed(session, factory, operator)
    buyer, stranger = _buyer(session, factory, 50_000), factory.actor(Role.BUYER)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1},
                               client_key="c", purpose=PURPOSE)
    for act in (orders.get_order, orders.cancel_order, orders.accept_order):
        with pytest.raises(NotFound):
            act(session=session, actor=stranger, order_id=order.id)
    with pytest.raises(NotFound):
        orders.deliver_order(session=session, actor=buyer, order_id=order.id)
    assert orders.get_order(session=session, actor=provider, order_id=order.id).id == order.id


STEPS = st.lists(st.tuples(st.sampled_from(["place", "deliver", "accept", "cancel"]), st.integers(0, 3)),
                 max_size=30)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_no_reachable_state_delivers_without_money_held(session: Session, factory: Factory, operator: Actor,
                                                        steps: list[tuple[str, int]]) -> None:
    with session.begin_nested() as outer:
        provider, product = _listed(session, factory, operator, price=7_000)
        buyer = _buyer(session, factory, 20_000)
        placed: list[Any] = []
        for n, (step, which) in enumerate(steps):
            try:
                with session.begin_nested():
                    if step == "place":
                        placed.append(orders.place_order(session=session, actor=buyer, product_id=product.id,
                                                         usage={"calls": 1}, client_key=f"k{n}",
                                                         purpose=PURPOSE))
                    elif placed:
                        order = placed[which % len(placed)]
                        act = {"deliver": (orders.deliver_order, provider), "accept": (orders.accept_order, buyer),
                               "cancel": (orders.cancel_order, buyer)}[step]
                        act[0](session=session, actor=act[1], order_id=order.id)
            except (Conflict, PolicyViolation):
                pass
        escrowed = sum(o.price for o in placed if o.status in ("escrowed", "delivered"))
        assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == escrowed
        paid = sum(o.price for o in placed if o.status == "settled")
        assert available(session, buyer.party_id) == 20_000 - escrowed - paid
        assert session.scalar(select(func.sum(Account.balance))) == 0
        outer.rollback()
