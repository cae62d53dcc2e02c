"""Post balanced entries to the journal, at most once per idempotency key (no actor: callers authorize).

`post` checks the legs (at least two, none zero, summing to zero), replays an entry already made
under the same key (refusing the key if the legs differ), moves the balances in account-id order
(so concurrent transfers cannot deadlock) with a guard that no owed-nothing account goes below
zero, then writes the postings and, last, the entry: the database checks there that it balances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import event, insert, or_, select, update
from sqlalchemy.orm import Session, SessionTransaction

from yaosu import clock
from yaosu.errors import Conflict, Invalid, PolicyViolation
from yaosu.ids import new_id
from yaosu.settlement.models import EXCHANGE_ACCOUNTS, Account, AccountKind, JournalEntry, Posting

_ACCOUNT = Account.metadata.tables["settlement_account"]
_POSTING = Posting.metadata.tables["journal_posting"]
_ENTRY = JournalEntry.metadata.tables["journal_entry"]
_MAX_LEGS = 64
_IDS = "yaosu.settlement.account_ids"  # Session.info: (party, kind) -> account id, seen in this session


@event.listens_for(Session, "after_soft_rollback")
def _forget_account_ids(session: Session, _previous: SessionTransaction) -> None:
    """An account opened in a rolled-back (sub)transaction no longer exists: look ids up again."""
    session.info.pop(_IDS, None)


def known_account_ids(session: Session) -> dict[tuple[str, str], str]:
    """The session's cache of account ids by (party, kind); an account, once opened, never goes away."""
    cache: dict[tuple[str, str], str] = session.info.setdefault(_IDS, {})
    return cache


@dataclass(frozen=True, order=True)
class Leg:
    """A signed amount in fen on one account: positive credits it, negative debits it."""

    account_id: str
    amount: int


def account_id(session: Session, party_id: str | None, kind: AccountKind) -> str:
    """The id of `party_id`'s account of `kind` (None: the exchange's, which always exist), opened on first use."""
    if party_id is None:
        return EXCHANGE_ACCOUNTS[kind]
    cache = known_account_ids(session)
    found = cache.get((party_id, kind.value))
    if found is None:
        found = session.scalar(select(Account.id).where(Account.party_id == party_id, Account.kind == kind.value))
    if found is None:
        found = new_id()
        session.execute(insert(_ACCOUNT).values(id=found, party_id=party_id, kind=kind.value, balance=0,
                                                created_at=clock.now()))
    cache[(party_id, kind.value)] = found
    return found


def balance(session: Session, account: str) -> int:
    """The balance of account `account` in fen."""
    return int(session.scalar(select(Account.balance).where(Account.id == account)) or 0)


def check_legs(legs: Sequence[Leg], key: str) -> list[Leg]:
    """The legs in account order, if they make a valid entry under `key` (Invalid otherwise)."""
    if not 0 < len(key) <= 128:
        raise Invalid("an idempotency key of 1 to 128 characters is required", field="idempotency_key")
    if not 2 <= len(legs) <= _MAX_LEGS:
        raise Invalid(f"an entry has 2 to {_MAX_LEGS} legs", field="legs")
    if any(leg.amount == 0 or not isinstance(leg.amount, int) for leg in legs):
        raise Invalid("every leg moves a non-zero whole number of fen", field="legs")
    if sum(leg.amount for leg in legs) != 0:
        raise Invalid("the legs of an entry sum to zero", field="legs")
    return sorted(legs)


def _replay(session: Session, key: str, kind: str, legs: list[Leg]) -> str | None:
    """The entry already posted under `key`, if its content is the same; Conflict if it is not."""
    entry = session.execute(select(_ENTRY.c.id, _ENTRY.c.kind).where(_ENTRY.c.idempotency_key == key)).first()
    if entry is None:
        return None
    if entry.kind != kind or postings_of(session, entry.id) != legs:
        raise key_reused()
    return str(entry.id)


def key_reused() -> Conflict:
    """The error for an idempotency key sent again with a different movement."""
    return Conflict("this idempotency key was used for a different movement", field="idempotency_key",
                    code="idempotency_key_reused")


def _move(session: Session, leg: Leg) -> None:
    moved = session.execute(
        update(_ACCOUNT).where(_ACCOUNT.c.id == leg.account_id,
                               or_(_ACCOUNT.c.kind == AccountKind.GATEWAY.value,
                                   _ACCOUNT.c.balance + leg.amount >= 0))
        .values(balance=_ACCOUNT.c.balance + leg.amount))
    if moved.rowcount == 1:  # type: ignore[attr-defined]
        return
    if session.get(Account, leg.account_id) is None:
        raise Invalid(f"no account {leg.account_id}", field="legs")
    raise PolicyViolation("insufficient funds", field="amount", code="insufficient_funds")


def post(session: Session, *, kind: str, idempotency_key: str, legs: Sequence[Leg], reference: str | None = None,
         memo: str = "") -> tuple[str, bool]:
    """Post a balanced entry once; returns (entry id, True) when posted now, (id, False) when replayed."""
    ordered = check_legs(legs, idempotency_key)
    existing = _replay(session, idempotency_key, kind, ordered)
    if existing is not None:
        return existing, False
    for leg in ordered:
        _move(session, leg)
    entry_id = new_id()
    session.execute(insert(_POSTING),
                    [{"entry_id": entry_id, "account_id": leg.account_id, "amount": leg.amount} for leg in ordered])
    session.execute(insert(_ENTRY).values(
        id=entry_id, kind=kind, idempotency_key=idempotency_key, reference=reference, memo=memo[:500],
        created_at=clock.now()))
    return entry_id, True


def postings_of(session: Session, entry_id: str) -> list[Leg]:
    """The legs of entry `entry_id`, in account order."""
    return sorted(Leg(a, n) for a, n in session.execute(
        select(Posting.account_id, Posting.amount).where(Posting.entry_id == entry_id)))
