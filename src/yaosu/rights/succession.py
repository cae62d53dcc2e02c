"""Succession: when a party merges, splits, dissolves or goes bankrupt, its rights and duties pass on.

Everything happens in the caller's one transaction: if any step fails, nothing has changed.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import ApiToken, Party, PartySuccession, User
from yaosu.auth.policies import action
from yaosu.auth.roles import PartyStatus, Role
from yaosu.auth.service import require_active_party
from yaosu.errors import NotFound
from yaosu.ledger import Event, append
from yaosu.registration.models import Registration
from yaosu.resources.models import Resource
from yaosu.rights.enums import RightOrigin, RightStatus, SuccessionEvent
from yaosu.rights.models import Right
from yaosu.rights.schemas import SuccessionCreate
from yaosu.rights.scope import split_shares
from yaosu.rights.service import end_right, successor_copy

_PARTY_STATUS = {SuccessionEvent.MERGER: PartyStatus.MERGED, SuccessionEvent.SPLIT: PartyStatus.SPLIT,
                 SuccessionEvent.DISSOLUTION: PartyStatus.DISSOLVED, SuccessionEvent.BANKRUPTCY: PartyStatus.BANKRUPT}
OPEN_REGISTRATION = ("submitted", "notice")


def _pass_rights(session: Session, actor: Actor, party_id: str, successors: list[tuple[str, int]]) -> list[Right]:
    """End each active right of the party; give every successor its share of it."""
    held = list(session.scalars(select(Right).where(Right.holder_party_id == party_id,
                                                    Right.status == RightStatus.ACTIVE.value)
                                .order_by(Right.created_at, Right.id)))
    created: list[Right] = []
    for right in held:
        shares = split_shares(right.share_bp, [w for _, w in successors])
        for (successor_id, _), share in zip(successors, shares, strict=True):
            if share > 0:
                created.append(successor_copy(right, successor_id, RightOrigin.SUCCEEDED, share))
        end_right(right, RightStatus.SUCCEEDED, f"holder {party_id} succeeded")
    session.add_all(created)
    session.flush()
    for right in created:
        append(session, actor, Event("right.succeeded", "right", right.id,
                                     {"kind": right.kind, "subject": right.subject_id, "from_right": right.parent_id,
                                      "holder": right.holder_party_id, "share_bp": right.share_bp}))
    return created


def _pass_duties(session: Session, party_id: str, primary_id: str) -> None:
    """Resources held and registrations pending move to the primary successor (largest share)."""
    session.execute(update(Resource).where(Resource.holder_party_id == party_id)
                    .values(holder_party_id=primary_id, updated_at=clock.now()))
    session.execute(update(Registration).where(Registration.applicant_party_id == party_id,
                                               Registration.status.in_(OPEN_REGISTRATION))
                    .values(applicant_party_id=primary_id))


def _close_party(session: Session, party: Party, status: PartyStatus) -> None:
    party.status, party.ended_at = status.value, clock.now()
    user_ids = select(User.id).where(User.party_id == party.id)
    session.execute(update(User).where(User.party_id == party.id).values(is_active=False))
    session.execute(update(ApiToken).where(ApiToken.user_id.in_(user_ids), ApiToken.revoked_at.is_(None))
                    .values(revoked_at=clock.now()))


@action("party.succeed", roles=frozenset({Role.OPERATOR}))
def succeed_party(*, session: Session, actor: Actor, data: SuccessionCreate) -> PartySuccession:
    """Record a merger, split, dissolution or bankruptcy and pass the party's rights and duties on (operator)."""
    party = session.get(Party, data.party_id)
    if party is None:
        raise NotFound("no such party", field="party_id")
    require_active_party(session, party.id)
    for i, s in enumerate(data.successors):
        require_active_party(session, s.party_id, field=f"successors.{i}.party_id")
    successors = [(s.party_id, s.share_bp) for s in data.successors]
    primary = max(successors, key=lambda s: s[1])[0]  # max() keeps the first of equal shares
    created = _pass_rights(session, actor, party.id, successors)
    _pass_duties(session, party.id, primary)
    _close_party(session, party, _PARTY_STATUS[data.event])
    record = PartySuccession(party_id=party.id, event=data.event.value, reason=data.reason,
                             successors=[f"{pid}:{share}" for pid, share in successors])
    session.add(record)
    session.flush()
    append(session, actor, Event("party.succeeded", "party", party.id,
                                 {"event": data.event.value, "successors": record.successors,
                                  "primary": primary, "rights_passed": len(created), "reason": data.reason}))
    return record
