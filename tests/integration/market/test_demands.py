"""The demand board: a buyer's need, listed products ranked against it, offers, one accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.test_orders import _listed
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.market import demands
from yaosu.market.schemas import DemandCreate, OfferCreate


def _demand(session: Session, buyer: Actor, **extra: object) -> str:
    body = {"title": "港口吞吐量月报", "domain": "commerce", "fields_wanted": ["港口", "吞吐量"],
            "purpose": "航运风险评估", "budget": 100_000, "deadline": clock.now() + timedelta(days=7), **extra}
    return demands.post_demand(session=session, actor=buyer, data=DemandCreate.model_validate(body)).id


def test_matches_offers_and_acceptance(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = _listed(session, factory, operator)  # titled 港口吞吐量月报, commerce sources
    buyer = factory.actor(Role.BUYER)
    demand_id = _demand(session, buyer)
    assert demand_id in [d.id for d in demands.list_open(session=session, actor=provider)]
    matches = demands.match_demand(session=session, actor=buyer, demand_id=demand_id)
    assert matches and matches[0].product_id == product.id and matches[0].score > 0.5
    offer = demands.make_offer(session=session, actor=provider, demand_id=demand_id,
                               data=OfferCreate(product_id=product.id, price=88_000, message="可按月供数"))
    with pytest.raises(Conflict):
        demands.make_offer(session=session, actor=provider, demand_id=demand_id,
                           data=OfferCreate(product_id=product.id, price=1))
    assert [o.id for o in demands.list_offers(session=session, actor=buyer, demand_id=demand_id)] == [offer.id]
    accepted = demands.accept_offer(session=session, actor=buyer, offer_id=offer.id)
    assert accepted.status == "accepted"
    assert demand_id not in [d.id for d in demands.list_open(session=session, actor=provider)]
    with pytest.raises(Conflict):
        demands.accept_offer(session=session, actor=buyer, offer_id=offer.id)


def test_only_owners_act(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = _listed(session, factory, operator)
    buyer, other = factory.actor(Role.BUYER), factory.actor(Role.BUYER)
    demand_id = _demand(session, buyer)
    with pytest.raises(NotFound):
        demands.match_demand(session=session, actor=other, demand_id=demand_id)
    with pytest.raises(NotFound):  # a listed product of someone else
        demands.make_offer(session=session, actor=factory.actor(Role.PROVIDER), demand_id=demand_id,
                           data=OfferCreate(product_id=product.id, price=5))
    offer = demands.make_offer(session=session, actor=provider, demand_id=demand_id,
                               data=OfferCreate(product_id=product.id, price=5))
    with pytest.raises(NotFound):
        demands.accept_offer(session=session, actor=other, offer_id=offer.id)
    assert demands.list_offers(session=session, actor=other, demand_id=demand_id) == []


@pytest.mark.parametrize(("extra", "field"), [({"domain": "astrology"}, "domain"),
                                              ({"deadline": clock.now() - timedelta(days=1)}, "deadline")])
def test_bad_demands_are_refused(session: Session, factory: Factory, extra: dict[str, object], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        _demand(session, factory.actor(Role.BUYER), **extra)
    assert refused.value.field == field


def test_an_accepted_offer_is_ordered_once_at_the_offered_price(session: Session, factory: Factory,
                                                                operator: Actor) -> None:
    from yaosu.market import orders
    from yaosu.settlement.escrow import available

    provider, product = _listed(session, factory, operator)
    buyer = factory.actor(Role.BUYER)
    orders.deposit(session=session, actor=buyer, amount=100_000, key="d")
    demand_id = _demand(session, buyer)
    offer = demands.make_offer(session=session, actor=provider, demand_id=demand_id,
                               data=OfferCreate(product_id=product.id, price=88_000))
    with pytest.raises(Conflict):  # not accepted yet
        orders.order_offer(session=session, actor=buyer, offer_id=offer.id, client_key="k")
    demands.accept_offer(session=session, actor=buyer, offer_id=offer.id)
    order = orders.order_offer(session=session, actor=buyer, offer_id=offer.id, client_key="k")
    assert (order.price, order.status, available(session, buyer.party_id)) == (88_000, "escrowed", 12_000)
    assert orders.order_offer(session=session, actor=buyer, offer_id=offer.id, client_key="k").id == order.id
    with pytest.raises(Conflict):  # a second order from the same offer
        orders.order_offer(session=session, actor=buyer, offer_id=offer.id, client_key="k2")
