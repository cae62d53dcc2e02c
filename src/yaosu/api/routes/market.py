"""Products, listing review, orders and the account's money (issue 7)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep, VisitorDep
from yaosu.market import contracts, demands, orders, service
from yaosu.market.schemas import (
    ContractRead,
    DecisionRead,
    DeclarationSign,
    DeliveryIn,
    DemandCreate,
    DemandRead,
    DisputeIn,
    MoneyIn,
    OfferCreate,
    OfferOrder,
    OfferRead,
    OrderCreate,
    OrderRead,
    ProductCreate,
    ProductRead,
    ReviewIn,
    RulingIn,
    SignatureIn,
)
from yaosu.settlement.gateway import gateway

router = APIRouter(tags=["market"])


@router.post("/products", status_code=201)
def create_product(data: ProductCreate, session: SessionDep, actor: ActorDep) -> ProductRead:
    """A draft product of the acting party, built from the current versions of its sources."""
    return ProductRead.model_validate(service.create_product(session=session, actor=actor, data=data))


@router.get("/products/declaration")
def declaration() -> dict[str, str]:
    """The trading declaration and commitment a lister signs, with the hash to sign it by."""
    return {"text": service.DECLARATION, "sha256": service.DECLARATION_SHA256}


@router.post("/products/{product_id}/declaration")
def sign_declaration(product_id: str, data: DeclarationSign, session: SessionDep, actor: ActorDep) -> ProductRead:
    """The lister's user signs the trading declaration for this product."""
    return ProductRead.model_validate(service.sign_declaration(session=session, actor=actor, product_id=product_id,
                                                               text_sha256=data.text_sha256))


@router.post("/products/{product_id}/submit")
def submit_product(product_id: str, session: SessionDep, actor: ActorDep) -> list[DecisionRead]:
    """Run the automatic listing rules; the decisions say what passed or what to fix."""
    decisions = service.submit_product(session=session, actor=actor, product_id=product_id)
    return [DecisionRead.model_validate(d) for d in decisions]


@router.post("/products/{product_id}/review")
def review_product(product_id: str, data: ReviewIn, session: SessionDep, actor: ActorDep) -> ProductRead:
    """The operator lists or rejects a product that passed the automatic rules."""
    return ProductRead.model_validate(service.review_product(session=session, actor=actor, product_id=product_id,
                                                             approve=data.approve, reason=data.reason))


@router.get("/products/{product_id}")
def get_product(product_id: str, session: SessionDep, actor: VisitorDep) -> ProductRead:
    """A listed product (anyone); one's own or any for the operator and regulator."""
    return ProductRead.model_validate(service.get_product(session=session, actor=actor, product_id=product_id))


@router.get("/products/{product_id}/decisions")
def decisions(product_id: str, session: SessionDep, actor: ActorDep) -> list[DecisionRead]:
    """Every listing decision on a product (its lister, the operator and the regulator)."""
    rows = service.list_decisions(session=session, actor=actor, product_id=product_id)
    return [DecisionRead.model_validate(d) for d in rows]


@router.post("/orders", status_code=201)
def place_order(data: OrderCreate, session: SessionDep, actor: ActorDep) -> OrderRead:
    """Order a listed product; its price is held in escrow from the buyer's available money."""
    return OrderRead.model_validate(orders.place_order(session=session, actor=actor, product_id=data.product_id,
                                                       usage=dict(data.usage), client_key=data.client_key,
                                                       purpose=data.purpose))


@router.get("/orders/{order_id}/contract")
def get_contract(order_id: str, session: SessionDep, actor: ActorDep) -> ContractRead:
    """The order's contract document to sign (RFC 8785 canonical JSON of `document`), with its signatures."""
    return ContractRead.model_validate(contracts.get_contract(session=session, actor=actor, order_id=order_id))


@router.post("/orders/{order_id}/contract/signatures", status_code=201)
def sign_contract(order_id: str, data: SignatureIn, session: SessionDep, actor: ActorDep) -> ContractRead:
    """Add the acting party's signature with one of its registered keys; both signed → the contract is in force."""
    return ContractRead.model_validate(contracts.sign_contract(session=session, actor=actor, order_id=order_id,
                                                               key_id=data.key_id, signature=data.signature))


@router.post("/orders/{order_id}/dispute")
def dispute(order_id: str, data: DisputeIn, session: SessionDep, actor: ActorDep) -> OrderRead:
    """The buyer disputes a delivery; the money stays in escrow until the operator rules."""
    return OrderRead.model_validate(orders.dispute_order(session=session, actor=actor, order_id=order_id,
                                                         reason=data.reason))


@router.get("/disputes")
def disputes(session: SessionDep, actor: ActorDep) -> list[OrderRead]:
    """Orders awaiting a ruling on a dispute, oldest first (operator and regulator)."""
    return [OrderRead.model_validate(o) for o in orders.list_disputed(session=session, actor=actor)]


@router.post("/orders/{order_id}/ruling")
def rule(order_id: str, data: RulingIn, session: SessionDep, actor: ActorDep) -> OrderRead:
    """The operator's ruling on a dispute: upheld refunds the buyer, dismissed pays the sale out."""
    return OrderRead.model_validate(orders.resolve_dispute(session=session, actor=actor, order_id=order_id,
                                                           upheld=data.upheld, reason=data.reason))


@router.get("/orders/{order_id}")
def get_order(order_id: str, session: SessionDep, actor: ActorDep) -> OrderRead:
    """An order, for its buyer, the lister, the operator and the regulator."""
    return OrderRead.model_validate(orders.get_order(session=session, actor=actor, order_id=order_id))


@router.post("/orders/{order_id}/deliver")
def deliver(order_id: str, data: DeliveryIn, session: SessionDep, actor: ActorDep) -> OrderRead:
    """The lister records delivery."""
    return OrderRead.model_validate(orders.deliver_order(session=session, actor=actor, order_id=order_id,
                                                         note=data.note))


@router.post("/orders/{order_id}/accept")
def accept(order_id: str, session: SessionDep, actor: ActorDep) -> OrderRead:
    """The buyer accepts the delivery; the escrow is split and paid out."""
    return OrderRead.model_validate(orders.accept_order(session=session, actor=actor, order_id=order_id))


@router.post("/orders/{order_id}/cancel")
def cancel(order_id: str, session: SessionDep, actor: ActorDep) -> OrderRead:
    """The buyer cancels an undelivered order; the escrow is refunded."""
    return OrderRead.model_validate(orders.cancel_order(session=session, actor=actor, order_id=order_id))


@router.post("/account/deposits", status_code=201)
def deposit(data: MoneyIn, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Money the configured payment gateway confirms it received for the acting party (the simulated bank)."""
    return {"available": orders.deposit(session=session, actor=actor, amount=data.amount, key=data.key,
                                        gateway=gateway(runtime.settings.payment_gateway))}


@router.post("/account/withdrawals", status_code=201)
def withdraw(data: MoneyIn, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Pay money out of the acting party's available balance through the configured payment gateway."""
    return {"available": orders.withdraw(session=session, actor=actor, amount=data.amount, key=data.key,
                                         gateway=gateway(runtime.settings.payment_gateway))}


@router.post("/demands", status_code=201)
def post_demand(data: DemandCreate, session: SessionDep, actor: ActorDep) -> DemandRead:
    """Post a need on the demand board."""
    return DemandRead.model_validate(demands.post_demand(session=session, actor=actor, data=data))


@router.get("/demands")
def open_demands(session: SessionDep, actor: ActorDep, limit: int = 50) -> list[DemandRead]:
    """Open demands, newest first."""
    return [DemandRead.model_validate(d) for d in demands.list_open(session=session, actor=actor, limit=limit)]


@router.get("/demands/{demand_id}/matches")
def matches(demand_id: str, session: SessionDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Listed products ranked against the acting buyer's demand, with reasons."""
    return [{"product_id": m.product_id, "score": m.score, "reasons": list(m.reasons)}
            for m in demands.match_demand(session=session, actor=actor, demand_id=demand_id)]


@router.post("/demands/{demand_id}/offers", status_code=201)
def make_offer(demand_id: str, data: OfferCreate, session: SessionDep, actor: ActorDep) -> OfferRead:
    """Answer a demand with one of the acting party's listed products."""
    return OfferRead.model_validate(demands.make_offer(session=session, actor=actor, demand_id=demand_id, data=data))


@router.get("/demands/{demand_id}/offers")
def offers(demand_id: str, session: SessionDep, actor: ActorDep) -> list[OfferRead]:
    """Offers on a demand: all for its buyer, one's own for a lister."""
    return [OfferRead.model_validate(o) for o in demands.list_offers(session=session, actor=actor,
                                                                      demand_id=demand_id)]


@router.post("/offers/{offer_id}/accept")
def accept_offer(offer_id: str, session: SessionDep, actor: ActorDep) -> OfferRead:
    """The buyer accepts an offer; the demand closes."""
    return OfferRead.model_validate(demands.accept_offer(session=session, actor=actor, offer_id=offer_id))


@router.post("/offers/{offer_id}/order", status_code=201)
def order_offer(offer_id: str, data: OfferOrder, session: SessionDep, actor: ActorDep) -> OrderRead:
    """Order an accepted offer at its price; the price is held in escrow."""
    return OrderRead.model_validate(orders.order_offer(session=session, actor=actor, offer_id=offer_id,
                                                       client_key=data.client_key))
