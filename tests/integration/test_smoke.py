"""The spine: migrate, bootstrap, create a party, a resource, read it back through the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import Factory, resource_payload
from yaosu.auth.roles import Role


def test_provider_creates_resource_through_api(client: TestClient, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    token = factory.token(provider)
    res = client.post("/api/v1/resources", json=resource_payload(title="城市交通流量数据"),
                      headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["holder_party_id"] == provider.party_id
    assert body["versions"][0]["number"] == 1
    got = client.get(f"/api/v1/resources/{body['id']}", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200
    assert got.json()["title"] == "城市交通流量数据"


def test_anonymous_is_refused_with_json_error(client: TestClient) -> None:
    res = client.get("/api/v1/resources/mine")
    assert res.status_code == 401
    assert res.json()["code"] == "unauthenticated"
