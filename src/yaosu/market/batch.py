"""Orders in bulk: many orders of one product placed into escrow, or placed and settled, in set-based SQL.

`order.place_batch` is a buyer placing many orders of one product at once (each held in escrow with its
contract drafted, as `order.place` would); `order.settle_batch` is the exchange's settlement job (登记结算)
for usage already delivered through the exchange under a contract each buyer and the provider signed,
e.g. metered API calls: each order is placed, its price held in escrow, delivered, split by the
product's rule and paid out, within one transaction. Per call: one SELECT of
the keys already used, one multi-row insert of orders, the journal's batch post (`settlement.batch`) and
one ledger event naming every order with the SHA-256 of its document (ADR 0010). All or nothing per
call; idempotent per order through the buyer's client key, so a batch re-run after a crash finishes
what the crash left undone and repeats nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import action
from yaosu.auth.roles import Role
from yaosu.db.bulk import any_of, insert_rows, paused_gc, where_pairs
from yaosu.errors import Conflict, Invalid, NotFound, PolicyViolation
from yaosu.ids import new_id, new_ids
from yaosu.ledger import Event, append
from yaosu.ledger.service import payload_json
from yaosu.market import contracts
from yaosu.market.contract import terms_of
from yaosu.market.models import Contract, Order, Product
from yaosu.market.orders import BUYERS
from yaosu.market.pricing import Usage, parse_pricing
from yaosu.market.schemas import ProductStatus
from yaosu.settlement.batch import Entry, account_ids, post_batch
from yaosu.settlement.escrow import EXCHANGE
from yaosu.settlement.journal import Leg
from yaosu.settlement.models import AccountKind
from yaosu.settlement.split import Share, split_many

MAX_ITEMS = 1_000  # orders per call: bounds the statements, the ledger event and the time accounts stay locked
_ORDER = Order.metadata.tables["market_order"]
_CONTRACT = Contract.metadata.tables["market_contract"]


@dataclass(frozen=True)
class BatchItem:
    """One order in a batch: who buys, how much use, and the buyer's idempotency key for it."""

    buyer_party_id: str
    usage: dict[str, Any]
    client_key: str


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: its id (the ledger event's subject), the orders made now and those made before
    (each in the items' order)."""

    batch_id: str | None
    placed: list[str]
    replayed: list[str]
    total: int  # fen moved for the orders made now


def _check_items(items: Sequence[BatchItem]) -> None:
    if not 0 < len(items) <= MAX_ITEMS:
        raise Invalid(f"a batch holds 1 to {MAX_ITEMS} orders", field="items")
    if any(not 0 < len(i.client_key) <= 128 for i in items):
        raise Invalid("a client key of 1 to 128 characters is required", field="client_key")
    if len({(i.buyer_party_id, i.client_key) for i in items}) != len(items):
        raise Invalid("a buyer's client key appears twice in the batch", field="client_key")


def _listed(session: Session, product_id: str, items: Sequence[BatchItem]) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.status != ProductStatus.LISTED.value:
        raise NotFound("no such listed product", field="product_id")
    buyers = {i.buyer_party_id for i in items}
    if product.lister_party_id in buyers:
        raise Invalid("a lister does not buy its own product", field="items")
    known = set(session.scalars(select(Party.id).where(Party.id.in_(buyers))))
    if known != buyers:
        raise NotFound("no such buyer", field="items")
    return product


def _existing(session: Session, product_id: str, items: Sequence[BatchItem]) -> dict[tuple[str, str], str]:
    """Orders already placed under the items' keys (Conflict if one of them is a different order)."""
    found: dict[tuple[str, str], str] = {}
    wanted = {(i.buyer_party_id, i.client_key): i.usage for i in items}
    rows = session.execute(where_pairs(
        session, select(_ORDER.c.id, _ORDER.c.buyer_party_id, _ORDER.c.client_key, _ORDER.c.product_id,
                        _ORDER.c.usage), _ORDER.c.buyer_party_id, _ORDER.c.client_key, list(wanted)))
    for oid, buyer, key, product, usage in rows:
        if product != product_id or usage != wanted[(buyer, key)]:
            raise Conflict("this client key placed a different order", field="client_key",
                           code="idempotency_key_reused")
        found[(buyer, key)] = oid
    return found


def _require_contracts(session: Session, product: Product, buyers: set[str]) -> None:
    """Usage is settled only under a contract: each buyer must hold a contract for this product that both
    parties signed (on an earlier, not cancelled order) and whose term has not ended."""
    now, covered = clock.now(), set()
    rows = session.execute(
        select(_ORDER.c.buyer_party_id, _CONTRACT.c.document).join(_CONTRACT, _CONTRACT.c.order_id == _ORDER.c.id)
        .where(_ORDER.c.product_id == product.id, any_of(session, _ORDER.c.buyer_party_id, sorted(buyers)),
               _ORDER.c.status != "cancelled", _CONTRACT.c.status == "signed")
        .order_by(_CONTRACT.c.signed_at.desc()))
    for buyer, document in rows:
        if buyer not in covered and terms_of(document).until > now:
            covered.add(buyer)
            if covered == buyers:
                return
    raise PolicyViolation(f"{len(buyers - covered)} buyer(s) in the batch hold no signed contract in force for "
                          "this product", field="items", code="contract_not_signed")


def _prices(product: Product, items: Sequence[BatchItem]) -> list[int]:
    """Each item's quoted price (quotes cached by usage: a batch repeats few usages)."""
    model, quotes = parse_pricing(product.pricing), {}
    out = []
    for item in items:
        usage = Usage.model_validate(item.usage)
        if usage not in quotes:
            quotes[usage] = model.quote(usage)
        out.append(quotes[usage])
    if any(p <= 0 for p in out):
        raise Invalid("a usage in the batch costs nothing; nothing to order", field="usage")
    return out


_DOCUMENT_KEYS = ("buyer_party_id", "client_key", "id", "price", "product_id", "product_version", "status", "usage")


def order_document(row: dict[str, Any]) -> bytes:
    """An order's canonical document (RFC 8785: the keys above, sorted), whose SHA-256 the batch event lists."""
    return payload_json({k: row[k] for k in _DOCUMENT_KEYS})


def _hashes(rows: list[dict[str, Any]]) -> list[str]:
    """The SHA-256 of each order's document; the fixed part is formatted directly (ids are ASCII, the
    client key JSON-escaped), the usage through `payload_json` (tests compare with `order_document`)."""
    usage_json: dict[str, str] = {}
    out = []
    for r in rows:
        usage = r["usage"]
        key = repr(sorted(usage.items()))
        if key not in usage_json:
            usage_json[key] = payload_json(usage).decode()
        client_key = json.dumps(r["client_key"], ensure_ascii=False)
        text = (f'{{"buyer_party_id":"{r["buyer_party_id"]}","client_key":{client_key},'
                f'"id":"{r["id"]}","price":{r["price"]},"product_id":"{r["product_id"]}",'
                f'"product_version":{r["product_version"]},"status":"{r["status"]}","usage":{usage_json[key]}}}')
        out.append(hashlib.sha256(text.encode()).hexdigest())
    return out


def _entries(session: Session, product: Product, rows: list[dict[str, Any]], settle: bool) -> list[Entry]:
    """Each new order's hold, then (settling) each one's release split by the product's rule."""
    shares = [Share(s["party"], int(s["basis_points"])) for s in product.split_rule]
    payees = [(None if s.party == EXCHANGE else s.party,
               AccountKind.FEE_INCOME if s.party == EXCHANGE else AccountKind.AVAILABLE) for s in shares]
    ids = account_ids(session, [*payees, *((r["buyer_party_id"], k) for r in rows
                                           for k in (AccountKind.AVAILABLE, AccountKind.ESCROW))])
    available, escrow = AccountKind.AVAILABLE.value, AccountKind.ESCROW.value
    payee_accounts = [ids[(party, kind.value)] for party, kind in payees]  # distinct: a rule names a party once
    holds, releases = [], []
    parts = split_many([r["price"] for r in rows], shares) if settle else [[] for _ in rows]
    for row, split in zip(rows, parts, strict=True):
        buyer, price, oid = row["buyer_party_id"], row["price"], row["id"]
        held = ids[(buyer, escrow)]
        holds.append(Entry("hold", f"order:{oid}:hold", oid, (Leg(ids[(buyer, available)], -price), Leg(held, price))))
        if settle:
            legs = [Leg(held, -price), *(Leg(a, n) for a, n in zip(payee_accounts, split, strict=True) if n)]
            releases.append(Entry("release", f"order:{oid}:release", oid, tuple(legs)))
    return holds + releases


def _open_many(session: Session, actor: Actor, product_id: str, items: Sequence[BatchItem],
               purpose: str | None) -> BatchResult:
    with paused_gc():
        return _open(session, actor, product_id, items, purpose)


def _open(session: Session, actor: Actor, product_id: str, items: Sequence[BatchItem],
          purpose: str | None) -> BatchResult:
    settle = purpose is None
    _check_items(items)
    product = _listed(session, product_id, items)
    if settle:
        _require_contracts(session, product, {i.buyer_party_id for i in items})
    before = _existing(session, product_id, items)
    todo = [i for i in items if (i.buyer_party_id, i.client_key) not in before]
    replayed = [before[(i.buyer_party_id, i.client_key)] for i in items if (i.buyer_party_id, i.client_key) in before]
    if not todo:
        return BatchResult(None, [], replayed, 0)
    now, status = clock.now(), "settled" if settle else "escrowed"
    rows: list[dict[str, Any]] = [{"id": oid, "product_id": product.id, "product_version": product.current_version,
             "buyer_party_id": i.buyer_party_id, "client_key": i.client_key, "usage": i.usage, "price": price,
             "split_rule": product.split_rule, "status": status, "delivery_note": "metered" if settle else "",
             "created_at": now, "updated_at": now}
            for oid, i, price in zip(new_ids(len(todo)), todo, _prices(product, todo), strict=True)]
    insert_rows(session, _ORDER, rows)  # a key raced in by another batch fails here: the whole call rolls back
    post_batch(session, _entries(session, product, rows, settle), memo=f"batch of {len(rows)} orders")
    if purpose is not None:  # placed, not settled: each order gets its contract to sign, as `order.place` drafts
        for row in rows:
            contracts.draft(session, actor, Order(**row), product, purpose)
    batch_id, total = new_id(), sum(r["price"] for r in rows)
    append(session, actor, Event(f"order.batch_{status}", "order_batch", batch_id, {
        "product": product.id, "status": status, "count": len(rows), "total": total,
        "orders": [[r["id"], h] for r, h in zip(rows, _hashes(rows), strict=True)]}))
    return BatchResult(batch_id, [r["id"] for r in rows], replayed, total)


@action("order.place_batch", roles=BUYERS)
def place_batch(*, session: Session, actor: Actor, product_id: str, items: Sequence[BatchItem],
                purpose: str) -> BatchResult:
    """Place up to 1,000 orders of one listed product for the actor's party at once, each held in escrow with
    its contract drafted for `purpose` (insufficient funds for any: none placed); items already placed under
    their client keys are replayed."""
    if any(i.buyer_party_id != actor.party_id for i in items):
        raise Invalid("a buyer places its own orders", field="items")
    if not 0 < len(purpose.strip()) <= 500:  # checked before anything is written (the drafts check it again)
        raise Invalid("an order states its purpose of use (1 to 500 characters)", field="purpose")
    return _open_many(session, actor, product_id, items, purpose)


@action("order.settle_batch", roles={Role.OPERATOR})
def settle_batch(*, session: Session, actor: Actor, product_id: str, items: Sequence[BatchItem]) -> BatchResult:
    """The exchange's settlement job for usage delivered through it (e.g. metered calls) under contracts both
    parties signed: up to 1,000 orders placed, escrowed, delivered, split and paid out at once (operator);
    items already placed are replayed. Every buyer needs a signed contract in force for the product."""
    return _open_many(session, actor, product_id, items, None)
