"""Sandbox queries through the services: metered by the signed contract, logged, refused with nothing spent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

import pyarrow as pa
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.sandbox_deals import Deal
from tests.unit.sandbox.fixtures import AGG, identifiers, people
from yaosu import clock
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, NotFound, PolicyViolation
from yaosu.ledger.models import LedgerEvent
from yaosu.sandbox import service

SQL = "SELECT city, COUNT(*) AS n, SUM(income) AS s FROM data GROUP BY city ORDER BY city"


def _events(session: Session, order_id: str) -> list[LedgerEvent]:
    return list(session.scalars(select(LedgerEvent).where(LedgerEvent.subject_id == order_id,
                                                          LedgerEvent.type == "sandbox.query")
                                .order_by(LedgerEvent.seq)))


def test_queries_are_answered_until_the_count_then_refused_with_nothing_spent(
        session: Session, deal: Callable[..., Deal]) -> None:
    d = deal(calls=3)
    results = [d.query(session, SQL) for _ in range(3)]
    assert [r.decision for r in results] == ["answered"] * 3
    assert [r.remaining_count for r in results] == [2, 1, 0]
    assert results[0].table is not None and results[0].table.column("city").to_pylist() == sorted(
        ["上海", "北京", "广州", "深圳"])
    with pytest.raises(PolicyViolation) as caught:
        d.query(session, SQL)
    assert caught.value.code == "allowance_exhausted" and "次数已用完" in caught.value.message
    assert d.used(session) == 3
    events = _events(session, d.order.id)
    payload = json.loads(events[0].payload)
    assert len(events) == 3 and payload["rows"] == 4
    assert payload["text_hash"] == hashlib.sha256(SQL.encode()).hexdigest() and payload["decision"] == "answered"


def test_a_refused_query_is_logged_with_its_reason_and_costs_nothing(session: Session,
                                                                      deal: Callable[..., Deal]) -> None:
    d = deal(calls=1)
    refused = d.query(session, "SELECT id_number FROM data")
    assert refused.decision == "refused" and refused.code == "sql_output_not_allowed"
    assert refused.reason is not None and refused.reason["zh"] == "列 id_number 不能输出"
    assert refused.remaining_count == 1 and refused.table is None
    assert d.query(session, SQL).decision == "answered"
    log = service.usage_log(session=session, actor=d.provider, product_id=d.order.product_id)
    assert [(u.decision, u.units, u.code) for u in log] == [("answered", 1, None),
                                                          ("refused", 0, "sql_output_not_allowed")]


def test_an_expired_contract_is_refused(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal()
    clock.advance(timedelta(days=400))
    assert d.refusal(session, SQL) == "contract_expired" and d.used(session) == 0


def test_a_query_for_another_purpose_is_refused(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal()
    assert d.refusal(session, SQL, purpose="精准营销") == "purpose_mismatch"


def test_another_buyer_cannot_use_the_order(session: Session, factory: Factory, deal: Callable[..., Deal]) -> None:
    d = deal()
    stranger = factory.actor(Role.BUYER)
    with pytest.raises(NotFound):
        service.run_query(session=session, actor=stranger, node=d.node, order_id=d.order.id, sql=SQL,
                          purpose="x")
    with pytest.raises(NotFound):
        service.usage_log(session=session, actor=d.buyer, product_id=d.order.product_id)
    with pytest.raises(NotFound):
        service.allowance(session=session, actor=stranger, order_id=d.order.id)


def test_a_buyer_table_joins_and_never_shows_a_raw_value(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal()
    table = people()
    buyer = pa.table({"phone": table.column("phone").to_pylist()[:40], "seg": ["a", "b"] * 20})
    result = d.query(session, "SELECT b.seg, COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone "
                              "GROUP BY b.seg", buyer_table=buyer)
    assert result.decision == "answered" and result.rows == 2
    assert result.table is not None
    cells = {str(v) for c in result.table.columns for v in c.to_pylist()}
    assert not cells & identifiers(table)


def test_dp_queries_spend_the_epsilon_budget(session: Session, deal: Callable[..., Deal]) -> None:
    rule = {**AGG.model_dump(mode="json"), "kind": "dp", "epsilon_budget": 0.3, "epsilon_per_aggregate": 0.1}
    d = deal(calls=10, rule=rule)
    sql = "SELECT city, COUNT(*) AS n FROM data GROUP BY city"
    assert [d.query(session, sql).remaining_epsilon for _ in range(3)] == pytest.approx([0.2, 0.1, 0.0])
    assert d.refusal(session, sql) == "privacy_budget_exhausted" and d.used(session) == 3


def test_a_rule_is_set_once_and_must_name_the_dataset_columns(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal()
    with pytest.raises(Conflict):
        service.configure_product(session=session, actor=d.provider, node=d.node,
                                  product_id=d.order.product_id,
                                  dataset_id="01ARZ3NDEKTSV4RRFFQ69G5FAV", rule={})


def test_the_schema_is_documented_for_buyers(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal()
    schema = service.product_schema(session=session, actor=d.buyer, product_id=d.order.product_id)
    assert schema["kind"] == "sandbox" and schema["rule"]["dimensions"] == ["city", "age"]
