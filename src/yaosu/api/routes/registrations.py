"""Registrations, public notices, objections and certificates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep, VisitorDep
from yaosu.registration import service
from yaosu.registration.certificate import certificate_file
from yaosu.registration.schemas import (
    CertificateRead,
    CertificateRevocation,
    FinalizeReportRead,
    NoticeStart,
    ObjectionCreate,
    ObjectionDecision,
    ObjectionRead,
    OperatorQueueRead,
    RegistrationCreate,
    RegistrationRead,
    RegistrationRejection,
)

router = APIRouter(tags=["registrations"])


@router.post("/registrations", status_code=201)
def submit(data: RegistrationCreate, session: SessionDep, actor: ActorDep) -> RegistrationRead:
    """Apply for a registration (登记申请)."""
    reg = service.submit_registration(session=session, actor=actor, data=data)
    return RegistrationRead.model_validate(reg)


@router.get("/registrations/queue")
def queue(session: SessionDep, actor: ActorDep) -> OperatorQueueRead:
    """Submitted registrations, those in notice, and open objections (operator, regulator)."""
    return OperatorQueueRead.of(service.list_queue(session=session, actor=actor))


@router.post("/registrations/finalize")
def finalize(session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> FinalizeReportRead:
    """Decide every registration whose notice period has ended (operator)."""
    return FinalizeReportRead.of(service.finalize_due(session=session, actor=actor, keys=runtime.keys))


@router.get("/registrations/{registration_id}")
def get_registration(registration_id: str, session: SessionDep, actor: VisitorDep) -> RegistrationRead:
    """One registration (its applicant and readers of its resource)."""
    return RegistrationRead.model_validate(
        service.get_registration(session=session, actor=actor, registration_id=registration_id))


@router.get("/resources/{resource_id}/registrations")
def list_for_resource(resource_id: str, session: SessionDep, actor: VisitorDep) -> list[RegistrationRead]:
    """Registrations of a resource."""
    rows = service.list_registrations(session=session, actor=actor, resource_id=resource_id)
    return [RegistrationRead.model_validate(r) for r in rows]


@router.post("/registrations/{registration_id}/notice")
def start_notice(registration_id: str, session: SessionDep, actor: ActorDep,
                 data: NoticeStart | None = None) -> RegistrationRead:
    """Start the public notice period (公示) of a submitted registration (operator)."""
    days = data.notice_days if data is not None else None
    return RegistrationRead.model_validate(
        service.start_notice(session=session, actor=actor, registration_id=registration_id, notice_days=days))


@router.post("/registrations/{registration_id}/reject")
def reject(registration_id: str, data: RegistrationRejection, session: SessionDep,
           actor: ActorDep) -> RegistrationRead:
    """Refuse a registration with a reason (operator)."""
    reg = service.reject_registration(session=session, actor=actor, registration_id=registration_id,
                                      note=data.note)
    return RegistrationRead.model_validate(reg)


@router.post("/registrations/{registration_id}/objections", status_code=201)
def file_objection(registration_id: str, data: ObjectionCreate, session: SessionDep,
                   actor: ActorDep) -> ObjectionRead:
    """Object to a registration in notice (异议)."""
    return ObjectionRead.model_validate(
        service.file_objection(session=session, actor=actor, registration_id=registration_id, data=data))


@router.post("/objections/{objection_id}/decision")
def decide_objection(objection_id: str, data: ObjectionDecision, session: SessionDep,
                     actor: ActorDep) -> ObjectionRead:
    """Uphold or dismiss an objection (operator)."""
    return ObjectionRead.model_validate(service.decide_objection(
        session=session, actor=actor, objection_id=objection_id, uphold=data.uphold, note=data.note))


@router.get("/notices")
def notices(session: SessionDep, actor: VisitorDep) -> list[RegistrationRead]:
    """Registrations currently in public notice (open to visitors)."""
    return [RegistrationRead.model_validate(r)
            for r in service.list_notices(session=session, actor=actor)]


@router.get("/resources/{resource_id}/certificates")
def list_certificates(resource_id: str, session: SessionDep,
                      actor: VisitorDep) -> list[CertificateRead]:
    """Certificates issued for a resource (open to visitors)."""
    rows = service.list_certificates(session=session, actor=actor, resource_id=resource_id)
    return [CertificateRead.model_validate(c) for c in rows]


@router.get("/certificates/{number_or_id}")
def get_certificate(number_or_id: str, session: SessionDep, actor: VisitorDep) -> CertificateRead:
    """A certificate by number or id, with its status (open to visitors)."""
    return CertificateRead.model_validate(
        service.get_certificate(session=session, actor=actor, number_or_id=number_or_id))


@router.get("/certificates/{number}/file")
def get_certificate_file(number: str, session: SessionDep, actor: VisitorDep) -> dict[str, Any]:
    """The portable certificate file: verify it offline with `yaosu cert verify` and the exchange's key."""
    cert = service.get_certificate(session=session, actor=actor, number_or_id=number)
    return certificate_file(cert)


@router.post("/certificates/{certificate_id}/revoke")
def revoke(certificate_id: str, data: CertificateRevocation, session: SessionDep,
           actor: ActorDep) -> CertificateRead:
    """Revoke a certificate with a reason (operator)."""
    return CertificateRead.model_validate(service.revoke_certificate(
        session=session, actor=actor, certificate_id=certificate_id, reason=data.reason))
