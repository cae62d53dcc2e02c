"""A product's price history for monitoring (价格监测), derived from the rows that already hold each price.

Four sources, each fixed once written: the list price when the operator listed the product (its
approved listing decision and its pricing model), a negotiation's agreed price, an auction's clearing
price and every order's price. Reading them where they live, rather than copying them into a table of
their own, means the history cannot drift from what was actually agreed and charged, and orders placed
by any path (list price, offer, negotiation, auction) are included without each path remembering to
write a copy. The lister, the operator and the regulator read it; others get not-found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import NotFound
from yaosu.market.models import ListingDecision, Order, Product
from yaosu.market.pricing import parse_pricing
from yaosu.market.trading_models import Auction, Negotiation
from yaosu.resources.service import OVERSEERS

MAX_POINTS = 5000


@dataclass(frozen=True)
class PricePoint:
    """One price in fen at one time: `source` is list, negotiated, auction or order; `reference` its row."""

    at: datetime
    source: str
    price: int
    reference: str


def _points(session: Session, product: Product) -> list[PricePoint]:
    listed = session.execute(select(ListingDecision.created_at, ListingDecision.id).where(
        ListingDecision.product_id == product.id, ListingDecision.outcome == "approved")).all()
    list_price = parse_pricing(product.pricing).list_price()
    points = [PricePoint(at, "list", list_price, ref) for at, ref in listed if list_price]
    points += [PricePoint(at, "negotiated", price, ref) for at, price, ref in session.execute(
        select(Negotiation.agreed_at, Negotiation.price, Negotiation.id).where(
            Negotiation.product_id == product.id, Negotiation.agreed_at.is_not(None)).limit(MAX_POINTS))
        if at is not None and price is not None]
    points += [PricePoint(at, "auction", price, ref) for at, price, ref in session.execute(
        select(Auction.closed_at, Auction.price, Auction.id).where(
            Auction.product_id == product.id, Auction.price.is_not(None)).limit(MAX_POINTS))
        if at is not None and price is not None]
    points += [PricePoint(at, "order", price, ref) for at, price, ref in session.execute(
        select(Order.created_at, Order.price, Order.id).where(Order.product_id == product.id)
        .order_by(Order.created_at.desc()).limit(MAX_POINTS))]
    return points


@action("price.history", roles=ANY_ROLE)
def price_history(*, session: Session, actor: Actor, product_id: str) -> list[PricePoint]:
    """Every price a product was listed, agreed, auctioned and ordered at, oldest first (lister and overseers)."""
    product = session.get(Product, product_id)
    if product is None or not (product.lister_party_id == actor.party_id or actor.has(*OVERSEERS)):
        raise NotFound("no such product", field="product_id")
    return sorted(_points(session, product), key=lambda p: (p.at, p.source, p.reference))[-MAX_POINTS:]
