"""Small steps the settlement tests share: a listed product, a funded buyer, batch items (signing added later)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.market import orders, service
from yaosu.market.batch import BatchItem
from yaosu.market.models import Product
from yaosu.market.schemas import ProductCreate

UNIT = 701  # fen per call


def listed_product(session: Session, factory: Factory, operator: Actor, **fields: Any) -> tuple[Actor, Product]:
    """A provider and its listed product (an API at UNIT fen a call, unless `fields` say otherwise), split
    90 % to the provider and 10 % to the exchange."""
    provider = factory.actor(Role.PROVIDER)
    data = ProductCreate.model_validate({
        "title": "企业信用核验接口", "kind": "api", "sources": [factory.resource(provider).id],
        "pricing": {"model": "per_call", "tiers": [{"unit": UNIT}]},
        "split_rule": [{"party": provider.party_id, "basis_points": 9000},
                       {"party": "exchange", "basis_points": 1000}], **fields})
    product = service.create_product(session=session, actor=provider, data=data)
    service.sign_declaration(session=session, actor=provider, product_id=product.id,
                             text_sha256=service.DECLARATION_SHA256)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="ok")
    return provider, product


def funded_buyer(session: Session, factory: Factory, funds: int) -> Actor:
    """A new buyer with `funds` fen deposited."""
    buyer = factory.actor(Role.BUYER)
    orders.deposit(session=session, actor=buyer, amount=funds, key="initial")
    return buyer


def items(buyers: list[Actor], count: int, prefix: str = "k") -> list[BatchItem]:
    """`count` orders spread over `buyers`, item n using 1 + n % 3 calls under client key `{prefix}{n}`."""
    return [BatchItem(buyers[n % len(buyers)].party_id, {"calls": 1 + n % 3}, f"{prefix}{n}") for n in range(count)]
