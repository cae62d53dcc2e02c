"""Every state change appends an event; the hash chain detects any edit."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.ledger.models import LedgerEvent
from yaosu.ledger.service import check_chain, list_events


def test_actions_append_events_in_order(session: Session, factory: Factory, operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    events = list_events(session=session, actor=operator, subject_id=resource.id)
    assert [e.type for e in events] == ["resource.created"]
    report = check_chain(session)
    assert report.ok and report.size >= 5


def test_payload_is_canonical_json(session: Session, factory: Factory) -> None:
    factory.actor(Role.PROVIDER)
    row = session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq.desc())).first()
    assert row is not None
    import json
    assert row.payload == canonical_json(json.loads(row.payload)).decode()


def test_tampering_is_detected(session: Session, factory: Factory) -> None:
    factory.actor(Role.PROVIDER)
    factory.actor(Role.BUYER)
    size = check_chain(session).size
    target = size - 2
    session.execute(update(LedgerEvent).where(LedgerEvent.seq == target).values(payload='{"forged":true}'))
    session.expire_all()
    report = check_chain(session)
    assert not report.ok and report.first_bad_seq == target
