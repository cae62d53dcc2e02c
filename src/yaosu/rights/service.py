"""Actions on rights: original rights at registration, grant, transfer, revoke, expire, chain of title."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import NotFound
from yaosu.ledger import Event, append
from yaosu.resources.models import Resource
from yaosu.resources.policies import can_read
from yaosu.rights.enums import ANY, RightKind, RightOrigin, RightStatus
from yaosu.rights.models import Right


def create_original_rights(session: Session, actor: Actor, resource: Resource) -> list[Right]:
    """The three original rights of a new resource, held by its holder with unlimited scope."""
    rights = [Right(kind=kind.value, subject_type="resource", subject_id=resource.id,
                    holder_party_id=resource.holder_party_id, purposes=[ANY], actions=[ANY], regions=["CN"],
                    valid_from=clock.now(), valid_until=None, exclusive=True, share_bp=10000,
                    origin=RightOrigin.ORIGINAL.value, parent_id=None, status=RightStatus.ACTIVE.value)
              for kind in RightKind]
    session.add_all(rights)
    session.flush()
    for right in rights:
        append(session, actor, Event("right.created", "right", right.id,
                                     {"kind": right.kind, "subject": resource.id, "holder": right.holder_party_id,
                                      "origin": right.origin}))
    return rights


# stand-in until the main engineer's rights branch is merged: list_rights, chain_of_title
def _readable_subject(session: Session, actor: Actor, subject_id: str, field: str) -> Resource:
    resource = session.get(Resource, subject_id)
    if resource is None or not can_read(session, actor, resource):
        raise NotFound("no such resource", field=field)
    return resource


@action("right.list", roles=ANY_ROLE)
def list_rights(*, session: Session, actor: Actor, subject_id: str,
                include_ended: bool = False) -> list[Right]:
    """The rights over a resource the actor may read, oldest first; active ones unless `include_ended`."""
    _readable_subject(session, actor, subject_id, "subject_id")
    stmt = select(Right).where(Right.subject_id == subject_id).order_by(Right.created_at, Right.id)
    if not include_ended:
        stmt = stmt.where(Right.status == RightStatus.ACTIVE.value)
    return list(session.scalars(stmt))


@action("right.chain", roles=ANY_ROLE)
def chain_of_title(*, session: Session, actor: Actor, right_id: str) -> list[Right]:
    """The right and its ancestors, root first (the chain of title)."""
    right = session.get(Right, right_id)
    if right is None:
        raise NotFound("no such right", field="right_id")
    _readable_subject(session, actor, right.subject_id, "right_id")
    chain = [right]
    while chain[-1].parent_id is not None:
        parent = session.get(Right, chain[-1].parent_id)
        assert parent is not None
        chain.append(parent)
    return chain[::-1]
