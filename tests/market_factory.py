"""Listed products and funded buyers for market tests, made through the services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.market import orders, service
from yaosu.market.models import Product
from yaosu.market.schemas import ProductCreate


def listed(session: Session, factory: Factory, operator: Actor, pricing: dict[str, Any],
           title: str = "港口吞吐量月报", provider: Actor | None = None) -> tuple[Actor, Product]:
    """A provider and its product with `pricing`, listed by the operator (split 90 % provider, 10 % exchange)."""
    provider = provider or factory.actor(Role.PROVIDER)
    data = ProductCreate.model_validate({
        "title": title, "kind": "report", "sources": [factory.resource(provider).id], "pricing": pricing,
        "split_rule": [{"party": provider.party_id, "basis_points": 9000},
                       {"party": "exchange", "basis_points": 1000}]})
    product = service.create_product(session=session, actor=provider, data=data)
    service.sign_declaration(session=session, actor=provider, product_id=product.id,
                             text_sha256=service.DECLARATION_SHA256)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="ok")
    return provider, product


def funded_buyer(session: Session, factory: Factory, funds: int, name: str | None = None) -> Actor:
    """A buyer with `funds` fen deposited through the gateway."""
    buyer = factory.actor(Role.BUYER, name=name)
    orders.deposit(session=session, actor=buyer, amount=funds, key="initial")
    return buyer
