"""A party never reads another party's private records through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.roles import Role
from yaosu.auth.service import list_tokens
from yaosu.rights.service import active_rights


@pytest.fixture
def world(session: Session, factory: Factory) -> dict[str, Any]:
    owner = factory.actor(Role.PROVIDER)
    other = factory.actor(Role.PROVIDER, Role.BUYER)
    resource = factory.resource(owner)  # a draft: private to its holder and the overseers
    owner_token, other_token = factory.token(owner), factory.token(other)
    right = active_rights(session, resource.id)[0]
    token_id = list_tokens(session=session, actor=owner)[0].id
    return {"owner": owner, "other": other, "resource": resource, "right": right, "token_id": token_id,
            "owner_h": {"Authorization": f"Bearer {owner_token}"},
            "other_h": {"Authorization": f"Bearer {other_token}"}}


PRIVATE_READS = [
    ("GET", "/api/v1/resources/{resource}", 404),
    ("GET", "/api/v1/resources/{resource}/rights", 404),
    ("GET", "/api/v1/rights/{right}", 404),
    ("GET", "/api/v1/rights/{right}/chain", 404),
    ("GET", "/api/v1/parties/{owner_party}/users", 403),
    ("DELETE", "/api/v1/tokens/{token}", 404),
]


@pytest.mark.parametrize(("method", "template", "status"), PRIVATE_READS,
                         ids=[f"{m} {t}" for m, t, _ in PRIVATE_READS])
def test_other_party_is_refused_but_owner_is_served(client: TestClient, world: dict[str, Any], method: str,
                                                    template: str, status: int) -> None:
    url = template.format(resource=world["resource"].id, right=world["right"].id,
                          owner_party=world["owner"].party_id, token=world["token_id"])
    refused = client.request(method, url, headers=world["other_h"])
    assert refused.status_code == status, refused.text
    assert world["resource"].title not in refused.text
    if method == "GET":
        assert client.request(method, url, headers=world["owner_h"]).status_code == 200


def test_own_lists_contain_only_own_records(client: TestClient, world: dict[str, Any]) -> None:
    mine = client.get("/api/v1/resources/mine", headers=world["other_h"]).json()
    assert world["resource"].id not in {r["id"] for r in mine}
    tokens = client.get("/api/v1/tokens", headers=world["other_h"]).json()
    assert world["token_id"] not in {t["id"] for t in tokens}
    assert all("token_hash" not in t and "token" not in t for t in tokens)
