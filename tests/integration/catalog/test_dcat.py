"""The DCAT 3 export: public resources only, valid JSON-LD (expanded offline with pyld)."""

from __future__ import annotations

from typing import Any

import pytest
from pyld import jsonld
from sqlalchemy.orm import Session

from tests.integration.catalog.conftest import MakeActor, MakeResource
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.catalog.service import dcat_catalog
from yaosu.errors import Invalid

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
BASE = "https://exchange.example"


def _offline(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise AssertionError(f"pyld tried to fetch {url}: the context must be inline")


def _expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": _offline})
    return expanded


@pytest.fixture
def published(person: MakeActor, make: MakeResource) -> dict[str, str]:
    holder = person(Role.PROVIDER, name="东海港务集团")
    made = {status: make(holder, status=status, title=f"{status}港口数据", tags=["港口", "航运"]).id
            for status in ("registered", "notice", "draft", "submitted", "cancelled", "rejected")}
    return made


def test_export_lists_only_public_resources(session: Session, published: dict[str, str]) -> None:
    doc = dcat_catalog(session=session, actor=Actor.anonymous(), base_url=BASE)
    ids = {d["dct:identifier"] for d in doc["dcat:dataset"]}
    assert ids == {published["registered"], published["notice"]}
    assert doc["@id"] == f"{BASE}/api/v1/catalog/dcat"
    assert doc["@type"] == "dcat:Catalog"
    assert "hydra:view" not in doc


def test_export_is_valid_json_ld_with_dcat_terms(session: Session, published: dict[str, str]) -> None:
    doc = dcat_catalog(session=session, actor=Actor.anonymous(), base_url=BASE)
    [catalog] = _expand(doc)
    assert catalog["@type"] == [f"{DCAT}Catalog"]
    datasets = catalog[f"{DCAT}dataset"]
    assert len(datasets) == 2
    first = next(d for d in datasets if d["@id"] == f"{BASE}/resources/{published['registered']}")
    assert first["@type"] == [f"{DCAT}Dataset"]
    [title] = first[f"{DCT}title"]
    assert (title["@value"], title["@language"].lower()) == ("registered港口数据", "zh-cn")  # pyld folds case
    assert {k["@value"] for k in first[f"{DCAT}keyword"]} == {"港口", "航运"}
    assert first[f"{DCT}publisher"][0]["http://xmlns.com/foaf/0.1/name"][0]["@value"] == "东海港务集团"
    assert first[f"{DCT}modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert first[f"{DCT}accessRights"][0]["@id"].startswith("http://publications.europa.eu/resource/authority/")


def test_export_pages_with_a_next_link(session: Session, person: MakeActor, make: MakeResource) -> None:
    holder = person(Role.PROVIDER)
    for i in range(3):
        make(holder, title=f"分页导出{i}")
    first = dcat_catalog(session=session, actor=Actor.anonymous(), base_url=BASE, page_size=2)
    second = dcat_catalog(session=session, actor=Actor.anonymous(), base_url=BASE, page=2, page_size=2)
    assert [d["dct:title"]["@value"] for d in first["dcat:dataset"]] == ["分页导出2", "分页导出1"]
    assert first["hydra:view"]["hydra:next"]["@id"] == f"{BASE}/api/v1/catalog/dcat?page=2"
    assert [d["dct:title"]["@value"] for d in second["dcat:dataset"]] == ["分页导出0"]
    assert "hydra:next" not in second["hydra:view"]
    assert len(_expand(second)) == 1


@pytest.mark.parametrize(("page", "page_size", "field"), [(0, 10, "page"), (1, 0, "page_size"),
                                                           (1, 1001, "page_size")])
def test_export_refuses_bad_paging(session: Session, page: int, page_size: int, field: str) -> None:
    with pytest.raises(Invalid) as err:
        dcat_catalog(session=session, actor=Actor.anonymous(), base_url=BASE, page=page, page_size=page_size)
    assert err.value.field == field
