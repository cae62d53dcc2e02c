"""Orders: place (price quoted, money held in escrow), deliver, accept (split and paid out), cancel (refunded).

A state change and its money movement are one transaction, and each movement's idempotency key is
derived from the order and the step, so a retried request moves money once. An order can only be
delivered while its price sits in escrow, and only an accepted delivery releases it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market import contracts
from yaosu.market.models import Demand, Offer, Order, Product
from yaosu.market.pricing import Usage, parse_pricing
from yaosu.market.schemas import ProductStatus
from yaosu.resources.service import OVERSEERS
from yaosu.settlement import escrow
from yaosu.settlement.gateway import MAX_TRANSFER, PaymentGateway, SimulatedBank
from yaosu.settlement.split import Share

BUYERS = frozenset({Role.BUYER, Role.MERCHANT, Role.PROVIDER})


def _event(order: Order, kind: str, **extra: Any) -> Event:
    return Event(f"order.{kind}", "order", order.id, {"product": order.product_id, "price": order.price,
                                                       "status": order.status, **extra})


def _replayed(session: Session, actor: Actor, client_key: str, product_id: str,
              usage: dict[str, Any]) -> Order | None:
    """The order this buyer already placed under `client_key` (Conflict if it was a different one)."""
    if not 0 < len(client_key) <= 128:
        raise Invalid("a client key of 1 to 128 characters is required", field="client_key")
    existing = session.scalar(select(Order).where(Order.buyer_party_id == actor.party_id,
                                                  Order.client_key == client_key))
    if existing is not None and (existing.product_id != product_id or existing.usage != usage):
        raise Conflict("this client key placed a different order", field="client_key",
                       code="idempotency_key_reused")
    return existing


def _listed_for(session: Session, actor: Actor, product_id: str) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.status != ProductStatus.LISTED.value:
        raise NotFound("no such listed product", field="product_id")
    if product.lister_party_id == actor.party_id:
        raise Invalid("a lister does not buy its own product", field="product_id")
    return product


def open_order(session: Session, actor: Actor, product: Product, usage: dict[str, Any], price: int,
               client_key: str, *, purpose: str) -> Order:
    """A new order at `price` with the product's split rule, its price held in escrow and its contract drafted
    for `purpose` in this transaction."""
    if price <= 0:
        raise Invalid("this usage costs nothing; nothing to order", field="usage")
    now = clock.now()
    order = Order(product_id=product.id, product_version=product.current_version, buyer_party_id=actor.party_id,
                  client_key=client_key, usage=usage, price=price, split_rule=product.split_rule,
                  status="escrowed", created_at=now, updated_at=now)
    session.add(order)
    session.flush()
    escrow.hold(session, actor.party_id, price, order.id, f"order:{order.id}:hold")
    drafted = contracts.draft(session, actor, order, product, purpose)
    append(session, actor, _event(order, "placed", usage=usage, contract=drafted.hash))
    return order


@action("order.place", roles=BUYERS)
def place_order(*, session: Session, actor: Actor, product_id: str, usage: dict[str, Any],
                client_key: str, purpose: str) -> Order:
    """Order a listed product for `purpose`: quote its price for `usage`, hold that much of the buyer's money in
    escrow and draft the contract. The same `client_key` again returns the same order (placed once)."""
    existing = _replayed(session, actor, client_key, product_id, usage)
    if existing is not None:
        return existing
    product = _listed_for(session, actor, product_id)
    price = parse_pricing(product.pricing).quote(Usage.model_validate(usage))
    return open_order(session, actor, product, usage, price, client_key, purpose=purpose)


@action("order.from_offer", roles=BUYERS)
def order_offer(*, session: Session, actor: Actor, offer_id: str, client_key: str) -> Order:
    """Order what an accepted offer on the buyer's demand proposed, at the offered price (once per offer)."""
    offer = session.get(Offer, offer_id)
    demand = session.get(Demand, offer.demand_id) if offer is not None else None
    if offer is None or demand is None or demand.buyer_party_id != actor.party_id:
        raise NotFound("no such offer", field="offer_id")
    usage = {"offer": offer.id}
    existing = _replayed(session, actor, client_key, offer.product_id, usage)
    if existing is not None:
        return existing
    if offer.status != "accepted":
        raise Conflict(f"only an accepted offer is ordered (this one is {offer.status})", field="offer_id",
                       code="invalid_transition")
    offer.status = "ordered"
    return open_order(session, actor, _listed_for(session, actor, offer.product_id), usage, offer.price, client_key,
                      purpose=demand.purpose)


def _load(session: Session, actor: Actor, order_id: str) -> tuple[Order, Product]:
    order = session.get(Order, order_id)
    product = session.get(Product, order.product_id) if order is not None else None
    if order is None or product is None:
        raise NotFound("no such order", field="order_id")
    if actor.party_id not in (order.buyer_party_id, product.lister_party_id) and not actor.has(*OVERSEERS):
        raise NotFound("no such order", field="order_id")
    return order, product


def _step(order: Order, expected: str, target: str) -> None:
    if order.status != expected:
        raise Conflict(f"the order is {order.status}, not {expected}", field="order_id", code="invalid_transition")
    order.status, order.updated_at = target, clock.now()


def _pay_out(session: Session, order: Order) -> None:
    shares = [Share(s["party"], int(s["basis_points"])) for s in order.split_rule]
    escrow.release(session, order.buyer_party_id, order.price, shares, order.id, f"order:{order.id}:release")


@action("order.deliver", roles=ANY_ROLE)
def deliver_order(*, session: Session, actor: Actor, order_id: str, note: str = "") -> Order:
    """The lister records delivery of an order whose price is in escrow and whose contract both have signed."""
    order, product = _load(session, actor, order_id)
    if actor.party_id != product.lister_party_id:
        raise NotFound("no such order", field="order_id")
    if order.status == "escrowed":
        contracts.require_signed(session, order.id)
    _step(order, "escrowed", "delivered")
    order.delivery_note = note[:500]
    append(session, actor, _event(order, "delivered"))
    return order


@action("order.accept", roles=ANY_ROLE)
def accept_order(*, session: Session, actor: Actor, order_id: str) -> Order:
    """The buyer accepts a delivery: its escrowed price is split among the contributors and paid out."""
    order, _ = _load(session, actor, order_id)
    if actor.party_id != order.buyer_party_id:
        raise NotFound("no such order", field="order_id")
    _step(order, "delivered", "settled")
    _pay_out(session, order)
    append(session, actor, _event(order, "settled", split=order.split_rule))
    return order


@action("order.cancel", roles=ANY_ROLE)
def cancel_order(*, session: Session, actor: Actor, order_id: str) -> Order:
    """The buyer cancels an undelivered order: its escrowed price goes back to the buyer."""
    order, _ = _load(session, actor, order_id)
    if actor.party_id != order.buyer_party_id:
        raise NotFound("no such order", field="order_id")
    _step(order, "escrowed", "cancelled")
    escrow.refund(session, order.buyer_party_id, order.price, order.id, f"order:{order.id}:refund")
    append(session, actor, _event(order, "cancelled"))
    return order


@action("order.dispute", roles=ANY_ROLE)
def dispute_order(*, session: Session, actor: Actor, order_id: str, reason: str) -> Order:
    """The buyer disputes a delivery instead of accepting it: the price stays in escrow until the operator rules."""
    order, _ = _load(session, actor, order_id)
    if actor.party_id != order.buyer_party_id:
        raise NotFound("no such order", field="order_id")
    if not 0 < len(reason.strip()) <= 500:
        raise Invalid("a dispute states its reason (1 to 500 characters)", field="reason")
    _step(order, "delivered", "disputed")
    order.dispute_reason = reason.strip()
    append(session, actor, _event(order, "disputed", reason=order.dispute_reason))
    return order


@action("order.resolve_dispute", roles=frozenset({Role.OPERATOR}))
def resolve_dispute(*, session: Session, actor: Actor, order_id: str, upheld: bool, reason: str) -> Order:
    """The operator rules on a dispute: upheld voids the sale (the buyer is refunded); dismissed pays it out by
    the split as an accepted delivery would."""
    order, _ = _load(session, actor, order_id)
    if not 0 < len(reason.strip()) <= 500:
        raise Invalid("a ruling states its reason (1 to 500 characters)", field="reason")
    _step(order, "disputed", "refunded" if upheld else "settled")
    order.dispute_resolution = reason.strip()
    if upheld:
        escrow.refund(session, order.buyer_party_id, order.price, order.id, f"order:{order.id}:refund")
    else:
        _pay_out(session, order)
    append(session, actor, _event(order, "dispute_upheld" if upheld else "dispute_dismissed",
                                  reason=order.dispute_resolution))
    return order


@action("order.list_disputed", roles=OVERSEERS)
def list_disputed(*, session: Session, actor: Actor, limit: int = 200) -> list[Order]:
    """Orders awaiting a ruling on a dispute, oldest first (operator and regulator)."""
    return list(session.scalars(select(Order).where(Order.status == "disputed")
                                .order_by(Order.updated_at, Order.id).limit(min(max(limit, 1), 1000))))


@action("order.get", roles=ANY_ROLE)
def get_order(*, session: Session, actor: Actor, order_id: str) -> Order:
    """An order, for its buyer, the product's lister, the operator and the regulator."""
    return _load(session, actor, order_id)[0]


@action("account.deposit", roles=ANY_ROLE)
def deposit(*, session: Session, actor: Actor, amount: int, key: str, gateway: PaymentGateway | None = None) -> int:
    """Credit money the payment gateway confirms it received for the actor's party (the simulated bank unless
    another gateway is configured); returns the party's available balance. The same `key` again credits once."""
    if not actor.party_id or not isinstance(amount, int) or not 0 < amount <= MAX_TRANSFER:
        raise Invalid("a deposit is 1 fen to 100,000,000 yuan, into one's own account", field="amount")
    via = gateway or SimulatedBank()
    reference = via.confirm_receipt(actor.party_id, amount, key)
    escrow.deposit(session, actor.party_id, amount, f"{actor.party_id}:{key}", reference=reference)
    return escrow.available(session, actor.party_id)


@action("account.withdraw", roles=ANY_ROLE)
def withdraw(*, session: Session, actor: Actor, amount: int, key: str, gateway: PaymentGateway | None = None) -> int:
    """Debit the actor's party's available balance and pay it out through the gateway in the same unit of work (a
    refused payout rolls the debit back); returns what is left. The same `key` again pays out once."""
    if not actor.party_id:
        raise Invalid("only a party withdraws", field="amount")
    _, posted = escrow.withdraw(session, actor.party_id, amount, f"{actor.party_id}:{key}")
    if posted:
        (gateway or SimulatedBank()).pay_out(actor.party_id, amount, f"{actor.party_id}:{key}")
    return escrow.available(session, actor.party_id)
