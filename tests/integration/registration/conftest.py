"""Helpers that take a resource through registration using the public services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.keys import ExchangeKeys
from yaosu.ledger.models import LedgerEvent
from yaosu.registration import service
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.models import Certificate, Registration
from yaosu.registration.schemas import ObjectionCreate, RegistrationCreate
from yaosu.resources.models import Resource
from yaosu.rights.models import Right

NOTICE_PASSED = timedelta(days=11)


@dataclass
class Flow:
    session: Session
    operator: Actor
    keys: ExchangeKeys
    factory: Factory

    def submit(self, actor: Actor, kind: RegistrationKind | str, resource_id: str, **kw: Any) -> Registration:
        data = RegistrationCreate(kind=RegistrationKind(kind), resource_id=resource_id, **kw)
        return service.submit_registration(session=self.session, actor=actor, data=data)

    def notice(self, reg: Registration) -> Registration:
        return service.start_notice(session=self.session, actor=self.operator, registration_id=reg.id)

    def object(self, actor: Actor, reg: Registration, reasons: str = "该数据系我方采集") -> Any:
        return service.file_objection(session=self.session, actor=actor, registration_id=reg.id,
                                      data=ObjectionCreate(reasons=reasons))

    def finalize(self) -> Any:
        return service.finalize_due(session=self.session, actor=self.operator, keys=self.keys)

    def certify(self, reg: Registration) -> Certificate | None:
        """Notice, let it pass, finalize; the certificate issued for `reg`, if any."""
        self.notice(reg)
        clock.advance(NOTICE_PASSED)
        report = self.finalize()
        assert reg.status == "certified", reg.decision_note
        return next((c for c in report.certified if c.registration_id == reg.id), None)

    def registered(self, provider: Actor, **overrides: Any) -> tuple[Resource, Certificate]:
        """A resource of `provider` with a valid certificate from an initial registration."""
        resource = self.factory.resource(provider, **overrides)
        cert = self.certify(self.submit(provider, "initial", resource.id))
        assert cert is not None
        return resource, cert

    def rights(self, resource: Resource, kind: str | None = None) -> list[Right]:
        stmt = select(Right).where(Right.subject_id == resource.id)
        if kind:
            stmt = stmt.where(Right.kind == kind)
        return list(self.session.scalars(stmt.order_by(Right.kind)))

    def counts(self) -> tuple[int, int, int]:
        """Rows of registrations, certificates and ledger events (to prove nothing was written)."""
        def count(model: Any) -> int:
            return int(self.session.scalar(select(func.count()).select_from(model)) or 0)
        return count(Registration), count(Certificate), count(LedgerEvent)

    def events(self, subject_id: str) -> list[str]:
        stmt = select(LedgerEvent.type).where(LedgerEvent.subject_id == subject_id).order_by(LedgerEvent.seq)
        return list(self.session.scalars(stmt))


@pytest.fixture
def flow(session: Session, operator: Actor, keys: ExchangeKeys, factory: Factory) -> Flow:
    return Flow(session=session, operator=operator, keys=keys, factory=factory)


@pytest.fixture
def provider(factory: Factory) -> Actor:
    return factory.actor(Role.PROVIDER)
