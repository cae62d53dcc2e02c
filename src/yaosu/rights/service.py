"""Actions on rights: original rights at registration, grant, transfer, revoke, expire, chain of title."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.ledger import Event, append
from yaosu.resources.models import Resource
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
