"""Succession: rights and duties pass to successors in one transaction, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import Role
from yaosu.db.engine import unit_of_work
from yaosu.errors import Invalid
from yaosu.resources.models import Resource
from yaosu.rights import service as rights
from yaosu.rights import succession
from yaosu.rights.models import Right
from yaosu.rights.schemas import GrantCreate, SuccessionCreate


def _succeed(session: Session, operator: Actor, party_id: str, event: str, shares: list[tuple[str, int]]) -> Any:
    data = SuccessionCreate(party_id=party_id, event=event,  # type: ignore[arg-type]
                            successors=[{"party_id": p, "share_bp": s} for p, s in shares])  # type: ignore[misc]
    return succession.succeed_party(session=session, actor=operator, data=data)


def test_merger_passes_every_right_and_resource(session: Session, factory: Factory, operator: Actor) -> None:
    old, heir = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    r1, r2 = factory.resource(old), factory.resource(old)
    _succeed(session, operator, old.party_id, "merger", [(heir.party_id, 10000)])
    assert {r1.holder_party_id, r2.holder_party_id} == {heir.party_id}
    assert rights.active_rights(session, r1.id, old.party_id) == []
    passed = rights.active_rights(session, r1.id, heir.party_id)
    assert sorted(r.kind for r in passed) == ["holding", "operation", "processing"]
    assert all(r.origin == "succeeded" and r.share_bp == 10000 for r in passed)
    assert session.get(Party, old.party_id).status == "merged"  # type: ignore[union-attr]


def test_split_divides_shares_exactly(session: Session, factory: Factory, operator: Actor) -> None:
    old = factory.actor(Role.PROVIDER)
    heirs = [factory.actor(Role.PROVIDER) for _ in range(3)]
    resource = factory.resource(old)
    _succeed(session, operator, old.party_id, "split", [(heirs[0].party_id, 3334), (heirs[1].party_id, 3333),
                                                         (heirs[2].party_id, 3333)])
    for kind in ("holding", "processing", "operation"):
        parts = [r for r in rights.active_rights(session, resource.id) if r.kind == kind]
        assert sum(r.share_bp for r in parts) == 10000
        assert len(parts) == 3
    assert resource.holder_party_id == heirs[0].party_id  # the largest share carries the duties


def test_licensee_rights_pass_on_bankruptcy_and_old_users_are_locked_out(
        session: Session, factory: Factory, operator: Actor) -> None:
    provider, buyer, trustee = factory.actor(Role.PROVIDER), factory.actor(Role.BUYER), factory.actor(Role.TRUSTEE)
    resource = factory.resource(provider)
    processing = next(r for r in rights.active_rights(session, resource.id) if r.kind == "processing")
    licence = rights.grant_right(session=session, actor=provider, right_id=processing.id,
                                 data=GrantCreate(to_party_id=buyer.party_id, purposes=["research"], actions=["use"]))
    _succeed(session, operator, buyer.party_id, "bankruptcy", [(trustee.party_id, 10000)])
    assert licence.status == "succeeded"
    chain_end = rights.active_rights(session, resource.id, trustee.party_id)
    assert [r.parent_id for r in chain_end] == [licence.id]
    from yaosu.auth.models import User
    assert all(not u.is_active for u in session.scalars(select(User).where(User.party_id == buyer.party_id)))


def test_inactive_successor_refused(session: Session, factory: Factory, operator: Actor) -> None:
    a, b, c = (factory.actor(Role.PROVIDER) for _ in range(3))
    _succeed(session, operator, b.party_id, "merger", [(c.party_id, 10000)])
    with pytest.raises(Invalid) as err:
        _succeed(session, operator, a.party_id, "merger", [(b.party_id, 10000)])
    assert err.value.field == "successors.0.party_id"


def test_failure_in_the_middle_changes_nothing(sessions: sessionmaker[Session], factory: Factory,
                                               operator: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    session = factory.session
    old, heir1, heir2 = (factory.actor(Role.PROVIDER) for _ in range(3))
    resources = [factory.resource(old) for _ in range(3)]
    session.commit()  # releases the factory's savepoint; the outer test transaction still rolls back
    snapshot = sorted((r.id, r.holder_party_id, r.status, r.share_bp) for r in session.scalars(select(Right)))

    calls = {"n": 0}
    real_append = succession.append

    def failing_append(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:  # after some rights have already been copied and ended
            raise RuntimeError("disk full")
        return real_append(*args, **kwargs)

    monkeypatch.setattr(succession, "append", failing_append)
    with pytest.raises(RuntimeError, match="disk full"), unit_of_work(sessions) as uow:
        _succeed(uow, operator, old.party_id, "split", [(heir1.party_id, 5000), (heir2.party_id, 5000)])
    assert calls["n"] == 5

    with unit_of_work(sessions) as check:
        after = sorted((r.id, r.holder_party_id, r.status, r.share_bp) for r in check.scalars(select(Right)))
        assert after == snapshot
        assert check.get(Party, old.party_id).status == "active"  # type: ignore[union-attr]
        assert {check.get(Resource, r.id).holder_party_id for r in resources} == {old.party_id}  # type: ignore[union-attr]
