# stand-in until the registration branch is merged
"""Registration: submit, public notice, objections, finalize with signed certificates (initial kind only)."""

from __future__ import annotations

import base64
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.config import get_settings
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append
from yaosu.registration.enums import ObjectionStatus, RegistrationKind, RegistrationStatus
from yaosu.registration.models import Certificate, NumberSequence, Objection, Registration
from yaosu.registration.schemas import FinalizeReport, ObjectionCreate, OperatorQueue, RegistrationCreate
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.resources.service import load_resource

OPERATOR = frozenset({Role.OPERATOR})
OVERSEERS = frozenset({Role.OPERATOR, Role.REGULATOR})


def _registration(session: Session, registration_id: str, status: RegistrationStatus) -> Registration:
    reg = session.get(Registration, registration_id)
    if reg is None:
        raise NotFound("no such registration", field="registration_id")
    if reg.status != status.value:
        raise Conflict(f"registration is {reg.status}, not {status.value}", field="registration_id")
    return reg


def _set_status(session: Session, reg: Registration, status: RegistrationStatus) -> None:
    reg.status = status.value
    resource = session.get(Resource, reg.resource_id)
    assert resource is not None
    resource.status = {RegistrationStatus.NOTICE: ResourceStatus.NOTICE, RegistrationStatus.SUBMITTED:
                       ResourceStatus.SUBMITTED, RegistrationStatus.CERTIFIED: ResourceStatus.REGISTERED,
                       RegistrationStatus.REJECTED: ResourceStatus.REJECTED}[status].value


@action("registration.submit", roles=ANY_ROLE)
def submit_registration(*, session: Session, actor: Actor, data: RegistrationCreate) -> Registration:
    """Apply for the initial registration of a draft resource held by the actor's party."""
    resource = load_resource(session, actor, data.resource_id)
    if resource.holder_party_id != actor.party_id:
        raise NotFound("no such resource", field="resource_id")
    if data.kind != RegistrationKind.INITIAL:
        raise Invalid("only initial registration is supported here", field="kind")
    if resource.status != ResourceStatus.DRAFT.value:
        raise Conflict(f"resource is {resource.status}, not draft", field="resource_id")
    reg = Registration(kind=data.kind.value, resource_id=resource.id, applicant_party_id=actor.party_id,
                       details=data.details, submitted_at=clock.now())
    session.add(reg)
    _set_status(session, reg, RegistrationStatus.SUBMITTED)
    session.flush()
    append(session, actor, Event("registration.submitted", "registration", reg.id,
                                 {"kind": reg.kind, "resource_id": resource.id}))
    return reg


@action("registration.start_notice", roles=OPERATOR)
def start_notice(*, session: Session, actor: Actor, registration_id: str,
                 notice_days: int | None = None) -> Registration:
    """Accept a submitted registration and open its public notice period (operator)."""
    reg = _registration(session, registration_id, RegistrationStatus.SUBMITTED)
    days = get_settings().notice_days if notice_days is None else notice_days
    reg.notice_starts_at = clock.now()
    reg.notice_ends_at = reg.notice_starts_at + timedelta(days=days)
    _set_status(session, reg, RegistrationStatus.NOTICE)
    append(session, actor, Event("registration.notice_started", "registration", reg.id,
                                 {"notice_ends_at": reg.notice_ends_at.isoformat()}))
    return reg


@action("registration.object", roles=ANY_ROLE)
def file_objection(*, session: Session, actor: Actor, registration_id: str,
                   data: ObjectionCreate) -> Objection:
    """Object to a registration during its notice period."""
    reg = _registration(session, registration_id, RegistrationStatus.NOTICE)
    if reg.notice_ends_at is not None and reg.notice_ends_at <= clock.now():
        raise Conflict("the notice period has ended", field="registration_id")
    objection = Objection(registration_id=reg.id, party_id=actor.party_id, reasons=data.reasons,
                          evidence=[e.model_dump() for e in data.evidence])
    session.add(objection)
    session.flush()
    append(session, actor, Event("registration.objection_filed", "objection", objection.id,
                                 {"registration_id": reg.id}))
    return objection


@action("registration.decide_objection", roles=OPERATOR)
def decide_objection(*, session: Session, actor: Actor, objection_id: str, uphold: bool,
                     note: str) -> Objection:
    """Uphold or dismiss an open objection, with a note (operator)."""
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound("no such objection", field="objection_id")
    if objection.status != ObjectionStatus.OPEN.value:
        raise Conflict("objection already decided", field="objection_id")
    objection.status = (ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED).value
    objection.decision_note, objection.decided_at = note, clock.now()
    append(session, actor, Event("registration.objection_decided", "objection", objection.id,
                                 {"status": objection.status, "note": note}))
    return objection


def _next_number(session: Session) -> str:
    year = clock.now().astimezone(clock.SHANGHAI).year
    stmt = select(NumberSequence).where(NumberSequence.prefix == "YS-DR", NumberSequence.year == year)
    seq = session.scalar(stmt.with_for_update())
    if seq is None:
        seq = NumberSequence(prefix="YS-DR", year=year, value=0)
        session.add(seq)
    seq.value += 1
    return f"YS-DR-{year}-{seq.value:06d}"


def _certify(session: Session, actor: Actor, reg: Registration, keys: ExchangeKeys) -> Certificate:
    resource = session.get(Resource, reg.resource_id)
    holder = session.get(Party, reg.applicant_party_id)
    assert resource is not None and holder is not None
    settings, issued = get_settings(), clock.now()
    number, version = _next_number(session), resource.latest_version()
    document = {"number": number, "kind": reg.kind, "issuer": settings.exchange_origin,
                "resource": {"id": resource.id, "title": resource.title,
                             "content_hash": version.content_hash if version else None},
                "holder": {"id": holder.id, "name": holder.name, "uscc": holder.uscc},
                "issued_at": issued.isoformat(),
                "valid_until": (issued + timedelta(days=365 * settings.certificate_years)).isoformat()}
    body = canonical_json(document)
    cert = Certificate(number=number, registration_id=reg.id, resource_id=resource.id,
                       holder_party_id=holder.id, document=body.decode(),
                       signature=base64.b64encode(keys.signing_key.sign(body)).decode(),
                       key_id=keys.key_id(), issued_at=issued,
                       valid_until=issued + timedelta(days=365 * settings.certificate_years))
    session.add(cert)
    reg.decided_at = issued
    _set_status(session, reg, RegistrationStatus.CERTIFIED)
    session.flush()
    append(session, actor, Event("registration.certified", "certificate", cert.id,
                                 {"number": number, "registration_id": reg.id}))
    return cert


@action("registration.finalize_due", roles=OPERATOR)
def finalize_due(*, session: Session, actor: Actor, keys: ExchangeKeys) -> FinalizeReport:
    """Certify or reject every registration whose notice period has ended (operator)."""
    report = FinalizeReport()
    due = session.scalars(select(Registration).where(Registration.status == RegistrationStatus.NOTICE.value,
                                                     Registration.notice_ends_at <= clock.now())
                          .order_by(Registration.notice_ends_at))
    for reg in list(due):
        states = set(session.scalars(select(Objection.status).where(Objection.registration_id == reg.id)))
        if ObjectionStatus.OPEN.value in states:
            report.waiting.append(reg)
        elif ObjectionStatus.UPHELD.value in states:
            reg.decided_at = clock.now()
            _set_status(session, reg, RegistrationStatus.REJECTED)
            append(session, actor, Event("registration.rejected", "registration", reg.id,
                                         {"reason": "objection"}))
            report.rejected.append(reg)
        else:
            report.certified.append(_certify(session, actor, reg, keys))
    return report


@action("registration.queue", roles=OVERSEERS)
def list_queue(*, session: Session, actor: Actor) -> OperatorQueue:
    """Submitted registrations, registrations in notice, and open objections (operator, regulator)."""
    def regs(status: RegistrationStatus) -> list[Registration]:
        return list(session.scalars(select(Registration).where(Registration.status == status.value)
                                    .order_by(Registration.submitted_at)))
    objections = session.scalars(select(Objection).where(Objection.status == ObjectionStatus.OPEN.value)
                                 .order_by(Objection.created_at))
    return OperatorQueue(submitted=regs(RegistrationStatus.SUBMITTED),
                         in_notice=regs(RegistrationStatus.NOTICE), open_objections=list(objections))


@action("registration.list", roles=ANY_ROLE)
def list_registrations(*, session: Session, actor: Actor, resource_id: str) -> list[Registration]:
    """The registrations of a resource the actor may read."""
    load_resource(session, actor, resource_id)
    return list(session.scalars(select(Registration).where(Registration.resource_id == resource_id)
                                .order_by(Registration.submitted_at)))


@action("certificate.list", roles=ANY_ROLE, public=True)
def list_certificates(*, session: Session, actor: Actor, resource_id: str) -> list[Certificate]:
    """The certificates issued for a resource (public)."""
    return list(session.scalars(select(Certificate).where(Certificate.resource_id == resource_id)
                                .order_by(Certificate.issued_at)))
