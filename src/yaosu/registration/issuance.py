"""What a certified registration does: number, sign and store certificates, revoke, apply each kind's effect.

Plain helpers called by `yaosu.registration.service` inside its actions (which authorize); they
never commit and append a ledger event for every row they change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.canonical import canonical_json, sha256_hex
from yaosu.catalog.index import reindex
from yaosu.config import get_settings
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append
from yaosu.registration.certificate import (
    RESOURCE_PREFIX,
    Issuer,
    Registrant,
    ResourceFacts,
    RightFacts,
    build_document,
    format_number,
    sign_document,
)
from yaosu.registration.enums import CertificateStatus, RegistrationKind
from yaosu.registration.models import Certificate, NumberSequence, Registration
from yaosu.resources.enums import Grade, ResourceStatus
from yaosu.resources.models import Resource
from yaosu.rights.enums import RightStatus
from yaosu.rights.models import Right
from yaosu.rights.service import active_rights, end_subject_rights

REGISTRY_KINDS = (RegistrationKind.INITIAL.value, RegistrationKind.CHANGE.value)


def next_number(session: Session, prefix: str, year: int) -> str:
    """The next registration number of `prefix` in `year` (row-locked counter on PostgreSQL)."""
    stmt = select(NumberSequence).where(NumberSequence.prefix == prefix, NumberSequence.year == year)
    seq = session.scalar(stmt.with_for_update())
    if seq is None:
        seq = NumberSequence(prefix=prefix, year=year, value=0)
        session.add(seq)
    seq.value += 1
    session.flush()
    return format_number(prefix, year, seq.value)


def set_resource_status(session: Session, actor: Actor, resource: Resource, status: ResourceStatus,
                        registration_id: str) -> None:
    """Move a resource to `status` because of a registration, recording the change."""
    old = resource.status
    resource.status = status.value
    resource.updated_at = clock.now()
    append(session, actor, Event("resource.status_changed", "resource", resource.id,
                                 {"from": old, "to": status.value, "registration_id": registration_id}))


def revoke(session: Session, actor: Actor, cert: Certificate, reason: str) -> None:
    """Mark a valid certificate revoked with `reason`, recording the event."""
    cert.status = CertificateStatus.REVOKED.value
    cert.revoked_at = clock.now()
    cert.revocation_reason = reason[:500]
    append(session, actor, Event("certificate.revoked", "certificate", cert.id,
                                 {"number": cert.number, "reason": cert.revocation_reason}))


def _right_facts(right: Right) -> RightFacts:
    return RightFacts(id=right.id, kind=right.kind, holder_party_id=right.holder_party_id,
                      purposes=tuple(right.purposes), actions=tuple(right.actions),
                      regions=tuple(right.regions), valid_from=right.valid_from,
                      valid_until=right.valid_until, exclusive=right.exclusive, share_bp=right.share_bp,
                      origin=right.origin)


def _resource_facts(resource: Resource) -> ResourceFacts:
    version = resource.latest_version()
    if version is None:
        raise ValueError(f"resource {resource.id} has no content version")
    return ResourceFacts(id=resource.id, title=resource.title, domain=resource.domain,
                         classification=resource.classification, grade=resource.grade,
                         level=resource.level, content_hash=version.content_hash, version=version.number,
                         row_count=version.row_count)


def issue_certificate(session: Session, actor: Actor, reg: Registration, resource: Resource,
                      holder_party_id: str, rights: list[Right], keys: ExchangeKeys) -> Certificate:
    """Number, build, sign and store the certificate of a certified registration."""
    settings = get_settings()
    issued_at = clock.now().replace(microsecond=0)
    number = next_number(session, RESOURCE_PREFIX, issued_at.astimezone(clock.SHANGHAI).year)
    party = session.get(Party, holder_party_id)
    assert party is not None  # rights and resources reference existing parties
    document = build_document(
        number=number, kind=reg.kind, registration_id=reg.id,
        issuer=Issuer(name=settings.exchange_name, key_id=keys.key_id()),
        registrant=Registrant(party_id=party.id, name=party.name, uscc=party.uscc),
        resource=_resource_facts(resource), rights=[_right_facts(r) for r in rights],
        issued_at=issued_at, years=settings.certificate_years)
    cert = Certificate(number=number, registration_id=reg.id, resource_id=resource.id,
                       holder_party_id=party.id, document=canonical_json(document).decode(),
                       signature=sign_document(document, keys.signing_key), key_id=keys.key_id(),
                       issued_at=issued_at, valid_until=datetime.fromisoformat(document["valid_until"]),
                       status=CertificateStatus.VALID.value)
    session.add(cert)
    session.flush()
    append(session, actor, Event("certificate.issued", "certificate", cert.id,
                                 {"number": number, "registration_id": reg.id, "resource_id": resource.id,
                                  "holder_party_id": party.id, "valid_until": document["valid_until"],
                                  "document_sha256": sha256_hex(cert.document.encode())}))
    return cert


def valid_certificates(session: Session, resource_id: str, holder_party_id: str | None = None,
                       registry_only: bool = False) -> list[Certificate]:
    """Valid certificates of a resource; `registry_only` keeps those from initial/change registrations."""
    stmt = select(Certificate).where(Certificate.resource_id == resource_id,
                                     Certificate.status == CertificateStatus.VALID.value)
    if holder_party_id is not None:
        stmt = stmt.where(Certificate.holder_party_id == holder_party_id)
    if registry_only:
        stmt = stmt.join(Registration, Registration.id == Certificate.registration_id).where(
            Registration.kind.in_(REGISTRY_KINDS))
    return list(session.scalars(stmt.order_by(Certificate.issued_at, Certificate.id)))


Effect = Callable[[Session, Actor, Registration, Resource, ExchangeKeys], Certificate | None]


def _effect_initial(session: Session, actor: Actor, reg: Registration, resource: Resource,
                    keys: ExchangeKeys) -> Certificate:
    set_resource_status(session, actor, resource, ResourceStatus.REGISTERED, reg.id)
    rights = active_rights(session, resource.id, resource.holder_party_id)
    return issue_certificate(session, actor, reg, resource, resource.holder_party_id, rights, keys)


def _effect_change(session: Session, actor: Actor, reg: Registration, resource: Resource,
                   keys: ExchangeKeys) -> Certificate:
    previous = valid_certificates(session, resource.id, resource.holder_party_id, registry_only=True)
    changes: dict[str, Any] = dict(reg.details)
    before = {name: getattr(resource, name) for name in changes}
    for name, value in changes.items():
        setattr(resource, name, value)
    resource.updated_at = clock.now()
    reindex(session, resource)
    append(session, actor, Event("resource.changed", "resource", resource.id,
                                 {"registration_id": reg.id, "before": before, "after": changes}))
    rights = active_rights(session, resource.id, resource.holder_party_id)
    cert = issue_certificate(session, actor, reg, resource, resource.holder_party_id, rights, keys)
    for old in previous:
        revoke(session, actor, old, f"superseded by {cert.number}")
    return cert


def _effect_right(session: Session, actor: Actor, reg: Registration, resource: Resource,
                  keys: ExchangeKeys) -> Certificate:
    right = session.get(Right, reg.right_id)
    assert right is not None  # checked by `inapplicable_reason`
    return issue_certificate(session, actor, reg, resource, right.holder_party_id, [right], keys)


def _lists_right(cert: Certificate, right_id: str) -> bool:
    rights: list[dict[str, Any]] = json.loads(cert.document).get("rights", [])
    return any(r.get("id") == right_id for r in rights)


def _effect_transfer(session: Session, actor: Actor, reg: Registration, resource: Resource,
                     keys: ExchangeKeys) -> Certificate:
    """Certify the new holder's right; the old holder's certificates listing the transferred right lapse."""
    cert = _effect_right(session, actor, reg, resource, keys)
    right = session.get(Right, reg.right_id)
    parent = session.get(Right, right.parent_id) if right is not None and right.parent_id else None
    if parent is not None and right is not None and right.origin == "transferred":
        for old in valid_certificates(session, resource.id, parent.holder_party_id):
            if _lists_right(old, parent.id):
                revoke(session, actor, old, f"superseded by transfer {cert.number}")
    return cert


def _effect_cancellation(session: Session, actor: Actor, reg: Registration, resource: Resource,
                         keys: ExchangeKeys) -> None:
    set_resource_status(session, actor, resource, ResourceStatus.CANCELLED, reg.id)
    for cert in valid_certificates(session, resource.id):
        revoke(session, actor, cert, f"resource cancelled by registration {reg.id}")
    end_subject_rights(session, actor, resource.id, f"resource cancelled by registration {reg.id}")


def _effect_objection(session: Session, actor: Actor, reg: Registration, resource: Resource,
                      keys: ExchangeKeys) -> None:
    cert = session.get(Certificate, reg.certificate_id)
    assert cert is not None  # checked by `inapplicable_reason`
    revoke(session, actor, cert, f"objection registration {reg.id} upheld")


EFFECTS: dict[RegistrationKind, Effect] = {
    RegistrationKind.INITIAL: _effect_initial,
    RegistrationKind.CHANGE: _effect_change,
    RegistrationKind.LICENCE: _effect_right,
    RegistrationKind.TRANSFER: _effect_transfer,
    RegistrationKind.CANCELLATION: _effect_cancellation,
    RegistrationKind.OBJECTION: _effect_objection,
}


def apply_effect(session: Session, actor: Actor, reg: Registration, resource: Resource,
                 keys: ExchangeKeys) -> Certificate | None:
    """Carry out a certified registration; returns the certificate issued, if its kind issues one."""
    return EFFECTS[RegistrationKind(reg.kind)](session, actor, reg, resource, keys)


def inapplicable_reason(session: Session, reg: Registration, resource: Resource) -> str | None:
    """Why a registration whose notice passed can no longer take effect (state changed meanwhile), or None."""
    kind = RegistrationKind(reg.kind)
    if resource.grade == Grade.CORE.value and kind not in (RegistrationKind.CANCELLATION,
                                                           RegistrationKind.OBJECTION):
        return "core data (核心数据) may not be registered"
    if kind == RegistrationKind.INITIAL:
        return None
    if resource.status != ResourceStatus.REGISTERED.value:
        return f"the resource is {resource.status}, no longer registered"
    if kind in (RegistrationKind.LICENCE, RegistrationKind.TRANSFER):
        right = session.get(Right, reg.right_id) if reg.right_id else None
        if right is None or right.status != RightStatus.ACTIVE.value:
            return "the registered right is no longer active"
    if kind == RegistrationKind.OBJECTION:
        cert = session.get(Certificate, reg.certificate_id) if reg.certificate_id else None
        if cert is None or cert.status != CertificateStatus.VALID.value:
            return "the certificate objected to is no longer valid"
    return None
