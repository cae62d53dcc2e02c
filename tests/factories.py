"""Test factories: every object is made through the public services, never by raw inserts."""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from yaosu.auth import service as auth
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate, TokenCreate, UserCreate
from yaosu.identifiers import USCC_ALPHABET, uscc_check_char
from yaosu.resources import service as resources
from yaosu.resources.models import Resource
from yaosu.resources.schemas import ResourceCreate

_counter = itertools.count(1)


def make_uscc(seed: int | None = None) -> str:
    """A random valid unified social credit code."""
    rng = random.Random(seed)
    body = rng.choice("159") + rng.choice("123") + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def content_hash(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def resource_payload(**overrides: Any) -> dict[str, Any]:
    """A valid ResourceCreate body; override any field."""
    n = next(_counter)
    body: dict[str, Any] = {
        "title": f"企业经营数据集{n}", "description": "工商登记与经营状况", "domain": "commerce",
        "source_system": "ERP", "update_frequency": "monthly", "tags": ["经营"],
        "classification": "enterprise", "grade": "general", "level": 2,
        "version": {"content_hash": content_hash(f"content-{n}"), "row_count": 1000,
                    "schema_fields": [{"name": "id", "type": "string"}]},
    }
    body.update(overrides)
    return body


@dataclass
class Factory:
    session: Session
    operator: Actor
    _users: dict[str, Actor] = field(default_factory=dict)

    def party(self, *roles: Role, name: str | None = None, kind: PartyKind = PartyKind.ORGANIZATION) -> Party:
        n = next(_counter)
        data = PartyCreate(kind=kind, name=name or f"测试主体{n}",
                           uscc=make_uscc(n * 7919) if kind == PartyKind.ORGANIZATION else None,
                           roles=list(roles) or [Role.PROVIDER])
        return auth.create_party(session=self.session, actor=self.operator, data=data)

    def actor(self, *roles: Role, name: str | None = None, password: str = "correct-horse-battery") -> Actor:
        """A new party with one user; returns the user's Actor."""
        party = self.party(*roles, name=name)
        user = auth.create_user(session=self.session, actor=self.operator,
                                data=UserCreate(party_id=party.id, username=f"user{next(_counter)}",
                                                display_name=party.name, password=password))
        return auth.actor_for_user(self.session, user)

    def user_for(self, party: Party, password: str = "correct-horse-battery") -> Actor:
        user = auth.create_user(session=self.session, actor=self.operator,
                                data=UserCreate(party_id=party.id, username=f"user{next(_counter)}",
                                                display_name=party.name, password=password))
        return auth.actor_for_user(self.session, user)

    def token(self, actor: Actor) -> str:
        _, token = auth.create_token(session=self.session, actor=actor, data=TokenCreate(name="test"))
        self.session.flush()
        return token

    def resource(self, actor: Actor, **overrides: Any) -> Resource:
        data = ResourceCreate.model_validate(resource_payload(**overrides))
        return resources.create_resource(session=self.session, actor=actor, data=data)
