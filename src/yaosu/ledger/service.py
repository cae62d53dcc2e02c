"""`append` writes an event in the caller's transaction; `verify_chain` recomputes the chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import action
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json, sha256_hex
from yaosu.ids import new_id
from yaosu.ledger.models import LedgerEvent, LedgerHead

GENESIS = "0" * 64
AUDITORS = frozenset({Role.OPERATOR, Role.REGULATOR, Role.AUDITOR})


@dataclass(frozen=True)
class Event:
    """What happened: a dotted type (e.g. `right.granted`), its subject and a JSON payload."""

    type: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def _entry_hash(prev_hash: str, row: LedgerEvent) -> str:
    return sha256_hex(bytes.fromhex(prev_hash) + canonical_json(row.document()))


def append(session: Session, actor: Actor | None, event: Event) -> LedgerEvent:
    """Record `event` by `actor` in the current transaction and return the stored row."""
    head = session.execute(select(LedgerHead).where(LedgerHead.id == 1).with_for_update()).scalar_one_or_none()
    if head is None:
        head = LedgerHead(id=1, size=0, head_hash=GENESIS)
        session.add(head)
    row = LedgerEvent(
        seq=head.size + 1, id=new_id(), type=event.type,
        actor_party_id=actor.party_id if actor else None,
        actor_user_id=actor.user_id if actor else None,
        subject_type=event.subject_type, subject_id=event.subject_id,
        payload=canonical_json(event.payload).decode(), created_at=clock.now(),
        prev_hash=head.head_hash, entry_hash="",
    )
    row.entry_hash = _entry_hash(head.head_hash, row)
    head.size = row.seq
    head.head_hash = row.entry_hash
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainReport:
    """Result of recomputing the chain: size checked and the first bad sequence number, if any."""

    size: int
    head_hash: str
    first_bad_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def check_chain(session: Session) -> ChainReport:
    """Recompute every entry hash in order; report the first entry that does not match."""
    prev, expected_seq = GENESIS, 1
    for row in session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq)).yield_per(1000):
        if row.seq != expected_seq or row.prev_hash != prev or _entry_hash(prev, row) != row.entry_hash:
            return ChainReport(size=expected_seq - 1, head_hash=prev, first_bad_seq=expected_seq)
        prev, expected_seq = row.entry_hash, expected_seq + 1
    head = session.get(LedgerHead, 1)
    if head is not None and (head.size != expected_seq - 1 or head.head_hash != prev):
        return ChainReport(size=expected_seq - 1, head_hash=prev, first_bad_seq=expected_seq)
    return ChainReport(size=expected_seq - 1, head_hash=prev, first_bad_seq=None)


@action("ledger.verify", roles=AUDITORS)
def verify_chain(*, session: Session, actor: Actor) -> ChainReport:
    """Recompute the whole hash chain (operator, regulator or auditor)."""
    return check_chain(session)


@action("ledger.list_events", roles=AUDITORS)
def list_events(*, session: Session, actor: Actor, subject_id: str | None = None,
                limit: int = 100, offset: int = 0) -> list[LedgerEvent]:
    """Events newest first, optionally for one subject (operator, regulator or auditor)."""
    stmt = select(LedgerEvent).order_by(LedgerEvent.seq.desc()).limit(min(limit, 500)).offset(offset)
    if subject_id:
        stmt = stmt.where(LedgerEvent.subject_id == subject_id)
    return list(session.scalars(stmt))
