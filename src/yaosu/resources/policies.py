"""Who may read a resource record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.rights.models import Right

PUBLIC_STATUSES = frozenset({ResourceStatus.NOTICE.value, ResourceStatus.REGISTERED.value})


def can_read(session: Session, actor: Actor, resource: Resource) -> bool:
    """Holder, overseers and right holders always; others once the resource is in notice or registered."""
    if resource.holder_party_id == actor.party_id or actor.has(Role.OPERATOR, Role.REGULATOR, Role.AUDITOR):
        return True
    if resource.status in PUBLIC_STATUSES:
        return True
    held = select(Right.id).where(Right.subject_id == resource.id, Right.holder_party_id == actor.party_id)
    return session.scalar(held.limit(1)) is not None
