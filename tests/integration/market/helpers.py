"""Shared market test steps: list a product, fund a buyer, register signing keys, sign an order's contract."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth import party_keys
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.market import contracts, orders, service
from yaosu.market.models import Order, Product
from yaosu.market.schemas import ProductCreate

PURPOSE = "信用风险建模"


def listed(session: Session, factory: Factory, operator: Actor, price: int = 10_001, kind: str = "report",
           pricing: dict[str, Any] | None = None, title: str = "港口吞吐量月报") -> tuple[Actor, Product]:
    """A product listed by a new provider: per call, `price` fen for each of the first 10 calls."""
    provider = factory.actor(Role.PROVIDER)
    data = ProductCreate.model_validate({
        "title": title, "kind": kind, "sources": [factory.resource(provider).id],
        "pricing": pricing or {"model": "per_call", "tiers": [{"up_to": 10, "unit": price}, {"unit": 1}]},
        "split_rule": [{"party": provider.party_id, "basis_points": 9000},
                       {"party": "exchange", "basis_points": 1000}]})
    product = service.create_product(session=session, actor=provider, data=data)
    service.sign_declaration(session=session, actor=provider, product_id=product.id,
                             text_sha256=service.DECLARATION_SHA256)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="ok")
    return provider, product


def funded_buyer(session: Session, factory: Factory, funds: int, name: str | None = None) -> Actor:
    buyer = factory.actor(Role.BUYER, name=name)
    orders.deposit(session=session, actor=buyer, amount=funds, key="initial")
    return buyer


def signing_key(session: Session, actor: Actor) -> tuple[Ed25519PrivateKey, str]:
    """A new Ed25519 key registered for the actor's party, and its key id."""
    key = Ed25519PrivateKey.generate()
    return key, party_keys.add_key(session=session, actor=actor, public_key=party_keys.public_hex(key)).id


def sign(session: Session, actor: Actor, order: Order) -> None:
    """The actor's party signs the order's contract with a freshly registered key."""
    contracts.sign_with(session, actor, order.id, signing_key(session, actor)[0])


def signed_order(session: Session, factory: Factory, operator: Actor, *, kind: str = "report",
                 usage: dict[str, Any] | None = None, funds: int = 1_000_000, purpose: str = PURPOSE,
                 pricing: dict[str, Any] | None = None) -> tuple[Order, Actor, Actor]:
    """An escrowed order whose contract both parties have signed: (order, buyer, provider)."""
    provider, product = listed(session, factory, operator, kind=kind, pricing=pricing)
    buyer = funded_buyer(session, factory, funds)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage=usage or {"calls": 5},
                               client_key="signed", purpose=purpose)
    sign(session, buyer, order)
    sign(session, provider, order)
    return order, buyer, provider
