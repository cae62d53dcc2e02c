"""Sandbox and verification actions: configure a product, query it, check records, see usage and allowance.

A provider configures its sandbox product with an analysis rule over one of its node datasets (or
its verification product with a verification rule, which builds the keyed-hash index). A buyer
holding a signed contract queries or checks within the contract's count, term and purpose
(metering.py); each call's text hash, decision and row count go to the usage log and the ledger.
A query the rule refuses is logged with its reason and consumes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.canonical import canonical_json
from yaosu.errors import Conflict, Invalid, NotFound, PolicyViolation
from yaosu.ledger import Event, append
from yaosu.market.contracts import order_terms
from yaosu.market.models import Order, Product
from yaosu.market.orders import BUYERS
from yaosu.market.service import LISTERS, get_product
from yaosu.node.client import NodeClient, SandboxTarget
from yaosu.node.service import get_dataset
from yaosu.resources.service import OVERSEERS
from yaosu.sandbox import metering
from yaosu.sandbox.models import SandboxProduct, Usage
from yaosu.sandbox.query import prepare, text_hash
from yaosu.sandbox.rules import AggregationRule, DPRule, ListRule, parse_rule
from yaosu.sandbox.runner import Limits
from yaosu.sandbox.verification import RESULTS_EN, VerificationRule

KINDS = ("sandbox", "verification")


@dataclass(frozen=True)
class QueryResult:
    """A query's outcome: answered with a table, or refused with the rule's reason; what is left."""

    decision: str  # answered | refused
    table: pa.Table | None
    rows: int
    epsilon: float
    remaining_count: int | None
    remaining_epsilon: float | None
    usage_id: str
    code: str | None = None
    reason: dict[str, str] | None = None  # {"zh": ..., "en": ...}


def _rule(kind: str, data: dict[str, Any]) -> AggregationRule | ListRule | DPRule | VerificationRule:
    try:
        return parse_rule(data) if kind == "sandbox" else VerificationRule.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Invalid(f"规则无效 / the rule is invalid: {first['msg']}", field="rule",
                      details={"errors": [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()[:10]]}
                      ) from None


@action("sandbox.configure", roles=LISTERS)
def configure_product(*, session: Session, actor: Actor, node: NodeClient, product_id: str, dataset_id: str,
                      rule: dict[str, Any]) -> SandboxProduct:
    """Attach a rule and a node dataset of the actor's party to its sandbox or verification product."""
    product = session.get(Product, product_id)
    if product is None or product.lister_party_id != actor.party_id:
        raise NotFound("no such product", field="product_id")
    if product.kind not in KINDS:
        raise Invalid(f"only {' and '.join(KINDS)} products take a rule", field="product_id")
    if session.get(SandboxProduct, product.id) is not None:
        raise Conflict("the product's rule is already set", field="product_id", code="already_configured")
    dataset = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    parsed = _rule(product.kind, rule)
    columns = list(parsed.fields) if isinstance(parsed, VerificationRule) else list(parsed.columns)
    missing = sorted(set(columns) - {f["name"] for f in dataset.schema_fields})
    if missing:
        raise Invalid(f"数据集没有列 {missing} / the dataset has no columns {missing}", field="rule")
    data = parsed.model_dump(mode="json")
    row = SandboxProduct(product_id=product.id, kind=product.kind, dataset_id=dataset.id, rule=data,
                         rule_hash=hashlib.sha256(canonical_json(data)).hexdigest(),
                         key_id=node.sandbox_key_id(actor.party_id))
    session.add(row)
    session.flush()
    if isinstance(parsed, VerificationRule):
        node.build_index(session, _target(row, actor.party_id), parsed)
    append(session, actor, Event("sandbox.configured", "product", product.id,
                                 {"kind": row.kind, "dataset": dataset.id, "rule_hash": row.rule_hash,
                                  "key_id": row.key_id}))
    return row


@action("sandbox.schema", roles=ANY_ROLE)
def product_schema(*, session: Session, actor: Actor, product_id: str) -> dict[str, Any]:
    """The documented schema a buyer queries or checks against: the product's rule (no data)."""
    product = get_product(session=session, actor=actor, product_id=product_id)
    row = session.get(SandboxProduct, product.id)
    if row is None:
        raise NotFound("the product has no sandbox rule", field="product_id")
    return {"product_id": product.id, "title": product.title, "kind": row.kind, "rule": row.rule,
            "rule_hash": row.rule_hash}


def _remaining(session: Session, grant: metering.Grant, budget: float | None) -> tuple[int | None, float | None]:
    count, eps = metering.used(session, grant.order.id)
    left = None if grant.terms.max_count is None else grant.terms.max_count - count
    return left, (None if budget is None else max(0.0, budget - eps))


def _target(config: SandboxProduct, lister: str) -> SandboxTarget:
    return SandboxTarget(config.dataset_id, config.product_id, lister, config.rule_hash)


@action("sandbox.query", roles=BUYERS)
def run_query(*, session: Session, actor: Actor, node: NodeClient, order_id: str, sql: str, purpose: str,
              buyer_table: pa.Table | None = None, limits: Limits | None = None) -> QueryResult:
    """Run the buyer's SQL under the product's rule and the order's contract; refusals are logged, not charged."""
    grant = metering.admit(session, actor, order_id, "sandbox", purpose)
    rule = parse_rule(grant.config.rule)
    budget = rule.epsilon_budget if isinstance(rule, DPRule) else None
    columns = tuple(c.lower() for c in buyer_table.column_names) if buyer_table is not None else ()
    digest = text_hash(sql)
    try:
        prepared = prepare(sql, rule, columns)
    except PolicyViolation as exc:
        usage = metering.record(session, actor, grant, kind="query", text_hash=digest, decision="refused",
                                code=exc.code)
        left, eps_left = _remaining(session, grant, budget)
        return QueryResult("refused", None, 0, 0.0, left, eps_left, usage.id, exc.code,
                           {"zh": exc.details.get("zh", exc.message), "en": exc.details.get("en", exc.message)})
    metering.spend(session, grant, 1, prepared.epsilon, budget)
    answer = node.sandbox_query(session, _target(grant.config, grant.product.lister_party_id), rule, prepared,
                                buyer_table, limits)
    usage = metering.record(session, actor, grant, kind="query", text_hash=digest, decision="answered",
                            rows=answer.rows, units=1, epsilon=answer.epsilon)
    left, eps_left = _remaining(session, grant, budget)
    return QueryResult("answered", answer.table, answer.rows, answer.epsilon, left, eps_left, usage.id)


@action("verification.check", roles=BUYERS)
def check_records(*, session: Session, actor: Actor, node: NodeClient, order_id: str, records: pa.Table,
                  purpose: str) -> pa.Table:
    """核验: per record 一致 / 不一致 / 未找到 and a level per field; each record is one call of the allowance."""
    grant = metering.admit(session, actor, order_id, "verification", purpose)
    rule = VerificationRule.model_validate(grant.config.rule)
    if records.num_rows == 0:
        raise Invalid("至少提交一条记录 / submit at least one record", field="records")
    result = node.verify(session, _target(grant.config, grant.product.lister_party_id), rule, records)
    metering.spend(session, grant, records.num_rows)
    counts = pc.value_counts(result.column("result")).to_pylist()
    summary = {"results": {RESULTS_EN[c["values"]]: c["counts"] for c in counts}}
    batch_hash = hashlib.sha256(_batch_bytes(records)).hexdigest()
    metering.record(session, actor, grant, kind="check", text_hash=batch_hash, decision="answered",
                    rows=records.num_rows, units=records.num_rows, summary=summary)
    return result


def _batch_bytes(records: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, records.schema) as writer:
        writer.write_table(records)
    return bytes(sink.getvalue())


@action("sandbox.usage", roles=ANY_ROLE)
def usage_log(*, session: Session, actor: Actor, product_id: str, limit: int = 100) -> list[Usage]:
    """The product's usage log, newest first: for its provider, the operator and the regulator."""
    product = session.get(Product, product_id)
    if product is None or not (product.lister_party_id == actor.party_id or actor.has(*OVERSEERS)):
        raise NotFound("no such product", field="product_id")
    stmt = (select(Usage).where(Usage.product_id == product.id)
            .order_by(Usage.created_at.desc(), Usage.id.desc()).limit(max(1, min(limit, 1000))))
    return list(session.scalars(stmt))


@action("sandbox.allowance", roles=ANY_ROLE)
def allowance(*, session: Session, actor: Actor, order_id: str) -> dict[str, Any]:
    """What is left of an order's contract: calls, epsilon and the end date (the buyer and the provider)."""
    order = session.get(Order, order_id)
    product = session.get(Product, order.product_id) if order is not None else None
    if order is None or product is None or actor.party_id not in (order.buyer_party_id, product.lister_party_id):
        raise NotFound("没有这个订单 / no such order", field="order_id")
    config = session.get(SandboxProduct, product.id)
    rule = parse_rule(config.rule) if config is not None and config.kind == "sandbox" else None
    budget = rule.epsilon_budget if isinstance(rule, DPRule) else None
    terms = order_terms(session, order.id)
    count, eps = metering.used(session, order.id)
    return {"order_id": order.id, "product_id": product.id, "purpose": terms.purpose,
            "until": terms.until.isoformat(), "max_count": terms.max_count, "used_count": count,
            "remaining_count": None if terms.max_count is None else terms.max_count - count,
            "epsilon_budget": budget, "used_epsilon": eps,
            "remaining_epsilon": None if budget is None else max(0.0, budget - eps)}
