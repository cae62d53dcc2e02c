"""Catalog fixtures: resources with a given status, at distinct times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu import clock
from yaosu.auth import service as auth
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.auth.schemas import UserCreate
from yaosu.catalog.schemas import CatalogPage, CatalogQuery
from yaosu.catalog.service import search_catalog
from yaosu.resources.models import Resource

MakeResource = Callable[..., Resource]
MakeActor = Callable[..., Actor]

def search_as(session: Session, actor: Actor | None = None, **query: Any) -> CatalogPage:
    """Run a catalog search as `actor` (a visitor when None) with CatalogQuery fields as keywords."""
    who = actor or Actor.anonymous()
    return search_catalog(session=session, actor=who, query=CatalogQuery.model_validate(query))


def titles_of(page: CatalogPage) -> set[str]:
    """The titles on one result page."""
    return {item.title for item in page.items}



def set_status(session: Session, resource: Resource, status: str) -> Resource:
    """Stand-in for the registration flow (notice, certificate, cancellation), merged in parallel.

    Only the status is set directly; everything else about the resource came from its service.
    """
    resource.status = status
    session.flush()
    return resource


@pytest.fixture
def make(factory: Factory, session: Session) -> MakeResource:
    """Create a resource through the service (one second after the previous one), then set its status."""
    clock.freeze(datetime(2026, 3, 1, tzinfo=UTC))

    def _make(actor: Actor, status: str = "registered", **overrides: Any) -> Resource:
        clock.advance(timedelta(seconds=1))
        resource = factory.resource(actor, **overrides)
        return set_status(session, resource, status) if status != "draft" else resource

    return _make


@pytest.fixture
def person(factory: Factory, session: Session) -> MakeActor:
    """A new party with one password-less user (no argon2 hashing: fast), as an Actor."""
    def _person(*roles: Role, name: str | None = None) -> Actor:
        party = factory.party(*(roles or (Role.PROVIDER,)), name=name)
        user = auth.create_user(session=session, actor=factory.operator, data=UserCreate(
            party_id=party.id, username=f"u{party.id.lower()}", display_name=party.name))
        return auth.actor_for_user(session, user)

    return _person
