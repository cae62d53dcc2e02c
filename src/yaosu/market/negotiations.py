"""Negotiations on products priced `negotiated`: the Dataspace Protocol's states, driven by the pure kernel.

The buyer (consumer) requests, counter-offers, accepts and verifies; the lister (provider) offers,
agrees and finalizes; either terminates. `negotiation.kernel.transition` decides every move, so a wrong
sender or state is a 409 `invalid_transition`. FINALIZED opens the buyer's order at the agreed price,
into escrow, once (the order's client key is the negotiation's id).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import User
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.service import actor_for_user
from yaosu.errors import Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market.models import Product
from yaosu.market.negotiation import State, transition
from yaosu.market.orders import BUYERS, open_order
from yaosu.market.pricing import Negotiated, parse_pricing
from yaosu.market.schemas import ProductStatus
from yaosu.market.trading_models import Negotiation
from yaosu.market.trading_schemas import NegotiationMessage, NegotiationRequest
from yaosu.resources.service import OVERSEERS

PRICED = frozenset({"request", "offer"})  # the messages that put a price on the table


def _event(neg: Negotiation, message: str, actor: Actor) -> Event:
    return Event(f"negotiation.{message}", "negotiation", neg.id,
                 {"product": neg.product_id, "state": neg.state, "price": neg.price, "by": actor.party_id})


def listed_product(session: Session, product_id: str) -> Product:
    """The listed product `product_id` (NotFound otherwise)."""
    product = session.get(Product, product_id)
    if product is None or product.status != ProductStatus.LISTED.value:
        raise NotFound("no such listed product", field="product_id")
    return product


def party_actor(session: Session, user_id: str | None, party_id: str) -> Actor:
    """The actor of the user who committed a party to buy (its request or bid); that party's order is theirs."""
    user = session.get(User, user_id) if user_id else None
    if user is None or user.party_id != party_id:
        raise NotFound("the buyer's user no longer exists", field="user")
    return actor_for_user(session, user)


@action("negotiation.request", roles=BUYERS)
def request_negotiation(*, session: Session, actor: Actor, data: NegotiationRequest) -> Negotiation:
    """A buyer opens a negotiation on a listed product priced `negotiated` (state REQUESTED)."""
    product = listed_product(session, data.product_id)
    if not isinstance(parse_pricing(product.pricing), Negotiated):
        raise Invalid("this product has a list price; only a product priced `negotiated` is negotiated",
                      field="product_id")
    if product.lister_party_id == actor.party_id:
        raise Invalid("a lister does not negotiate with itself", field="product_id")
    now = clock.now()
    neg = Negotiation(product_id=product.id, consumer_party_id=actor.party_id, consumer_user_id=actor.user_id,
                      provider_party_id=product.lister_party_id, state=transition(None, "request", "consumer"),
                      price=data.price, usage=dict(data.usage), purpose=data.purpose.strip(), note=data.note,
                      created_at=now, updated_at=now)
    session.add(neg)
    session.flush()
    append(session, actor, _event(neg, "request", actor))
    return neg


def _load(session: Session, actor: Actor, negotiation_id: str, *, lock: bool = False) -> Negotiation:
    neg = session.get(Negotiation, negotiation_id, with_for_update=lock)
    if neg is None or (actor.party_id not in (neg.consumer_party_id, neg.provider_party_id)
                       and not actor.has(*OVERSEERS)):
        raise NotFound("no such negotiation", field="negotiation_id")
    return neg


def _sender(actor: Actor, neg: Negotiation) -> str:
    if actor.party_id == neg.consumer_party_id:
        return "consumer"
    if actor.party_id == neg.provider_party_id:
        return "provider"
    return "observer"  # an overseer reads but sends nothing: the kernel refuses it


def _apply_price(neg: Negotiation, data: NegotiationMessage) -> None:
    if data.message in PRICED:
        if data.price is None:
            raise Invalid(f"{data.message} names a price in fen", field="price")
        neg.price = data.price
    elif data.price is not None and data.price != neg.price:
        raise Invalid(f"{data.message} takes the price on the table; a new price is a counter-offer",
                      field="price")
    if data.message == "agree" and neg.price is None:
        raise Invalid("there is no price on the table to agree to", field="price")


@action("negotiation.send", roles=ANY_ROLE)
def send_message(*, session: Session, actor: Actor, negotiation_id: str, data: NegotiationMessage) -> Negotiation:
    """Move a negotiation by one message of the right party; FINALIZED opens the order at the agreed price."""
    neg = _load(session, actor, negotiation_id, lock=True)  # one message at a time per negotiation
    target = transition(State(neg.state), data.message, _sender(actor, neg))
    _apply_price(neg, data)
    neg.state, neg.updated_at = target.value, clock.now()
    if data.note:
        neg.note = data.note
    if target is State.AGREED:
        neg.agreed_at = neg.updated_at
    append(session, actor, _event(neg, data.message, actor))
    if target is State.FINALIZED and neg.order_id is None and neg.price is not None:
        buyer = party_actor(session, neg.consumer_user_id, neg.consumer_party_id)
        usage: dict[str, Any] = {"negotiation": neg.id, **neg.usage}
        order = open_order(session, buyer, listed_product(session, neg.product_id), usage, neg.price,
                           f"negotiation:{neg.id}", purpose=neg.purpose)
        neg.order_id = order.id
    return neg


@action("negotiation.get", roles=ANY_ROLE)
def get_negotiation(*, session: Session, actor: Actor, negotiation_id: str) -> Negotiation:
    """A negotiation, for its two parties, the operator and the regulator."""
    return _load(session, actor, negotiation_id)


@action("negotiation.list", roles=ANY_ROLE)
def list_negotiations(*, session: Session, actor: Actor, limit: int = 100) -> list[Negotiation]:
    """The actor's negotiations as buyer or as lister, latest first."""
    stmt = (select(Negotiation).where(or_(Negotiation.consumer_party_id == actor.party_id,
                                          Negotiation.provider_party_id == actor.party_id))
            .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc()).limit(min(limit, 500)))
    return list(session.scalars(stmt))
