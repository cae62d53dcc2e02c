"""Who may apply for which kind of registration, and what each kind needs (checked on submission)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound, PolicyViolation
from yaosu.registration.enums import CertificateStatus, RegistrationKind, RegistrationStatus
from yaosu.registration.models import Certificate, Registration
from yaosu.registration.schemas import ObjectionCreate, RegistrationCreate, ResourceChange
from yaosu.resources.enums import Grade, ResourceStatus
from yaosu.resources.models import Resource
from yaosu.rights.enums import RightStatus
from yaosu.rights.models import Right

OPEN_STATUSES = (RegistrationStatus.SUBMITTED.value, RegistrationStatus.NOTICE.value)
RIGHT_KINDS = frozenset({RegistrationKind.LICENCE, RegistrationKind.TRANSFER})
CERTIFICATE_KINDS = frozenset({RegistrationKind.CHANGE, RegistrationKind.CANCELLATION,
                               RegistrationKind.OBJECTION})
INITIAL_FROM = frozenset({ResourceStatus.DRAFT.value, ResourceStatus.REJECTED.value})

Check = Callable[[Session, Actor, Resource, RegistrationCreate], dict[str, Any]]


def _require_holder(actor: Actor, resource: Resource, kind: RegistrationKind) -> None:
    if resource.holder_party_id != actor.party_id:
        raise Forbidden(f"only the holder of the resource may apply for a {kind.value} registration",
                        field="resource_id")


def _refuse_core(resource: Resource) -> None:
    if resource.grade == Grade.CORE.value:
        raise PolicyViolation("core data (核心数据) may not be registered", field="resource_id",
                              code="core_data_refused")


def _require_registered(resource: Resource, kind: RegistrationKind) -> None:
    if resource.status != ResourceStatus.REGISTERED.value:
        raise Conflict(f"a {kind.value} registration needs a registered resource; "
                       f"this one is {resource.status}", field="resource_id")


def _validated(model: type[BaseModel], value: dict[str, Any]) -> BaseModel:
    """`model` built from `value`, or Invalid naming the first bad field under `details`."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise Invalid(f"details: {first['msg']}", field=f"details.{path}" if path else "details") from None


def valid_certificate_of(session: Session, resource: Resource, certificate_id: str) -> Certificate:
    """The valid certificate `certificate_id` of `resource`, else NotFound/Invalid on certificate_id."""
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound("no such certificate", field="certificate_id")
    if cert.resource_id != resource.id:
        raise Invalid("the certificate is not one of this resource", field="certificate_id")
    if cert.status != CertificateStatus.VALID.value:
        raise Invalid(f"certificate {cert.number} is {cert.status}, not valid", field="certificate_id")
    return cert


def _check_initial(session: Session, actor: Actor, resource: Resource,
                   data: RegistrationCreate) -> dict[str, Any]:
    _require_holder(actor, resource, data.kind)
    _refuse_core(resource)
    if resource.status not in INITIAL_FROM:
        raise Conflict(f"the resource is {resource.status}; an initial registration needs a draft "
                       "or rejected one", field="resource_id")
    return data.details


def _check_right(session: Session, actor: Actor, resource: Resource,
                 data: RegistrationCreate) -> dict[str, Any]:
    if not data.right_id:
        raise Invalid(f"a {data.kind.value} registration names the right it records", field="right_id")
    right = session.get(Right, data.right_id)
    if right is None:
        raise NotFound("no such right", field="right_id")
    parent = session.get(Right, right.parent_id) if right.parent_id else None
    if actor.party_id not in {right.holder_party_id, parent.holder_party_id if parent else None}:
        raise Forbidden("only the holder of the right or of its parent right may register it",
                        field="right_id")
    if right.subject_type != "resource" or right.subject_id != resource.id:
        raise Invalid("the right is not a right over this resource", field="right_id")
    if right.status != RightStatus.ACTIVE.value:
        raise Conflict(f"the right is {right.status}, not active", field="right_id")
    _refuse_core(resource)
    _require_registered(resource, data.kind)
    return data.details


def _check_change(session: Session, actor: Actor, resource: Resource,
                  data: RegistrationCreate) -> dict[str, Any]:
    _require_holder(actor, resource, data.kind)
    _refuse_core(resource)
    _require_registered(resource, data.kind)
    change = _validated(ResourceChange, data.details)
    fields = change.model_dump(mode="json", exclude_none=True)
    if not fields:
        raise Invalid("a change registration names at least one of: title, description, tags, source_system, "
                      "update_frequency", field="details")
    return fields


def _check_cancellation(session: Session, actor: Actor, resource: Resource,
                        data: RegistrationCreate) -> dict[str, Any]:
    _require_holder(actor, resource, data.kind)
    _require_registered(resource, data.kind)
    return data.details


def _check_objection(session: Session, actor: Actor, resource: Resource,
                     data: RegistrationCreate) -> dict[str, Any]:
    if not data.certificate_id:
        raise Invalid("an objection registration names the certificate it objects to", field="certificate_id")
    objection = _validated(ObjectionCreate, {"reasons": data.details.get("reasons"),
                                             "evidence": data.details.get("evidence", [])})
    return {**data.details, **objection.model_dump(mode="json")}


CHECKS: dict[RegistrationKind, Check] = {
    RegistrationKind.INITIAL: _check_initial,
    RegistrationKind.LICENCE: _check_right,
    RegistrationKind.TRANSFER: _check_right,
    RegistrationKind.CHANGE: _check_change,
    RegistrationKind.CANCELLATION: _check_cancellation,
    RegistrationKind.OBJECTION: _check_objection,
}


def _check_references(data: RegistrationCreate) -> None:
    if data.right_id is not None and data.kind not in RIGHT_KINDS:
        raise Invalid("right_id applies to licence and transfer registrations only", field="right_id")
    if data.certificate_id is not None and data.kind not in CERTIFICATE_KINDS:
        raise Invalid("certificate_id applies to change, cancellation and objection registrations only",
                      field="certificate_id")


def _refuse_duplicate(session: Session, data: RegistrationCreate) -> None:
    stmt = select(Registration.id).where(Registration.kind == data.kind.value,
                                         Registration.resource_id == data.resource_id,
                                         Registration.status.in_(OPEN_STATUSES))
    if data.kind in RIGHT_KINDS:
        stmt = stmt.where(Registration.right_id == data.right_id)
    if data.kind == RegistrationKind.OBJECTION:
        stmt = stmt.where(Registration.certificate_id == data.certificate_id)
    existing = session.scalar(stmt.limit(1))
    if existing is not None:
        raise Conflict(f"an open {data.kind.value} registration of this resource already exists ({existing})",
                       field="resource_id", details={"registration_id": existing})


def validate_submission(session: Session, actor: Actor, resource: Resource,
                        data: RegistrationCreate) -> dict[str, Any]:
    """Apply the rules of `data.kind`; return the details to store (normalized), or raise."""
    _check_references(data)
    if resource.status == ResourceStatus.CANCELLED.value:
        raise Conflict("the resource is cancelled; it takes no further registrations", field="resource_id")
    details = CHECKS[data.kind](session, actor, resource, data)
    if data.certificate_id is not None:
        valid_certificate_of(session, resource, data.certificate_id)
    _refuse_duplicate(session, data)
    return details
