"""What a party browses in the portal: listed products, its own products, its orders, its sales."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.market.models import Order, Product
from yaosu.market.schemas import ProductStatus
from yaosu.market.service import LISTERS

PAGE = 200


@action("product.list", roles=ANY_ROLE, public=True)
def listed_products(*, session: Session, actor: Actor, limit: int = PAGE) -> list[Product]:
    """Listed products, newest first (anyone)."""
    return list(session.scalars(select(Product).where(Product.status == ProductStatus.LISTED.value)
                                .order_by(Product.updated_at.desc(), Product.id).limit(min(limit, PAGE))))


@action("product.list_own", roles=LISTERS)
def own_products(*, session: Session, actor: Actor, limit: int = PAGE) -> list[Product]:
    """The actor's products in every status, newest first."""
    return list(session.scalars(select(Product).where(Product.lister_party_id == actor.party_id)
                                .order_by(Product.created_at.desc(), Product.id).limit(min(limit, PAGE))))


@action("order.list_own", roles=ANY_ROLE)
def own_orders(*, session: Session, actor: Actor, limit: int = PAGE) -> list[tuple[Order, Product]]:
    """The actor's orders as buyer with their products, newest first."""
    stmt = (select(Order, Product).join(Product, Product.id == Order.product_id)
            .where(Order.buyer_party_id == actor.party_id)
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(min(limit, PAGE)))
    return [(o, p) for o, p in session.execute(stmt)]


@action("order.list_sales", roles=LISTERS)
def sales(*, session: Session, actor: Actor, limit: int = PAGE) -> list[tuple[Order, Product]]:
    """Orders of the actor's products with the products, newest first."""
    stmt = (select(Order, Product).join(Product, Product.id == Order.product_id)
            .where(Product.lister_party_id == actor.party_id)
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(min(limit, PAGE)))
    return [(o, p) for o, p in session.execute(stmt)]
