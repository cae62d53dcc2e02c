"""Negotiations on products: DSP states by the right party only, counter-offers, one order at the agreed price."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.market import negotiations
from yaosu.market.models import Order
from yaosu.market.trading_schemas import NegotiationMessage, NegotiationRequest
from yaosu.settlement.escrow import available

NEGOTIATED = {"model": "negotiated", "asking": 80_000}


def send(session: Session, actor: Actor, neg_id: str, message: str, price: int | None = None) -> str:
    neg = negotiations.send_message(session=session, actor=actor, negotiation_id=neg_id,
                                    data=NegotiationMessage(message=message, price=price))  # type: ignore[arg-type]
    return neg.state


def test_counter_offers_then_finalized_opens_one_order_at_the_agreed_price(
        session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed(session, factory, operator, pricing=NEGOTIATED)
    buyer = funded_buyer(session, factory, 100_000)
    neg = negotiations.request_negotiation(session=session, actor=buyer, data=NegotiationRequest(
        product_id=product.id, price=50_000, purpose=PURPOSE))
    assert neg.state == "REQUESTED" and neg.price == 50_000
    assert send(session, provider, neg.id, "offer", 70_000) == "OFFERED"
    assert send(session, buyer, neg.id, "request", 60_000) == "REQUESTED"
    assert send(session, provider, neg.id, "offer", 65_000) == "OFFERED"
    assert send(session, buyer, neg.id, "accept") == "ACCEPTED"
    assert send(session, provider, neg.id, "agree") == "AGREED" and neg.agreed_at is not None
    assert send(session, buyer, neg.id, "verify") == "VERIFIED"
    assert available(session, buyer.party_id) == 100_000
    assert send(session, provider, neg.id, "finalize") == "FINALIZED"
    order = session.get(Order, neg.order_id)
    assert order is not None and (order.price, order.status, order.buyer_party_id) == (65_000, "escrowed",
                                                                                      buyer.party_id)
    assert available(session, buyer.party_id) == 35_000
    with pytest.raises(Conflict) as again:
        send(session, provider, neg.id, "finalize")
    assert again.value.code == "invalid_transition"
    assert len(session.scalars(select(Order).where(Order.product_id == product.id)).all()) == 1
    kinds = session.scalars(select(LedgerEvent.type).where(LedgerEvent.subject_id == neg.id)).all()
    assert sorted(kinds) == sorted(["negotiation.request", "negotiation.offer", "negotiation.request",
                                    "negotiation.offer", "negotiation.accept", "negotiation.agree",
                                    "negotiation.verify", "negotiation.finalize"])


@pytest.mark.parametrize(("steps", "wrong"), [
    ([], ("provider", "accept")),
    ([], ("consumer", "offer")),
    ([("provider", "offer")], ("provider", "agree")),
    ([("provider", "offer")], ("consumer", "verify")),
    ([("provider", "offer"), ("consumer", "accept")], ("consumer", "agree")),
    ([("provider", "offer"), ("consumer", "accept"), ("provider", "agree")], ("provider", "finalize")),
    ([("consumer", "terminate")], ("provider", "offer")),
], ids=["provider-accepts", "consumer-offers", "agree-before-accept", "verify-before-agree",
        "consumer-agrees", "finalize-before-verify", "after-terminate"])
def test_wrong_party_or_state_is_invalid_transition(session: Session, factory: Factory, operator: Actor,
                                                    steps: list[tuple[str, str]], wrong: tuple[str, str]) -> None:
    provider, product = listed(session, factory, operator, pricing=NEGOTIATED)
    buyer = funded_buyer(session, factory, 100_000)
    neg = negotiations.request_negotiation(session=session, actor=buyer, data=NegotiationRequest(
        product_id=product.id, price=10_000, purpose=PURPOSE))
    who = {"provider": provider, "consumer": buyer}
    for sender, message in steps:
        send(session, who[sender], neg.id, message, 20_000 if message == "offer" else None)
    before = neg.state
    with pytest.raises(Conflict) as refused:
        send(session, who[wrong[0]], neg.id, wrong[1], 20_000 if wrong[1] == "offer" else None)
    assert refused.value.code == "invalid_transition" and neg.state == before


def test_terminate_from_any_open_state_and_others_see_nothing(session: Session, factory: Factory,
                                                              operator: Actor) -> None:
    provider, product = listed(session, factory, operator, pricing=NEGOTIATED)
    buyer, stranger = funded_buyer(session, factory, 1), factory.actor(Role.BUYER)
    neg = negotiations.request_negotiation(session=session, actor=buyer, data=NegotiationRequest(
        product_id=product.id, purpose=PURPOSE))
    with pytest.raises(NotFound):
        negotiations.get_negotiation(session=session, actor=stranger, negotiation_id=neg.id)
    with pytest.raises(Invalid, match="no price"):
        send(session, provider, neg.id, "agree")
    send(session, provider, neg.id, "offer", 9_000)
    assert send(session, provider, neg.id, "terminate") == "TERMINATED"
    assert negotiations.get_negotiation(session=session, actor=operator, negotiation_id=neg.id).state == "TERMINATED"


def test_only_negotiated_products_are_negotiated(session: Session, factory: Factory, operator: Actor) -> None:
    _, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 100})
    buyer = funded_buyer(session, factory, 1)
    with pytest.raises(Invalid, match="negotiated"):
        negotiations.request_negotiation(session=session, actor=buyer,
                                         data=NegotiationRequest(product_id=product.id, purpose=PURPOSE))
