"""The DCAT 3 document kernel (pure): mappings, shapes and paging links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from yaosu.catalog.dcat import ACCESS_RIGHT, Publisher, access_rights, catalog_document, dataset

BASE = "https://exchange.example"


@pytest.mark.parametrize(("classification", "open_condition", "code", "label"), [
    pytest.param("public", "unconditional", "PUBLIC", "无条件开放", id="public-unconditional"),
    pytest.param("public", "conditional", "RESTRICTED", "有条件开放", id="public-conditional"),
    pytest.param("public", "not_open", "NON_PUBLIC", "不予开放", id="public-not-open"),
    pytest.param("enterprise", None, "RESTRICTED", "企业数据，依合同授权使用", id="enterprise"),
    pytest.param("personal", None, "RESTRICTED", "个人数据，依个人授权使用", id="personal"),
])
def test_access_rights(classification: str, open_condition: str | None, code: str, label: str) -> None:
    rights = access_rights(classification, open_condition)
    assert rights["@id"] == ACCESS_RIGHT + code
    assert rights["rdfs:label"] == {"@value": label, "@language": "zh-CN"}


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "R1", "title": "港口吞吐量统计", "description": "月度", "domain": "transport", "tags": ["港口"],
        "classification": "public", "open_condition": "unconditional", "holder_party_id": "P1",
        "holder_name": "某市交通运输局", "holder_kind": "organization", "update_frequency": "monthly",
        "updated_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "time_span_start": date(2020, 1, 1), "time_span_end": None}
    row.update(overrides)
    return row


def test_dataset_shape() -> None:
    doc = dataset(BASE, _row())
    assert doc["@id"] == f"{BASE}/resources/R1"
    assert doc["@type"] == "dcat:Dataset"
    assert doc["dct:title"] == {"@value": "港口吞吐量统计", "@language": "zh-CN"}
    assert doc["dct:publisher"]["foaf:name"]["@value"] == "某市交通运输局"
    assert doc["dct:modified"] == {"@value": "2026-01-02T03:04:05+00:00", "@type": "xsd:dateTime"}
    assert doc["dcat:theme"]["skos:prefLabel"]["@value"] == "交通运输"
    assert doc["dct:accrualPeriodicity"]["@id"].endswith("/frequency/MONTHLY")
    assert doc["dct:temporal"] == {"@type": "dct:PeriodOfTime",
                                   "dcat:startDate": {"@value": "2020-01-01", "@type": "xsd:date"}}


def test_individual_holder_is_a_person() -> None:
    assert dataset(BASE, _row(holder_kind="individual"))["dct:publisher"]["@type"] == "foaf:Person"


@pytest.mark.parametrize(("page", "has_next", "links"), [
    pytest.param(1, False, None, id="single-page-no-view"),
    pytest.param(1, True, {"hydra:next"}, id="first-of-many"),
    pytest.param(2, True, {"hydra:next", "hydra:previous"}, id="middle"),
    pytest.param(3, False, {"hydra:previous"}, id="last"),
])
def test_paging_links(page: int, has_next: bool, links: set[str] | None) -> None:
    doc = catalog_document(base_url=BASE + "/", publisher=Publisher("OP", "交易所"), rows=[_row()], page=page,
                           has_next=has_next)
    assert doc["@id"] == f"{BASE}/api/v1/catalog/dcat"
    if links is None:
        assert "hydra:view" not in doc
    else:
        assert {k for k in doc["hydra:view"] if k.startswith("hydra:")} == links
