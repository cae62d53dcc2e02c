"""Scan reports on resources: recorded by holder or operator, summarised in the ledger, shown on the page."""

from __future__ import annotations

import json
import random
from typing import Any

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.unit.privacy.test_classify import id_cards, mobiles
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Invalid, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.privacy.grading_rules import load_rules
from yaosu.privacy.report import build_report, report_json, report_reasons
from yaosu.privacy.scan import scan_batches
from yaosu.resources.models import ResourceScan
from yaosu.resources.scan_schemas import ScanRecord
from yaosu.resources.scan_service import latest_scan, record_scan

ROWS = 1000  # the factory's resources declare 1000 rows


def people(rows: int = ROWS) -> pa.Table:
    rng = random.Random(11)
    return pa.table({"证件号码": id_cards(rows, rng), "联系电话": mobiles(rows, rng),
                     "city": [rng.choice(["北京", "上海"]) for _ in range(rows)]})


def record_for(table: pa.Table) -> ScanRecord:
    """A real scan of `table`, graded by the built-in rules, as the service takes it."""
    report = build_report(scan_batches("people.parquet", table.schema, table.to_batches(400)), load_rules())
    return ScanRecord.model_validate({"report": report_json(report), "reasons": report_reasons(report)})


def scans(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ResourceScan)) or 0)


def test_holder_records_a_scan_and_the_ledger_gets_a_summary_without_values(
        session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    table = people()
    scan = record_scan(session=session, actor=provider, resource_id=resource.id, data=record_for(table))
    assert (scan.version_number, scan.rows, scan.classification, scan.grade) == (1, ROWS, "personal", "general-3")
    assert latest_scan(session, resource.id) == scan
    assert [c["entity"] for c in scan.report["columns"]] == ["CN_ID_CARD", "CN_MOBILE", None]
    assert scan.reasons["grade_rule"] == "ent.id_card"
    event = session.scalars(select(LedgerEvent).where(LedgerEvent.type == "resource.scanned")).one()
    payload: dict[str, Any] = json.loads(event.payload)
    assert payload["entities"] == {"CN_ID_CARD": 1, "CN_MOBILE": 1} and payload["grade"] == "general-3"
    assert payload["scan_id"] == scan.id and payload["rows"] == ROWS
    for value in [*table.column(0).to_pylist()[:50], *table.column(1).to_pylist()[:50]]:
        assert value not in event.payload


def test_operator_may_record_another_provider_may_not(session: Session, factory: Factory, operator: Actor) -> None:
    provider, stranger = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    with pytest.raises(NotFound):
        record_scan(session=session, actor=stranger, resource_id=resource.id, data=record_for(people()))
    assert scans(session) == 0
    record_scan(session=session, actor=operator, resource_id=resource.id, data=record_for(people()))
    assert scans(session) == 1


def test_a_scan_of_other_content_is_refused_and_nothing_is_written(session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    events = session.scalar(select(func.count()).select_from(LedgerEvent))
    with pytest.raises(Invalid, match="has 1000") as err:
        record_scan(session=session, actor=provider, resource_id=resource.id, data=record_for(people(999)))
    assert err.value.field == "report.rows"
    assert scans(session) == 0 and session.scalar(select(func.count()).select_from(LedgerEvent)) == events


@pytest.mark.parametrize(("path", "value"), [
    pytest.param(("report", "grade"), "general-7", id="bad-grade"),
    pytest.param(("report", "classification"), "secret", id="bad-classification"),
    pytest.param(("report", "extra"), 1, id="extra-key"),
    pytest.param(("report", "rows"), -1, id="negative-rows"),
])
def test_malformed_reports_are_rejected(path: tuple[str, str], value: object) -> None:
    body = record_for(people(10)).model_dump(mode="json")
    body[path[0]][path[1]] = value
    with pytest.raises(ValidationError):
        ScanRecord.model_validate(body)


def test_api_records_and_returns_the_latest_scan(client: TestClient, factory: Factory) -> None:
    provider, stranger = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    auth = {"Authorization": f"Bearer {factory.token(provider)}"}
    url = f"/api/v1/resources/{resource.id}/scans"
    assert client.get(f"{url}/latest", headers=auth).status_code == 404
    body = record_for(people()).model_dump(mode="json")
    created = client.post(url, json=body, headers=auth)
    assert created.status_code == 201, created.text
    assert created.json()["grade"] == "general-3" and created.json()["report"] == body["report"]
    latest = client.get(f"{url}/latest", headers=auth).json()
    assert latest["id"] == created.json()["id"] and latest["reasons"]["classification_rule"] == "cls.personal"
    other = client.post(url, json=body, headers={"Authorization": f"Bearer {factory.token(stranger)}"})
    assert other.status_code == 404
    body["report"]["rows"] = 5
    bad = client.post(url, json=body, headers=auth)
    assert bad.status_code == 422 and bad.json()["field"] == "report.rows"
