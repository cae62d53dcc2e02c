"""Resources: grading rules, versions with their own hash, core data refused, one data one source."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory, content_hash, resource_payload
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Forbidden, PolicyViolation
from yaosu.resources import service as resources
from yaosu.resources.models import Resource
from yaosu.resources.schemas import ResourceCreate, VersionCreate


@pytest.mark.parametrize(("overrides", "message"), [
    pytest.param({"grade": "general", "level": None}, "needs a level", id="general-without-level"),
    pytest.param({"grade": "important", "level": 2}, "only general data has a level", id="important-with-level"),
    pytest.param({"level": 5}, "less than or equal to 4", id="level-5"),
    pytest.param({"classification": "public"}, "open_condition", id="public-without-open-condition"),
    pytest.param({"open_condition": "unconditional"}, "public data only", id="open-condition-on-enterprise"),
    pytest.param({"domain": "astrology"}, "unknown domain", id="unknown-domain"),
    pytest.param({"time_span_start": "2026-02-01", "time_span_end": "2026-01-01"}, "before", id="span-reversed"),
    pytest.param({"version": {"content_hash": "xyz", "row_count": 1}}, "SHA-256", id="bad-hash"),
])
def test_metadata_rules(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ResourceCreate.model_validate(resource_payload(**overrides))


def test_core_data_refused_and_nothing_written(session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    before = session.scalar(select(func.count()).select_from(Resource))
    with pytest.raises(PolicyViolation) as err:
        factory.resource(provider, grade="core", level=None)
    assert err.value.code == "core_data_refused" and err.value.field == "grade"
    assert session.scalar(select(func.count()).select_from(Resource)) == before


def test_buyer_cannot_create_resources(factory: Factory) -> None:
    with pytest.raises(Forbidden):
        factory.resource(factory.actor(Role.BUYER))


def test_new_content_makes_a_new_version(session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    first = resource.latest_version()
    assert first is not None
    v2 = resources.add_version(session=session, actor=provider, resource_id=resource.id,
                               data=VersionCreate(content_hash=content_hash("v2"), row_count=7))
    assert (v2.number, resource.current_version) == (2, 2)
    assert [v.content_hash for v in resource.versions] == [first.content_hash, content_hash("v2")]
    with pytest.raises(Conflict, match="unchanged"):
        resources.add_version(session=session, actor=provider, resource_id=resource.id,
                              data=VersionCreate(content_hash=content_hash("v2"), row_count=7))


def test_only_the_holder_adds_versions(session: Session, factory: Factory, operator: Actor) -> None:
    from yaosu.errors import NotFound

    resource = factory.resource(factory.actor(Role.PROVIDER))
    with pytest.raises(NotFound):
        resources.add_version(session=session, actor=factory.actor(Role.PROVIDER), resource_id=resource.id,
                              data=VersionCreate(content_hash=content_hash("x"), row_count=1))


def _public(code: str) -> dict[str, Any]:
    return {"classification": "public", "grade": "general", "level": 3, "open_condition": "conditional",
            "data_item_code": code}


def test_one_data_one_source_conflict_reported_and_resolved(session: Session, factory: Factory,
                                                            operator: Actor) -> None:
    first_bureau, second_bureau = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    original = factory.resource(first_bureau, **_public("GD-HEALTH-0007"))
    assert resources.list_source_conflicts(session=session, actor=operator) == []
    claimant = factory.resource(second_bureau, **_public("GD-HEALTH-0007"))
    conflicts = resources.list_source_conflicts(session=session, actor=operator)
    assert [(c.authoritative_resource_id, c.claimant_resource_id) for c in conflicts] == [(original.id, claimant.id)]
    with pytest.raises(Forbidden):
        resources.list_source_conflicts(session=session, actor=second_bureau)
    resources.resolve_source_conflict(session=session, actor=operator, conflict_id=conflicts[0].id, reassign=True,
                                      note="the health commission is the authoritative source")
    from yaosu.resources.models import PublicDataSource
    source = session.get(PublicDataSource, "GD-HEALTH-0007")
    assert source is not None and source.resource_id == claimant.id
    assert resources.list_source_conflicts(session=session, actor=operator) == []
    with pytest.raises(Conflict):
        resources.resolve_source_conflict(session=session, actor=operator, conflict_id=conflicts[0].id,
                                          reassign=False, note="again")
