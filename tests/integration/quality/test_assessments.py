"""Signed quality assessments: an assessor signs, the exchange verifies, stores, logs scores only, and shows them."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.unit.quality.tables import TODAY, id_number
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Forbidden, Invalid
from yaosu.keys import public_key_pem
from yaosu.ledger.models import LedgerEvent
from yaosu.quality.assess import assess_table
from yaosu.quality.models import QualityAssessment
from yaosu.quality.report import report_json
from yaosu.quality.schemas import AssessmentSubmit
from yaosu.quality.service import assessment_trend, latest_assessment, record_assessment
from yaosu.quality.signing import assessment_document, sign
from yaosu.resources.models import Resource
from yaosu.resources.schemas import VersionCreate
from yaosu.resources.service import add_version

ROWS = 1000  # the factory's resources declare 1000 rows
IDS = [id_number("110105", f"19{60 + i % 40}0101", i % 1000) for i in range(ROWS)]


def published(session: Session, factory: Factory, provider: Actor) -> Resource:
    """A resource created through its service, then put in notice (stand-in for the registration flow)."""
    resource = factory.resource(provider)
    resource.status = "notice"
    session.flush()
    return resource


def submission(resource: Resource, assessor: Actor, key: Ed25519PrivateKey, **changes: Any) -> AssessmentSubmit:
    """A real assessment of a 1000-row table, signed by `key` (fields of the document overridable)."""
    table = pa.table({"身份证号": IDS, "amount": list(range(ROWS))})
    report = report_json(assess_table(table, name="people.parquet", today=TODAY))
    version = resource.latest_version()
    assert version is not None
    doc = assessment_document(report, resource_id=resource.id, version=version.number,
                              content_hash=version.content_hash, assessor_party_id=assessor.party_id)
    doc.update(changes)
    return AssessmentSubmit(document=doc, signature=sign(doc, key), public_key_pem=public_key_pem(key.public_key()))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(QualityAssessment)) or 0)


def test_assessor_signs_and_the_ledger_gets_scores_without_values(session: Session, factory: Factory) -> None:
    provider, assessor = factory.actor(Role.PROVIDER), factory.actor(Role.ASSESSOR)
    resource = published(session, factory, provider)
    key = Ed25519PrivateKey.generate()
    row = record_assessment(session=session, actor=assessor, resource_id=resource.id,
                            data=submission(resource, assessor, key))
    assert (row.version_number, row.rows, row.assessor_party_id) == (1, ROWS, assessor.party_id)
    assert row.overall is not None and 0 < row.overall <= 100
    assert row.document["dimensions"]["completeness"] == "100.00"
    assert latest_assessment(session, resource.id) == row
    assert assessment_trend(session, resource.id) == [(1, row.overall)]
    event = session.scalars(select(LedgerEvent).where(LedgerEvent.type == "quality.assessed")).one()
    payload = json.loads(event.payload)
    assert payload["overall"] == row.document["overall"] and payload["key_id"] == row.key_id
    assert set(payload["dimensions"]) == {"normativity", "completeness", "accuracy", "consistency", "timeliness",
                                          "accessibility"}
    for value in IDS[:100]:
        assert value not in event.payload


def test_tampered_score_fails_the_signature_and_nothing_is_written(session: Session, factory: Factory) -> None:
    provider, assessor = factory.actor(Role.PROVIDER), factory.actor(Role.ASSESSOR)
    resource = published(session, factory, provider)
    data = submission(resource, assessor, Ed25519PrivateKey.generate())
    better = "99.99" if data.document["overall"] == "100.00" else "100.00"
    forged = AssessmentSubmit(document={**data.document, "overall": better}, signature=data.signature,
                              public_key_pem=data.public_key_pem)
    with pytest.raises(Invalid, match="does not verify") as err:
        record_assessment(session=session, actor=assessor, resource_id=resource.id, data=forged)
    assert err.value.field == "signature"
    assert count(session) == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"rows": 5}, "document.rows"), ({"version": 2}, "document.version"),
    ({"content_hash": "0" * 64}, "document.content_hash"),
    ({"assessor_party_id": "01HX"}, "document.assessor_party_id"),
    ({"overall": "101.00"}, "document.overall"), ({"type": "other"}, "document"),
], ids=["rows", "version", "hash", "assessor", "score-range", "type"])
def test_documents_not_about_this_version_are_refused(session: Session, factory: Factory, change: dict[str, Any],
                                                      field: str) -> None:
    provider, assessor = factory.actor(Role.PROVIDER), factory.actor(Role.ASSESSOR)
    resource = published(session, factory, provider)
    data = submission(resource, assessor, Ed25519PrivateKey.generate(), **change)
    with pytest.raises(Invalid) as err:
        record_assessment(session=session, actor=assessor, resource_id=resource.id, data=data)
    assert err.value.field == field
    assert count(session) == 0


def test_only_assessors_may_sign(session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = published(session, factory, provider)
    with pytest.raises(Forbidden):
        record_assessment(session=session, actor=provider, resource_id=resource.id,
                          data=submission(resource, provider, Ed25519PrivateKey.generate()))


def test_api_and_resource_page_show_the_signed_score(client: TestClient, session: Session, factory: Factory) -> None:
    provider, assessor = factory.actor(Role.PROVIDER), factory.actor(Role.ASSESSOR, name="质检评估中心")
    resource = published(session, factory, provider)
    url = f"/api/v1/resources/{resource.id}/quality"
    auth = {"Authorization": f"Bearer {factory.token(assessor)}"}
    assert client.get(f"{url}/latest", headers=auth).status_code == 404
    body = submission(resource, assessor, Ed25519PrivateKey.generate()).model_dump(mode="json")
    created = client.post(url, json=body, headers=auth)
    assert created.status_code == 201, created.text
    latest = client.get(f"{url}/latest").json()
    assert latest["id"] == created.json()["id"] and latest["document"] == body["document"]
    assert client.get(f"{url}/trend").json() == [{"version": 1, "overall": created.json()["overall"]}]
    page = client.get(f"/resources/{resource.id}")
    assert page.status_code == 200
    assert body["document"]["overall"] in page.text and "质检评估中心" in page.text
    assert "数据元素完整性" in page.text and f"{2 * ROWS:,}" in page.text  # signed A/B per sub-indicator
    found = client.get("/api/v1/catalog/search", params={"q": resource.title}).json()["items"]
    assert [(i["id"], i["quality_overall"]) for i in found] == [(resource.id, created.json()["overall"])]
    listed = client.get("/catalog", params={"q": resource.title})
    assert f"{created.json()['overall']:.2f}" in listed.text
    body["document"]["rows"] = 3
    bad = client.post(url, json=body, headers=auth)
    assert bad.status_code == 422 and bad.json()["field"] == "document.rows"


def test_trend_follows_versions_and_an_old_version_is_refused(session: Session, factory: Factory) -> None:
    provider, assessor = factory.actor(Role.PROVIDER), factory.actor(Role.ASSESSOR)
    resource = published(session, factory, provider)
    key = Ed25519PrivateKey.generate()
    first = record_assessment(session=session, actor=assessor, resource_id=resource.id,
                              data=submission(resource, assessor, key))
    stale = submission(resource, assessor, key)
    add_version(session=session, actor=provider, resource_id=resource.id,
                data=VersionCreate(content_hash="ab" * 32, row_count=ROWS))
    session.refresh(resource)
    with pytest.raises(Invalid) as err:
        record_assessment(session=session, actor=assessor, resource_id=resource.id, data=stale)
    assert err.value.field == "document.version"
    data = submission(resource, assessor, key, overall="50.00")  # an assessor's own (signed) judgement
    second = record_assessment(session=session, actor=assessor, resource_id=resource.id, data=data)
    assert second.version_number == 2
    assert assessment_trend(session, resource.id) == [(1, first.overall), (2, 50.0)]
    assert latest_assessment(session, resource.id) == second
