"""Parties, users, password login and API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory, make_uscc
from yaosu import clock
from yaosu.auth import service as auth
from yaosu.auth.actor import Actor
from yaosu.auth.models import ApiToken
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate, TokenCreate
from yaosu.errors import Conflict, Invalid, Unauthenticated


@pytest.mark.parametrize(("body", "field", "code"), [
    pytest.param({"kind": "organization", "name": "甲公司", "roles": ["provider"]}, "uscc", "invalid", id="no-uscc"),
    pytest.param({"kind": "organization", "name": "甲公司", "uscc": "91110000600037341M", "roles": ["provider"]},
                 "uscc", "invalid_uscc", id="bad-check"),
    pytest.param({"kind": "individual", "name": "张三", "uscc": "91110000600037341L", "roles": ["individual"]},
                 "uscc", "invalid", id="individual-with-uscc"),
])
def test_party_validation(session: Session, operator: Actor, body: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(Invalid) as err:
        auth.create_party(session=session, actor=operator, data=PartyCreate.model_validate(body))
    assert (err.value.field, err.value.code) == (field, code)


def test_duplicate_uscc_conflicts(session: Session, operator: Actor) -> None:
    uscc = make_uscc(42)
    data = PartyCreate(kind=PartyKind.ORGANIZATION, name="乙公司", uscc=uscc, roles=[Role.BUYER])
    auth.create_party(session=session, actor=operator, data=data)
    with pytest.raises(Conflict):
        auth.create_party(session=session, actor=operator, data=data)


def test_password_login(session: Session, factory: Factory) -> None:
    actor = factory.actor(Role.BUYER, password="a-long-password")
    user = auth.list_users(session=session, actor=actor, party_id=actor.party_id)[0]
    assert auth.authenticate_password(session, user.username, "a-long-password").party_id == actor.party_id
    assert user.password_hash is not None and "a-long-password" not in user.password_hash
    for username, password in [(user.username, "wrong-password"), ("nobody", "a-long-password")]:
        with pytest.raises(Unauthenticated, match="wrong username or password"):
            auth.authenticate_password(session, username, password)


def test_token_shown_once_hash_stored_and_revocable(session: Session, factory: Factory,
                                                    client: TestClient) -> None:
    actor = factory.actor(Role.BUYER)
    row, token = auth.create_token(session=session, actor=actor, data=TokenCreate(name="ci", days=1))
    stored = session.scalar(select(ApiToken).where(ApiToken.id == row.id))
    assert stored is not None and token not in (stored.token_hash, stored.prefix) and stored.prefix == token[:10]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert token not in str(listed)
    assert client.delete(f"/api/v1/tokens/{row.id}", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_expired_token_refused(session: Session, factory: Factory) -> None:
    actor = factory.actor(Role.BUYER)
    _, token = auth.create_token(session=session, actor=actor, data=TokenCreate(name="short", days=1))
    clock.advance(timedelta(days=2))
    with pytest.raises(Unauthenticated):
        auth.authenticate_token(session, token)


def test_malformed_authorization_header(client: TestClient) -> None:
    res = client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
    assert res.status_code == 401 and res.json()["code"] == "unauthenticated"


def test_operator_creates_party_through_api_and_errors_have_one_shape(
        client: TestClient, factory: Factory, session: Session) -> None:
    op_party = auth.get_party(session=session, actor=factory.operator, party_id=factory.operator.party_id)
    op_user = factory.user_for(op_party)
    headers = {"Authorization": f"Bearer {factory.token(op_user)}"}
    ok = client.post("/api/v1/parties", headers=headers,
                     json={"kind": "organization", "name": "丙公司", "uscc": make_uscc(7), "roles": ["buyer"]})
    assert ok.status_code == 201 and ok.json()["roles"] == ["buyer"]
    bad = client.post("/api/v1/parties", headers=headers,
                      json={"kind": "organization", "name": "丁公司", "uscc": "123", "roles": ["buyer"]})
    assert bad.status_code == 422
    assert bad.json() == {"code": "invalid_uscc", "message": bad.json()["message"], "field": "uscc"}
    missing = client.post("/api/v1/parties", headers=headers, json={"kind": "organization"})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid" and missing.json()["field"] == "name"
