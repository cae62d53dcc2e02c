"""Grant, transfer, revoke, expire and chain of title, through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Forbidden, Invalid
from yaosu.ledger.models import LedgerEvent
from yaosu.resources.models import Resource
from yaosu.rights import service as rights
from yaosu.rights.models import Right
from yaosu.rights.schemas import GrantCreate, TransferCreate


def _original(session: Session, resource: Resource, kind: str) -> Right:
    return next(r for r in rights.active_rights(session, resource.id) if r.kind == kind and r.origin == "original")


def _grant(session: Session, actor: Actor, right: Right, to: str, **kw: Any) -> Right:
    """A licence of `right`; its term defaults to the grantor's end, or a year when the grantor has none."""
    until = right.valid_until or clock.now() + timedelta(days=365)
    body: dict[str, Any] = {"to_party_id": to, "purposes": ["research"], "actions": ["use", "analyze", "sublicense"],
                            "regions": ["CN-44"], "valid_until": until}
    body.update(kw)
    return rights.grant_right(session=session, actor=actor, right_id=right.id, data=GrantCreate(**body))


def _counts(session: Session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(Right)) or 0,
            session.scalar(select(func.count()).select_from(LedgerEvent)) or 0)


@pytest.fixture
def setup(session: Session, factory: Factory) -> dict[str, Any]:
    provider = factory.actor(Role.PROVIDER)
    buyer = factory.actor(Role.BUYER)
    third = factory.actor(Role.BUYER)
    resource = factory.resource(provider)
    return {"provider": provider, "buyer": buyer, "third": third, "resource": resource,
            "processing": _original(session, resource, "processing")}


def test_resource_creation_makes_three_original_rights(session: Session, setup: dict[str, Any]) -> None:
    held = rights.active_rights(session, setup["resource"].id)
    assert sorted(r.kind for r in held) == ["holding", "operation", "processing"]
    assert {r.holder_party_id for r in held} == {setup["provider"].party_id}


def test_grant_within_scope_and_chain_of_title(session: Session, setup: dict[str, Any]) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id)
    sub = _grant(session, setup["buyer"], licence, setup["third"].party_id, actions=["use"], regions=["CN-44-03"],
                 valid_until=clock.now() + timedelta(days=30))
    chain = rights.chain_of_title(session=session, actor=setup["third"], right_id=sub.id)
    assert [r.id for r in chain] == [setup["processing"].id, licence.id, sub.id]
    assert [r.holder_party_id for r in chain] == [setup["provider"].party_id, setup["buyer"].party_id,
                                                  setup["third"].party_id]


@pytest.mark.parametrize(("overrides", "field"), [
    pytest.param({"purposes": ["research", "credit_scoring"]}, "purposes", id="purpose"),
    pytest.param({"actions": ["use", "distribute"]}, "actions", id="action"),
    pytest.param({"regions": ["CN"]}, "regions", id="region"),
    pytest.param({"valid_until": None}, "valid_until", id="term-open-ended"),
    pytest.param({"exclusive": True}, "exclusive", id="exclusive"),
])
def test_over_broad_sublicence_refused_and_nothing_written(session: Session, setup: dict[str, Any],
                                                           overrides: dict[str, Any], field: str) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id)
    before = _counts(session)
    with pytest.raises(Invalid) as err:
        _grant(session, setup["buyer"], licence, setup["third"].party_id, **overrides)
    assert err.value.code == "grant_exceeds_parent"
    assert err.value.field == field
    assert field in err.value.details["excess"]
    assert field in err.value.message
    assert _counts(session) == before


def test_longer_term_than_grantor_refused(session: Session, setup: dict[str, Any]) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id)
    with pytest.raises(Invalid) as err:
        _grant(session, setup["buyer"], licence, setup["third"].party_id,
               valid_until=licence.valid_until + timedelta(seconds=1))
    assert err.value.field == "valid_until"


def test_only_holder_may_grant(session: Session, setup: dict[str, Any]) -> None:
    from yaosu.errors import NotFound

    with pytest.raises(NotFound):  # the draft resource is invisible to the buyer
        _grant(session, setup["buyer"], setup["processing"], setup["third"].party_id)
    _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id)
    with pytest.raises(Forbidden):  # now visible (the buyer holds a licence) but still not the buyer's to grant
        _grant(session, setup["buyer"], setup["processing"], setup["third"].party_id)


def test_licence_without_sublicense_cannot_be_sublicensed(session: Session, setup: dict[str, Any]) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id, actions=["use"])
    with pytest.raises(Forbidden) as err:
        _grant(session, setup["buyer"], licence, setup["third"].party_id, actions=["use"])
    assert err.value.code == "no_sublicense"


def test_exclusive_licence_blocks_further_grants(session: Session, setup: dict[str, Any]) -> None:
    _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id, exclusive=True)
    with pytest.raises(Conflict):
        _grant(session, setup["provider"], setup["processing"], setup["third"].party_id)


def test_transfer_moves_holding_and_keeps_licences(session: Session, setup: dict[str, Any]) -> None:
    resource, provider, buyer, third = setup["resource"], setup["provider"], setup["buyer"], setup["third"]
    licence = _grant(session, provider, setup["processing"], buyer.party_id)
    holding = _original(session, resource, "holding")
    new_holding = rights.transfer_right(session=session, actor=provider, right_id=holding.id,
                                        data=TransferCreate(to_party_id=third.party_id))
    new_processing = rights.transfer_right(session=session, actor=provider, right_id=setup["processing"].id,
                                           data=TransferCreate(to_party_id=third.party_id))
    assert holding.status == "transferred" and new_holding.origin == "transferred"
    assert resource.holder_party_id == third.party_id
    assert licence.status == "active" and new_processing.parent_id == setup["processing"].id
    # the new holder stands in the grantor's position: it may revoke the old licence, the old holder not
    with pytest.raises(Forbidden):
        rights.revoke_right(session=session, actor=provider, right_id=licence.id, reason="x")
    rights.revoke_right(session=session, actor=third, right_id=licence.id, reason="contract ended")
    assert licence.status == "revoked"


def test_revoke_cascades_to_sublicences(session: Session, setup: dict[str, Any]) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id)
    sub = _grant(session, setup["buyer"], licence, setup["third"].party_id, actions=["use"])
    with pytest.raises(Forbidden):
        rights.revoke_right(session=session, actor=setup["third"], right_id=licence.id, reason="no")
    rights.revoke_right(session=session, actor=setup["provider"], right_id=licence.id, reason="breach")
    assert (licence.status, sub.status) == ("revoked", "revoked")
    assert licence.id in sub.status_reason


def test_expire_due(session: Session, setup: dict[str, Any], operator: Actor) -> None:
    licence = _grant(session, setup["provider"], setup["processing"], setup["buyer"].party_id,
                     valid_until=clock.now() + timedelta(days=10))
    assert rights.expire_due(session=session, actor=operator) == []
    clock.advance(timedelta(days=11))
    assert [r.id for r in rights.expire_due(session=session, actor=operator)] == [licence.id]
    assert licence.status == "expired"
    with pytest.raises(Invalid):
        _grant(session, setup["buyer"], licence, setup["third"].party_id, actions=["use"])


def test_strangers_cannot_see_rights_of_a_draft(session: Session, setup: dict[str, Any]) -> None:
    from yaosu.errors import NotFound

    with pytest.raises(NotFound):
        rights.list_rights(session=session, actor=setup["third"], subject_id=setup["resource"].id)
    assert len(rights.list_rights(session=session, actor=setup["provider"], subject_id=setup["resource"].id)) == 3
