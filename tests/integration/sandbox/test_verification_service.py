"""Verification (核验) through the services: per-record answers, each record one call, the index on the node."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pytest
from sqlalchemy.orm import Session

from tests.integration.market.helpers import PURPOSE
from tests.sandbox_deals import Deal
from tests.unit.sandbox.fixtures import people
from yaosu.errors import PolicyViolation
from yaosu.sandbox import node, service


def _check(session: Session, d: Deal, records: pa.Table) -> pa.Table:
    return service.check_records(session=session, actor=d.buyer, node=d.node, order_id=d.order.id,
                                 records=records, purpose=PURPOSE)


def test_checks_answer_per_record_and_count_each_record(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal(kind="verification", calls=4)
    first = people().slice(0, 1).to_pylist()[0]
    records = pa.Table.from_pylist([
        {"id_number": first["id_number"], "name": first["name"], "phone": first["phone"]},
        {"id_number": first["id_number"], "name": "别人", "phone": first["phone"]},
        {"id_number": "000000000000000000", "name": first["name"], "phone": None},
    ])
    result = _check(session, d, records).to_pylist()
    assert [r["result"] for r in result] == ["一致", "不一致", "未找到"]
    assert result[1]["name"] == "不一致" and result[1]["phone"] == "一致"
    assert service.allowance(session=session, actor=d.buyer, order_id=d.order.id)["remaining_count"] == 1
    with pytest.raises(PolicyViolation) as caught:  # two more records than the one left: nothing is taken
        _check(session, d, records.slice(0, 2))
    assert caught.value.code == "allowance_exhausted"
    assert service.allowance(session=session, actor=d.buyer, order_id=d.order.id)["remaining_count"] == 1
    log = service.usage_log(session=session, actor=d.provider, product_id=d.order.product_id)
    assert [(u.kind, u.units, u.rows) for u in log] == [("check", 3, 3)]


def test_the_index_on_the_node_holds_no_raw_value(session: Session, deal: Callable[..., Deal]) -> None:
    d = deal(kind="verification")
    path = node.index_path(d.vault, d.order.product_id)
    data = path.read_bytes()
    assert path.stat().st_mode & 0o077 == 0
    for value in people().slice(0, 50).column("phone").to_pylist():
        assert value.encode() not in data
