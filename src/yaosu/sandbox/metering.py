"""Metering against the signed contract: who may query, what is left, and the usage log (helpers for services).

A query or a batch of checks is admitted only for the order's buyer, on an active order whose
contract both parties signed, permitting "query", not expired, for the contract's purpose. Its
cost is then taken in one conditional UPDATE (`used + n <= max_count`, `used_epsilon + e <= budget`):
if the row does not change, the allowance is spent and the call is refused with nothing consumed.
On PostgreSQL the UPDATE holds the row lock until commit, so concurrent calls queue and cannot
overspend; SQLite serializes writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.errors import NotFound, PolicyViolation
from yaosu.ledger import Event, append
from yaosu.market.contract import Terms
from yaosu.market.contracts import order_terms
from yaosu.market.models import Order, Product
from yaosu.privacy.dp.budget import SLACK
from yaosu.sandbox.models import Allowance, SandboxProduct, Usage

ACTIVE = ("escrowed", "delivered", "settled")


@dataclass(frozen=True)
class Grant:
    """An admitted call: the order, its product and sandbox configuration, and the signed terms."""

    order: Order
    product: Product
    config: SandboxProduct
    terms: Terms


def _refuse(code: str, zh: str, en: str, field: str = "order_id") -> PolicyViolation:
    return PolicyViolation(f"{zh} / {en}", code=code, field=field, details={"zh": zh, "en": en})


def admit(session: Session, actor: Actor, order_id: str, kind: str, purpose: str) -> Grant:
    """The grant for the buyer's call on `order_id`, or a PolicyViolation saying which term refuses it."""
    order = session.get(Order, order_id)
    if order is None or order.buyer_party_id != actor.party_id:
        raise NotFound("没有这个订单 / no such order", field="order_id")
    product = session.get(Product, order.product_id)
    config = session.get(SandboxProduct, order.product_id)
    if product is None or product.kind != kind or config is None:
        raise _refuse("wrong_product_kind", f"该订单的产品不是已配置的{'沙箱' if kind == 'sandbox' else '核验'}产品",
                      f"the order's product is not a configured {kind} product")
    if order.status not in ACTIVE:
        raise _refuse("order_not_active", f"订单状态为 {order.status}，不能使用", f"the order is {order.status}")
    terms = order_terms(session, order.id)
    if "query" not in terms.actions:
        raise _refuse("action_not_permitted", "合同不许可查询", "the contract does not permit queries")
    if clock.now() > terms.until:
        raise _refuse("contract_expired", f"合同已于 {terms.until:%Y-%m-%d %H:%M} UTC 到期",
                      f"the contract expired at {terms.until.isoformat()}")
    if purpose.strip() != terms.purpose:
        raise _refuse("purpose_mismatch", f"合同约定的用途是「{terms.purpose}」，与本次用途不符",
                      f"the contract's purpose is {terms.purpose!r}, not this one", field="purpose")
    return Grant(order, product, config, terms)


def _allowance(session: Session, order_id: str) -> Allowance:
    row = session.get(Allowance, order_id)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(Allowance(order_id=order_id, used_count=0, used_epsilon=0.0, updated_at=clock.now()))
    except IntegrityError:  # a concurrent first call inserted it
        pass
    row = session.get(Allowance, order_id)
    assert row is not None
    return row


def spend(session: Session, grant: Grant, units: int, epsilon: float = 0.0,
          budget: float | None = None) -> Allowance:
    """Take `units` calls and `epsilon` from the order's allowance in one conditional UPDATE, or refuse."""
    row = _allowance(session, grant.order.id)
    stmt = update(Allowance).where(Allowance.order_id == grant.order.id)
    if grant.terms.max_count is not None:
        stmt = stmt.where(Allowance.used_count + units <= grant.terms.max_count)
    if budget is not None and epsilon > 0:
        stmt = stmt.where(Allowance.used_epsilon + epsilon <= budget + SLACK)
    done = session.execute(stmt.values(used_count=Allowance.used_count + units,
                                       used_epsilon=Allowance.used_epsilon + epsilon, updated_at=clock.now())
                           .execution_options(synchronize_session=False))
    session.refresh(row)
    if done.rowcount != 1:  # type: ignore[attr-defined]
        left = None if grant.terms.max_count is None else grant.terms.max_count - row.used_count
        if left is not None and left < units:
            raise _refuse("allowance_exhausted", f"合同约定的次数已用完（剩余 {left} 次，本次需要 {units} 次）",
                          f"the contract's count is spent ({left} left, this call needs {units})")
        eps_left = max(0.0, (budget or 0.0) - row.used_epsilon)
        raise _refuse("privacy_budget_exhausted", f"隐私预算不足（剩余 ε={eps_left:.3g}，本次需要 {epsilon:.3g}）",
                      f"the privacy budget is spent ({eps_left:.3g} of epsilon left, this query needs {epsilon:.3g})")
    return row


def record(session: Session, actor: Actor, grant: Grant, *, kind: str, text_hash: str, decision: str,
           code: str | None = None, rows: int = 0, units: int = 0, epsilon: float = 0.0,
           summary: dict[str, Any] | None = None) -> Usage:
    """Log one call and append its ledger event (text hash, decision, rows, cost; never the query's data)."""
    usage = Usage(order_id=grant.order.id, product_id=grant.product.id, buyer_party_id=grant.order.buyer_party_id,
                  kind=kind, text_hash=text_hash, decision=decision, code=code, rows=rows, units=units,
                  epsilon=epsilon, created_at=clock.now())
    session.add(usage)
    session.flush()
    payload = {"order": grant.order.id, "product": grant.product.id, "text_hash": text_hash,
               "decision": decision, "code": code, "rows": rows, "units": units, "epsilon": epsilon,
               "rule_hash": grant.config.rule_hash, **(summary or {})}
    append(session, actor, Event(f"sandbox.{kind}", "order", grant.order.id, payload))
    return usage


def used(session: Session, order_id: str) -> tuple[int, float]:
    """(calls, epsilon) the order has spent."""
    row = session.scalar(select(Allowance).where(Allowance.order_id == order_id))
    return (0, 0.0) if row is None else (int(row.used_count), float(row.used_epsilon))
