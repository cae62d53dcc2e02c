"""The catalog over HTTP: anonymous search, a holder's own drafts, validation errors, DCAT as JSON-LD."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import Factory
from tests.integration.catalog.conftest import MakeResource
from yaosu.auth.roles import Role


def test_anonymous_search_sees_public_resources_only(client: TestClient, factory: Factory,
                                                     make: MakeResource) -> None:
    owner = factory.actor(Role.PROVIDER)
    make(owner, title="港口吞吐量统计")
    make(owner, status="draft", title="港口草稿")
    res = client.get("/api/v1/catalog/search", params={"q": "港口"})
    assert res.status_code == 200, res.text
    body = res.json()
    assert [i["title"] for i in body["items"]] == ["港口吞吐量统计"]
    assert (body["total"], body["page"], body["page_size"], body["total_exact"]) == (1, 1, 20, True)
    token = factory.token(owner)
    auth = {"Authorization": f"Bearer {token}"}
    mine = client.get("/api/v1/catalog/search", params={"q": "港口"}, headers=auth)
    assert {i["title"] for i in mine.json()["items"]} == {"港口吞吐量统计", "港口草稿"}


def test_query_of_101_characters_is_422_on_field_q(client: TestClient) -> None:
    res = client.get("/api/v1/catalog/search", params={"q": "港" * 101})
    assert res.status_code == 422
    assert (res.json()["code"], res.json()["field"]) == ("invalid", "q")


def test_too_many_terms_is_422_on_field_q(client: TestClient) -> None:
    res = client.get("/api/v1/catalog/search", params={"q": "".join(chr(0x4E00 + 7 * i) for i in range(40))})
    assert res.status_code == 422
    assert res.json()["field"] == "q"


def test_unknown_filter_value_is_422_on_its_field(client: TestClient) -> None:
    res = client.get("/api/v1/catalog/search", params={"domain": "mars"})
    assert res.status_code == 422
    assert res.json()["field"] == "domain"


def test_dcat_is_json_ld_with_request_base_url(client: TestClient, factory: Factory,
                                               make: MakeResource) -> None:
    made = make(factory.actor(Role.PROVIDER), title="公开港口数据")
    res = client.get("/api/v1/catalog/dcat")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/ld+json")
    doc = res.json()
    assert doc["@id"] == "http://testserver/api/v1/catalog/dcat"
    assert [d["@id"] for d in doc["dcat:dataset"]] == [f"http://testserver/resources/{made.id}"]
    assert client.get("/api/v1/catalog/dcat", params={"page": 0}).status_code == 422
