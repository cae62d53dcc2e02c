"""Actions on registrations: submit, public notice, objections, finalize into signed certificates, revoke."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json, sha256_hex
from yaosu.config import get_settings
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append
from yaosu.registration import issuance
from yaosu.registration.certificate import iso
from yaosu.registration.enums import CertificateStatus, ObjectionStatus, RegistrationKind, RegistrationStatus
from yaosu.registration.models import Certificate, Objection, Registration
from yaosu.registration.rules import validate_submission
from yaosu.registration.schemas import FinalizeReport, ObjectionCreate, OperatorQueue, RegistrationCreate
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.resources.policies import can_read
from yaosu.resources.service import load_resource

OPERATOR = frozenset({Role.OPERATOR})
OVERSEERS = frozenset({Role.OPERATOR, Role.REGULATOR})


def _registration(session: Session, registration_id: str) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("no such registration", field="registration_id")
    return reg


def _resource_of(session: Session, reg: Registration) -> Resource:
    resource = session.get(Resource, reg.resource_id)
    assert resource is not None  # foreign key
    return resource


def _note(value: str, field: str) -> str:
    value = value.strip()
    if not value or len(value) > 1000:
        raise Invalid("a note of 1 to 1000 characters is required", field=field)
    return value


@action("registration.submit", roles=ANY_ROLE)
def submit_registration(*, session: Session, actor: Actor, data: RegistrationCreate) -> Registration:
    """Apply for a registration of a resource: initial, licence, transfer, change, cancellation, objection."""
    resource = load_resource(session, actor, data.resource_id)
    details = validate_submission(session, actor, resource, data)
    reg = Registration(kind=data.kind.value, resource_id=resource.id, applicant_party_id=actor.party_id,
                       right_id=data.right_id, certificate_id=data.certificate_id, details=details,
                       status=RegistrationStatus.SUBMITTED.value, submitted_at=clock.now())
    session.add(reg)
    session.flush()
    if data.kind == RegistrationKind.INITIAL:
        issuance.set_resource_status(session, actor, resource, ResourceStatus.SUBMITTED, reg.id)
    append(session, actor, Event("registration.submitted", "registration", reg.id,
                                 {"kind": reg.kind, "resource_id": reg.resource_id, "right_id": reg.right_id,
                                  "certificate_id": reg.certificate_id,
                                  "details_sha256": sha256_hex(canonical_json(details))}))
    return reg


@action("registration.get", roles=ANY_ROLE, public=True)
def get_registration(*, session: Session, actor: Actor, registration_id: str) -> Registration:
    """One registration: its applicant and readers of its resource may see it."""
    reg = _registration(session, registration_id)
    if reg.applicant_party_id != actor.party_id and not can_read(session, actor, _resource_of(session, reg)):
        raise NotFound("no such registration", field="registration_id")
    return reg


@action("registration.list", roles=ANY_ROLE, public=True)
def list_registrations(*, session: Session, actor: Actor, resource_id: str) -> list[Registration]:
    """Registrations of a resource the actor may read, oldest first."""
    resource = load_resource(session, actor, resource_id)
    stmt = select(Registration).where(Registration.resource_id == resource.id)
    return list(session.scalars(stmt.order_by(Registration.submitted_at, Registration.id)))


@action("registration.start_notice", roles=OPERATOR)
def start_notice(*, session: Session, actor: Actor, registration_id: str,
                 notice_days: int | None = None) -> Registration:
    """Publish a submitted registration for its notice period (operator)."""
    reg = _registration(session, registration_id)
    if reg.status != RegistrationStatus.SUBMITTED.value:
        raise Conflict(f"the registration is {reg.status}; notice starts only from submitted",
                       field="registration_id")
    days = get_settings().notice_days if notice_days is None else notice_days
    if not 0 <= days <= 365:
        raise Invalid("the notice period is 0 to 365 days", field="notice_days")
    now = clock.now()
    ends = now + timedelta(days=days)
    reg.status, reg.notice_starts_at, reg.notice_ends_at = RegistrationStatus.NOTICE.value, now, ends
    if reg.kind == RegistrationKind.INITIAL.value:
        resource = _resource_of(session, reg)
        issuance.set_resource_status(session, actor, resource, ResourceStatus.NOTICE, reg.id)
    append(session, actor, Event("registration.notice_started", "registration", reg.id,
                                 {"days": days, "notice_ends_at": iso(ends)}))
    return reg


def _close(session: Session, actor: Actor, reg: Registration, status: RegistrationStatus, note: str) -> None:
    """Decide a registration (certified or rejected), recording the event."""
    reg.status, reg.decided_at, reg.decision_note = status.value, clock.now(), note[:1000]
    if status == RegistrationStatus.REJECTED and reg.kind == RegistrationKind.INITIAL.value:
        resource = _resource_of(session, reg)
        issuance.set_resource_status(session, actor, resource, ResourceStatus.REJECTED, reg.id)
    append(session, actor, Event(f"registration.{status.value}", "registration", reg.id,
                                 {"kind": reg.kind, "note": reg.decision_note}))


@action("registration.reject", roles=OPERATOR)
def reject_registration(*, session: Session, actor: Actor, registration_id: str, note: str) -> Registration:
    """Refuse a submitted or noticed registration with a reason (operator)."""
    reg = _registration(session, registration_id)
    if reg.status not in (RegistrationStatus.SUBMITTED.value, RegistrationStatus.NOTICE.value):
        raise Conflict(f"the registration is already {reg.status}", field="registration_id")
    _close(session, actor, reg, RegistrationStatus.REJECTED, _note(note, "note"))
    return reg


@action("objection.file", roles=ANY_ROLE)
def file_objection(*, session: Session, actor: Actor, registration_id: str,
                   data: ObjectionCreate) -> Objection:
    """Object to a registration while its notice period runs (any party)."""
    reg = get_registration(session=session, actor=actor, registration_id=registration_id)
    ends = reg.notice_ends_at
    if reg.status != RegistrationStatus.NOTICE.value or ends is None or clock.now() >= ends:
        raise Invalid("objections are accepted only while the registration is in its notice period",
                      field="registration_id", code="notice_closed")
    objection = Objection(registration_id=reg.id, party_id=actor.party_id, reasons=data.reasons,
                          evidence=[e.model_dump() for e in data.evidence], status=ObjectionStatus.OPEN.value,
                          created_at=clock.now())
    session.add(objection)
    session.flush()
    append(session, actor, Event("objection.filed", "objection", objection.id,
                                 {"registration_id": reg.id,
                                  "reasons_sha256": sha256_hex(data.reasons.encode()),
                                  "evidence": [e.sha256 for e in data.evidence]}))
    return objection


@action("objection.decide", roles=OPERATOR)
def decide_objection(*, session: Session, actor: Actor, objection_id: str, uphold: bool,
                     note: str) -> Objection:
    """Uphold or dismiss an open objection (operator)."""
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound("no such objection", field="objection_id")
    if objection.status != ObjectionStatus.OPEN.value:
        raise Conflict(f"the objection is already {objection.status}", field="objection_id")
    status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.status, objection.decided_at = status.value, clock.now()
    objection.decision_note = _note(note, "note")
    append(session, actor, Event("objection.decided", "objection", objection.id,
                                 {"registration_id": objection.registration_id, "status": status.value,
                                  "note": objection.decision_note}))
    return objection


def _finalize_one(session: Session, actor: Actor, reg: Registration, keys: ExchangeKeys,
                  report: FinalizeReport) -> None:
    statuses = set(session.scalars(select(Objection.status).where(Objection.registration_id == reg.id)))
    if ObjectionStatus.OPEN.value in statuses:
        report.waiting.append(reg)
        return
    resource = _resource_of(session, reg)
    problem = ("an objection was upheld" if ObjectionStatus.UPHELD.value in statuses
               else issuance.inapplicable_reason(session, reg, resource))
    if problem is not None:
        _close(session, actor, reg, RegistrationStatus.REJECTED, problem)
        report.rejected.append(reg)
        return
    cert = issuance.apply_effect(session, actor, reg, resource, keys)
    _close(session, actor, reg, RegistrationStatus.CERTIFIED,
           f"certificate {cert.number} issued" if cert else "notice passed without upheld objection")
    if cert is None:
        report.concluded.append(reg)
    else:
        report.certified.append(cert)


@action("registration.finalize", roles=OPERATOR)
def finalize_due(*, session: Session, actor: Actor, keys: ExchangeKeys) -> FinalizeReport:
    """Decide every registration whose notice has ended: certify, reject, or leave waiting on objections."""
    stmt = select(Registration).where(Registration.status == RegistrationStatus.NOTICE.value,
                                      Registration.notice_ends_at <= clock.now())
    report = FinalizeReport()
    for reg in list(session.scalars(stmt.order_by(Registration.notice_ends_at, Registration.id))):
        _finalize_one(session, actor, reg, keys, report)
    return report


@action("registration.queue", roles=OVERSEERS)
def list_queue(*, session: Session, actor: Actor) -> OperatorQueue:
    """The operator's work: submitted registrations, those in notice, and open objections."""
    def by_status(status: RegistrationStatus) -> list[Registration]:
        stmt = select(Registration).where(Registration.status == status.value)
        return list(session.scalars(stmt.order_by(Registration.submitted_at, Registration.id)))

    objections = select(Objection).where(Objection.status == ObjectionStatus.OPEN.value)
    return OperatorQueue(submitted=by_status(RegistrationStatus.SUBMITTED),
                         in_notice=by_status(RegistrationStatus.NOTICE),
                         open_objections=list(session.scalars(objections.order_by(Objection.created_at))))


@action("registration.notices", roles=ANY_ROLE, public=True)
def list_notices(*, session: Session, actor: Actor) -> list[Registration]:
    """Registrations currently in public notice (公示), soonest ending first; open to visitors."""
    stmt = select(Registration).where(Registration.status == RegistrationStatus.NOTICE.value,
                                      Registration.notice_ends_at > clock.now())
    return list(session.scalars(stmt.order_by(Registration.notice_ends_at, Registration.id)))


@action("certificate.get", roles=ANY_ROLE, public=True)
def get_certificate(*, session: Session, actor: Actor, number_or_id: str) -> Certificate:
    """A certificate by its number (YS-DR-2026-000123) or id, valid or revoked; open to visitors."""
    stmt = select(Certificate).where(or_(Certificate.number == number_or_id, Certificate.id == number_or_id))
    cert = session.scalar(stmt.limit(1))
    if cert is None:
        raise NotFound("no such certificate", field="number_or_id")
    return cert


@action("certificate.list", roles=ANY_ROLE, public=True)
def list_certificates(*, session: Session, actor: Actor, resource_id: str) -> list[Certificate]:
    """Every certificate issued for a resource, oldest first; open to visitors."""
    stmt = select(Certificate).where(Certificate.resource_id == resource_id)
    return list(session.scalars(stmt.order_by(Certificate.issued_at, Certificate.id)))


@action("certificate.revoke", roles=OPERATOR)
def revoke_certificate(*, session: Session, actor: Actor, certificate_id: str, reason: str) -> Certificate:
    """Revoke a valid certificate with a reason (operator)."""
    cert = get_certificate(session=session, actor=actor, number_or_id=certificate_id)
    if cert.status != CertificateStatus.VALID.value:
        raise Conflict(f"certificate {cert.number} is already {cert.status}", field="certificate_id")
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Invalid("a reason of 1 to 500 characters is required", field="reason")
    issuance.revoke(session, actor, cert, reason)
    return cert
