"""Small steps the settlement tests share: a listed API product, funded buyers, contracts signed, batch items."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed, signing_key
from yaosu.auth.actor import Actor
from yaosu.market import batch, contracts, orders
from yaosu.market.models import Product

UNIT = 701  # fen per call

__all__ = ["PURPOSE", "UNIT", "funded_buyer", "items", "listed_product", "sign_order", "under_contract"]


def listed_product(session: Session, factory: Factory, operator: Actor) -> tuple[Actor, Product]:
    """A provider and its listed API product at UNIT fen a call, split 90 % / 10 % to the exchange."""
    return listed(session, factory, operator, kind="api", pricing={"model": "per_call", "tiers": [{"unit": UNIT}]})


def sign_order(session: Session, actor: Actor, order_id: str) -> None:
    """The actor's party signs the order's contract with a freshly registered key."""
    contracts.sign_with(session, actor, order_id, signing_key(session, actor)[0])


def under_contract(session: Session, buyer: Actor, provider: Actor, product: Product) -> int:
    """The buyer's first order of the product, signed by both, delivered and accepted: a contract in force
    under which later usage is settled in batches. Returns the price it paid."""
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 1},
                               client_key="contract", purpose=PURPOSE)
    sign_order(session, buyer, order.id)
    sign_order(session, provider, order.id)
    orders.deliver_order(session=session, actor=provider, order_id=order.id)
    orders.accept_order(session=session, actor=buyer, order_id=order.id)
    return order.price


def items(buyers: list[Actor], count: int, prefix: str = "k") -> list[batch.BatchItem]:
    """`count` orders spread over `buyers`, item n using 1 + n % 3 calls under client key `{prefix}{n}`."""
    return [batch.BatchItem(buyers[n % len(buyers)].party_id, {"calls": 1 + n % 3}, f"{prefix}{n}")
            for n in range(count)]
