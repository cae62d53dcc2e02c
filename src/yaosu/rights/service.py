"""Actions on rights: original rights, grant, transfer, revoke, expire, list and chain of title."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.auth.service import require_active_party
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.resources.models import Resource
from yaosu.resources.policies import can_read
from yaosu.rights.enums import ANY, RightKind, RightOrigin, RightStatus
from yaosu.rights.models import Right
from yaosu.rights.schemas import GrantCreate, TransferCreate
from yaosu.rights.scope import Scope, scope_excess

OPERATOR_ONLY = frozenset({Role.OPERATOR})
MAX_CHAIN = 1000  # a chain of title longer than this means a cycle: refuse rather than loop


def _event(right: Right, kind: str, **extra: object) -> Event:
    payload: dict[str, object] = {"kind": right.kind, "subject": right.subject_id, "holder": right.holder_party_id,
                                  "origin": right.origin, "parent": right.parent_id, "status": right.status}
    payload.update(extra)
    return Event(f"right.{kind}", "right", right.id, payload)


def _scope_of(right: Right) -> Scope:
    return Scope(tuple(right.purposes), tuple(right.actions), tuple(right.regions), right.valid_from,
                 right.valid_until, right.exclusive)


def is_effective(right: Right) -> bool:
    """Active and within its term at the current time."""
    now = clock.now()
    return (right.status == RightStatus.ACTIVE.value and right.valid_from <= now
            and (right.valid_until is None or right.valid_until > now))


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
        append(session, actor, _event(right, "created"))
    return rights


def _load_visible(session: Session, actor: Actor, right_id: str) -> Right:
    right = session.get(Right, right_id)
    if right is None:
        raise NotFound("no such right", field="right_id")
    resource = session.get(Resource, right.subject_id)
    if resource is None or not can_read(session, actor, resource):
        raise NotFound("no such right", field="right_id")
    return right


def _load_held(session: Session, actor: Actor, right_id: str) -> Right:
    """A right the actor's party holds and may exercise now."""
    right = _load_visible(session, actor, right_id)
    if right.holder_party_id != actor.party_id:
        raise Forbidden("only the holder of a right may grant or transfer it", field="right_id")
    if not is_effective(right):
        raise Invalid(f"this right is {right.status} or outside its term", field="right_id", code="right_not_effective")
    return right


def _allows(right: Right, act: str) -> bool:
    return right.origin == RightOrigin.ORIGINAL.value or ANY in right.actions or act in right.actions


_PASSED_ON = (RightOrigin.TRANSFERRED.value, RightOrigin.SUCCEEDED.value)


def _position_ids(session: Session, right: Right) -> list[str]:
    """`right` and the records it took over by transfer or succession: one grantor position."""
    ids, current = [right.id], right
    while current.origin in _PASSED_ON and current.parent_id and len(ids) < MAX_CHAIN:
        parent = session.get(Right, current.parent_id)
        if parent is None:
            break
        ids.append(parent.id)
        current = parent
    return ids


def _current_holders(session: Session, right: Right) -> set[str]:
    """Who stands in the position of `right` now: its holder, or whoever it passed to (transitively)."""
    holders, frontier = set(), [right]
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        nxt: list[Right] = []
        for r in frontier:
            if r.status == RightStatus.ACTIVE.value:
                holders.add(r.holder_party_id)
            nxt.extend(session.scalars(select(Right).where(Right.parent_id == r.id, Right.origin.in_(_PASSED_ON))))
        frontier = nxt
    return holders


def _check_exclusivity(session: Session, parent: Right, exclusive: bool) -> None:
    children = list(session.scalars(select(Right).where(Right.parent_id.in_(_position_ids(session, parent)),
                                                        Right.status == RightStatus.ACTIVE.value,
                                                        Right.origin == RightOrigin.GRANTED.value)))
    if any(c.exclusive for c in children):
        raise Conflict("an exclusive licence of this right is in force; no further grant is possible",
                       field="exclusive", code="exclusive_conflict")
    if exclusive and children:
        raise Conflict(f"{len(children)} licence(s) of this right are in force; an exclusive grant is impossible",
                       field="exclusive", code="exclusive_conflict")


# How a right may be passed on: the action the licence must permit, the refusal and its code, and the
# refusal when the recipient is the holder itself.
_PASS_ON = {
    "sublicense": ("this licence does not permit sublicensing", "no_sublicense",
                   "a party cannot grant a right to itself"),
    "transfer": ("this licence is not transferable", "not_transferable", "the right is already held by this party"),
}


def _held_for(session: Session, actor: Actor, right_id: str, act: str, to_party_id: str) -> Right:
    """A right the actor holds and may pass by `act` (sublicense or transfer) to the active party `to_party_id`."""
    right = _load_held(session, actor, right_id)
    refusal, code, to_self = _PASS_ON[act]
    if not _allows(right, act):
        raise Forbidden(refusal, field="right_id", code=code)
    require_active_party(session, to_party_id, field="to_party_id")
    if to_party_id == actor.party_id:
        raise Invalid(to_self, field="to_party_id")
    return right


@action("right.grant", roles=ANY_ROLE)
def grant_right(*, session: Session, actor: Actor, right_id: str, data: GrantCreate) -> Right:
    """License part of a right the actor holds to another party; never broader than the grantor's right."""
    parent = _held_for(session, actor, right_id, "sublicense", data.to_party_id)
    requested = Scope(tuple(data.purposes), tuple(data.actions), tuple(data.regions),
                      data.valid_from or clock.now(), data.valid_until, data.exclusive)
    excess = scope_excess(_scope_of(parent), requested)
    if excess:
        raise Invalid("the grant is broader than the grantor's right: " + "; ".join(e.describe() for e in excess),
                      field=excess[0].field, code="grant_exceeds_parent",
                      details={"excess": {e.field: list(e.values) for e in excess}})
    _check_exclusivity(session, parent, data.exclusive)
    child = Right(kind=parent.kind, subject_type=parent.subject_type, subject_id=parent.subject_id,
                  holder_party_id=data.to_party_id, purposes=list(requested.purposes),
                  actions=list(requested.actions), regions=list(requested.regions),
                  valid_from=requested.valid_from, valid_until=requested.valid_until, exclusive=data.exclusive,
                  share_bp=10000, origin=RightOrigin.GRANTED.value, parent_id=parent.id,
                  status=RightStatus.ACTIVE.value)
    session.add(child)
    session.flush()
    append(session, actor, _event(child, "granted", grantor=actor.party_id, purposes=child.purposes,
                                  actions=child.actions, regions=child.regions,
                                  valid_until=child.valid_until.isoformat() if child.valid_until else None))
    return child


def successor_copy(right: Right, holder_party_id: str, origin: RightOrigin, share_bp: int) -> Right:
    """A new right with `right`'s scope and term for another holder, child of `right`."""
    return Right(kind=right.kind, subject_type=right.subject_type, subject_id=right.subject_id,
                 holder_party_id=holder_party_id, purposes=list(right.purposes), actions=list(right.actions),
                 regions=list(right.regions), valid_from=right.valid_from, valid_until=right.valid_until,
                 exclusive=right.exclusive, share_bp=share_bp, origin=origin.value, parent_id=right.id,
                 status=RightStatus.ACTIVE.value)


def end_right(right: Right, status: RightStatus, reason: str) -> None:
    """Mark a right as ended now with a status and reason."""
    right.status, right.status_reason, right.ended_at = status.value, reason, clock.now()


@action("right.transfer", roles=ANY_ROLE)
def transfer_right(*, session: Session, actor: Actor, right_id: str, data: TransferCreate) -> Right:
    """Transfer a whole right to another party; licences already granted from it stay in force."""
    right = _held_for(session, actor, right_id, "transfer", data.to_party_id)
    new = successor_copy(right, data.to_party_id, RightOrigin.TRANSFERRED, right.share_bp)
    end_right(right, RightStatus.TRANSFERRED, data.reason or f"transferred to {data.to_party_id}")
    session.add(new)
    session.flush()
    resource = session.get(Resource, right.subject_id)
    if (resource is not None and right.kind == RightKind.HOLDING.value and right.share_bp == 10000
            and resource.holder_party_id == actor.party_id):
        resource.holder_party_id = data.to_party_id
    append(session, actor, _event(new, "transferred", from_party=actor.party_id, from_right=right.id))
    return new


def _descendants(session: Session, right: Right) -> list[Right]:
    found: list[Right] = []
    frontier = [right.id]
    while frontier and len(found) < 100_000:
        children = list(session.scalars(select(Right).where(Right.parent_id.in_(frontier))))
        found.extend(children)
        frontier = [c.id for c in children]
    return found


@action("right.revoke", roles=ANY_ROLE)
def revoke_right(*, session: Session, actor: Actor, right_id: str, reason: str) -> Right:
    """Revoke a granted right (its grantor, or the operator) together with every licence derived from it."""
    right = _load_visible(session, actor, right_id)
    parent = session.get(Right, right.parent_id) if right.parent_id else None
    is_grantor = parent is not None and actor.party_id in _current_holders(session, parent)
    if not (actor.is_operator or (is_grantor and right.origin == RightOrigin.GRANTED.value)):
        raise Forbidden("only the grantor of a licence, or the operator, may revoke it", field="right_id")
    if right.status != RightStatus.ACTIVE.value:
        raise Conflict(f"this right is already {right.status}", field="right_id")
    ended = [right] + [d for d in _descendants(session, right) if d.status == RightStatus.ACTIVE.value]
    for r in ended:
        end_right(r, RightStatus.REVOKED, reason if r is right else f"parent right {right.id} revoked: {reason}")
    session.flush()
    append(session, actor, _event(right, "revoked", reason=reason, cascaded=[r.id for r in ended[1:]]))
    return right


@action("right.expire_due", roles=OPERATOR_ONLY)
def expire_due(*, session: Session, actor: Actor) -> list[Right]:
    """Mark every active right whose term has ended as expired (operator or scheduled job)."""
    now = clock.now()
    due = list(session.scalars(select(Right).where(Right.status == RightStatus.ACTIVE.value,
                                                   Right.valid_until.is_not(None), Right.valid_until <= now)))
    for right in due:
        end_right(right, RightStatus.EXPIRED, "term ended")
    session.flush()
    for right in due:
        append(session, actor, _event(right, "expired"))
    return due


def active_rights(session: Session, subject_id: str, holder_party_id: str | None = None) -> list[Right]:
    """Rights over `subject_id` in force now, optionally of one holder (no authorization: a helper)."""
    stmt = select(Right).where(Right.subject_id == subject_id, Right.status == RightStatus.ACTIVE.value)
    if holder_party_id is not None:
        stmt = stmt.where(Right.holder_party_id == holder_party_id)
    return [r for r in session.scalars(stmt.order_by(Right.created_at, Right.id)) if is_effective(r)]


def end_subject_rights(session: Session, actor: Actor, subject_id: str, reason: str) -> int:
    """Revoke every active right over a resource (its registration was cancelled); returns how many."""
    rights = list(session.scalars(select(Right).where(Right.subject_id == subject_id,
                                                      Right.status == RightStatus.ACTIVE.value)))
    for right in rights:
        end_right(right, RightStatus.REVOKED, reason)
    session.flush()
    if rights:
        append(session, actor, Event("right.subject_ended", "resource", subject_id,
                                     {"reason": reason, "rights": [r.id for r in rights]}))
    return len(rights)


@action("right.list", roles=ANY_ROLE, public=True)
def list_rights(*, session: Session, actor: Actor, subject_id: str, include_ended: bool = False) -> list[Right]:
    """Rights over a resource the actor may see; ended ones too on request."""
    resource = session.get(Resource, subject_id)
    if resource is None or not can_read(session, actor, resource):
        raise NotFound("no such resource", field="subject_id")
    stmt = select(Right).where(Right.subject_id == subject_id).order_by(Right.created_at, Right.id)
    if not include_ended:
        stmt = stmt.where(Right.status == RightStatus.ACTIVE.value)
    return list(session.scalars(stmt))


@action("right.get", roles=ANY_ROLE, public=True)
def get_right(*, session: Session, actor: Actor, right_id: str) -> Right:
    """One right the actor may see."""
    return _load_visible(session, actor, right_id)


@action("right.chain", roles=ANY_ROLE, public=True)
def chain_of_title(*, session: Session, actor: Actor, right_id: str) -> list[Right]:
    """The chain of title of a right: from the original right down to this one."""
    right = _load_visible(session, actor, right_id)
    chain = [right]
    while chain[-1].parent_id is not None:
        if len(chain) >= MAX_CHAIN:
            raise Invalid("chain of title too long (a cycle?)", field="right_id")
        parent = session.get(Right, chain[-1].parent_id)
        if parent is None:
            break
        chain.append(parent)
    return list(reversed(chain))
