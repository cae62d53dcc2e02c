"""An order's contract: drafted when the order is placed, signed by buyer and provider, required for delivery.

The document is `contract.document(terms)`: the Chinese text, the ODRL policy and the terms. Terms come
from the order (price, count of calls), the product (kind → permitted actions, subscription period →
duration) and the buyer (purpose). Each side signs the canonical document with a key its party has
registered (`yaosu.auth.party_keys`); the exchange checks the signature before storing it, and the
contract hash goes to the ledger when it is drafted and when both have signed. Delivery, sandbox
queries and verification checks read the signed terms through `order_terms`.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.party_keys import active_key, key_id_of, public_hex
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import Conflict, Invalid, NotFound, PolicyViolation
from yaosu.ledger import Event, append
from yaosu.market import contract as kernel
from yaosu.market.models import Contract, Order, Product
from yaosu.resources.service import OVERSEERS

# What each kind of product lets a buyer do (contract.ACTIONS).
KIND_ACTIONS: dict[str, tuple[str, ...]] = {
    "dataset": ("use", "download", "derive"), "api": ("use", "query"), "sandbox": ("query",),
    "verification": ("query",), "model": ("use",), "report": ("use", "download"),
}
PERIOD_DAYS = {"month": 30, "quarter": 91, "year": 365}
DEFAULT_TERM = timedelta(days=365)


def _duration(product: Product, periods: int) -> timedelta:
    period = product.pricing.get("period") if product.pricing.get("model") == "subscription" else None
    return timedelta(days=PERIOD_DAYS[period] * periods) if period in PERIOD_DAYS else DEFAULT_TERM


def draft(session: Session, actor: Actor, order: Order, product: Product, purpose: str) -> Contract:
    """Draft the contract of a just-placed order (no signatures yet); the hash goes to the ledger."""
    if not 0 < len(purpose.strip()) <= 500:
        raise Invalid("an order states its purpose of use (1 to 500 characters)", field="purpose")
    rows = session.execute(select(Party.id, Party.name).where(
        Party.id.in_([product.lister_party_id, order.buyer_party_id])))
    names = {party_id: name for party_id, name in rows}
    calls = int(order.usage.get("calls") or 0)
    terms = kernel.Terms(
        contract_id=order.id, provider=product.lister_party_id, provider_name=names[product.lister_party_id],
        buyer=order.buyer_party_id, buyer_name=names[order.buyer_party_id], product_id=product.id,
        product_title=product.title, price=order.price, purpose=purpose.strip(),
        actions=KIND_ACTIONS.get(product.kind, ("use",)),
        until=clock.now() + _duration(product, int(order.usage.get("periods") or 1)),
        max_count=calls or None)
    doc = kernel.document(terms)
    row = Contract(order_id=order.id, document=doc, hash=kernel.contract_hash(doc), status="drafted",
                   created_at=clock.now())
    session.add(row)
    session.flush()
    append(session, actor, Event("contract.drafted", "order", order.id, {"contract": row.id, "hash": row.hash}))
    return row


def _of(session: Session, actor: Actor, order_id: str) -> tuple[Contract, Order, Product]:
    order = session.get(Order, order_id)
    product = session.get(Product, order.product_id) if order is not None else None
    row = session.scalar(select(Contract).where(Contract.order_id == order_id)) if order is not None else None
    if order is None or product is None or row is None or (
            actor.party_id not in (order.buyer_party_id, product.lister_party_id) and not actor.has(*OVERSEERS)):
        raise NotFound("no such contract", field="order_id")
    return row, order, product


@action("contract.get", roles=ANY_ROLE)
def get_contract(*, session: Session, actor: Actor, order_id: str) -> Contract:
    """An order's contract, for its two parties, the operator and the regulator."""
    return _of(session, actor, order_id)[0]


def _signature(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 64:
        raise Invalid("an Ed25519 signature is 64 bytes, base64-encoded", field="signature")
    return raw


@action("contract.sign", roles=ANY_ROLE)
def sign_contract(*, session: Session, actor: Actor, order_id: str, key_id: str, signature: str) -> Contract:
    """Add the actor's party's signature (base64 Ed25519 over the canonical document, by a registered key).

    The buyer and the product's lister each sign once; the same signature again is a no-op."""
    row, order, product = _of(session, actor, order_id)
    side = ("buyer" if actor.party_id == order.buyer_party_id
            else "provider" if actor.party_id == product.lister_party_id else None)
    if side is None:
        raise NotFound("no such contract", field="order_id")
    raw = _signature(signature)
    encoded = base64.b64encode(raw).decode()
    if getattr(row, f"{side}_signature") is not None:
        if getattr(row, f"{side}_signature") == encoded:
            return row
        raise Conflict(f"the {side} has already signed this contract", field="signature", code="already_signed")
    if order.status not in ("escrowed", "delivered", "disputed", "settled"):
        raise Conflict(f"the order is {order.status}; its contract is not signed", field="order_id",
                       code="invalid_transition")
    if not kernel.verify(row.document, raw, active_key(session, actor.party_id, key_id)):
        raise Invalid("the signature does not verify over this contract with that key", field="signature",
                      code="bad_signature")
    setattr(row, f"{side}_signature", encoded)
    setattr(row, f"{side}_key_id", key_id)
    append(session, actor, Event("contract.signature_added", "order", order.id,
                                 {"contract": row.id, "hash": row.hash, "side": side, "key_id": key_id}))
    if row.buyer_signature and row.provider_signature:
        row.status, row.signed_at = "signed", clock.now()
        append(session, actor, Event("contract.signed", "order", order.id, {"contract": row.id, "hash": row.hash}))
    return row


def sign_with(session: Session, actor: Actor, order_id: str, key: Ed25519PrivateKey) -> Contract:
    """Sign the order's contract on the signer's side with `key`, whose public half the actor's party has registered
    (the CLI and the demonstration sign like this; the key is used here and never stored)."""
    doc = get_contract(session=session, actor=actor, order_id=order_id).document
    return sign_contract(session=session, actor=actor, order_id=order_id,
                         key_id=key_id_of(bytes.fromhex(public_hex(key))),
                         signature=base64.b64encode(kernel.sign(doc, key)).decode())


def require_signed(session: Session, order_id: str) -> Contract:
    """The order's contract if both parties have signed it (PolicyViolation `contract_not_signed` if not)."""
    row = session.scalar(select(Contract).where(Contract.order_id == order_id))
    if row is None or row.status != "signed":
        raise PolicyViolation("the contract is not yet signed by both parties", field="order_id",
                              code="contract_not_signed")
    return row


def order_terms(session: Session, order_id: str) -> kernel.Terms:
    """The signed terms of an order's contract: purpose, actions, count, end date, regions."""
    return kernel.terms_of(require_signed(session, order_id).document)
