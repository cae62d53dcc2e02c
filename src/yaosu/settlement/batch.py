"""Post many balanced entries in a few set-based statements, each at most once (no actor: callers authorize).

The same journal, the same guarantees as `journal.post`, for a batch: every entry is checked (two or
more non-zero legs summing to zero); an entry whose idempotency key is already in the journal is
replayed (a 409 if its legs differ); the accounts the new entries touch are locked in id order, and the
batch is refused (`insufficient_funds`, nothing written) if any of them would dip below zero at any
point of posting the entries in order (`netting.net_and_low`). Then each account moves once by its net
amount, the postings go in as bulk rows (`db.bulk`: COPY on PostgreSQL) and the entries after them,
where the database's trigger checks again that each entry balances. All or nothing: the caller's
transaction holds it all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.db.bulk import any_of, insert_rows, is_postgres
from yaosu.errors import Invalid, PolicyViolation
from yaosu.ids import new_id, new_ids
from yaosu.settlement.journal import Leg, check_legs, key_reused, known_account_ids
from yaosu.settlement.models import EXCHANGE_ACCOUNTS, Account, AccountKind, JournalEntry, Posting
from yaosu.settlement.netting import net_and_low

_ACCOUNT = Account.metadata.tables["settlement_account"]
_POSTING = Posting.metadata.tables["journal_posting"]
_ENTRY = JournalEntry.metadata.tables["journal_entry"]
MAX_ENTRIES = 5_000  # per call: bounds the statements' size and the time rows stay locked


@dataclass(frozen=True)
class Entry:
    """One movement to post: its kind, idempotency key, reference (e.g. the order id) and legs."""

    kind: str
    key: str
    reference: str | None
    legs: tuple[Leg, ...]


def account_ids(session: Session, pairs: Iterable[tuple[str | None, AccountKind]]) -> dict[tuple[str | None, str], str]:
    """Account ids for many (party, kind) pairs (None: the exchange's), opening missing ones in one statement."""
    cache = known_account_ids(session)
    wanted = {(p, k.value) for p, k in pairs}
    out: dict[tuple[str | None, str], str] = {(None, k.value): i for k, i in EXCHANGE_ACCOUNTS.items()}
    for opening in (False, True):
        missing = sorted((p, k) for p, k in wanted if p is not None and (p, k) not in cache)
        if not missing:
            break
        if opening:  # another transaction may open one at the same time: the second keeps the first's
            insert = (pg_insert if is_postgres(session) else sqlite_insert)(_ACCOUNT).on_conflict_do_nothing()
            session.execute(insert, [{"id": new_id(), "party_id": p, "kind": k, "balance": 0,
                                      "created_at": clock.now()} for p, k in missing])
        cache.update({(p, k): i for i, p, k in session.execute(
            select(_ACCOUNT.c.id, _ACCOUNT.c.party_id, _ACCOUNT.c.kind)
            .where(any_of(session, _ACCOUNT.c.party_id, sorted({p for p, _ in missing}))))})
    out.update({(p, k): cache[(p, k)] for p, k in wanted if p is not None})
    return out


def _replayed(session: Session, entries: Sequence[Entry]) -> set[str]:
    """The keys of `entries` already posted (Conflict if one was posted with other legs)."""
    found = {k: (i, kind) for i, k, kind in session.execute(
        select(_ENTRY.c.id, _ENTRY.c.idempotency_key, _ENTRY.c.kind)
        .where(any_of(session, _ENTRY.c.idempotency_key, [e.key for e in entries])))}
    if not found:
        return set()
    legs: dict[str, list[Leg]] = {}
    for entry_id, acc, amount in session.execute(
            select(_POSTING.c.entry_id, _POSTING.c.account_id, _POSTING.c.amount)
            .where(any_of(session, _POSTING.c.entry_id, [i for i, _ in found.values()]))):
        legs.setdefault(entry_id, []).append(Leg(acc, int(amount)))
    for e in entries:
        if e.key in found:
            entry_id, kind = found[e.key]
            if kind != e.kind or sorted(legs.get(entry_id, [])) != sorted(e.legs):
                raise key_reused()
    return set(found)


def _lock(session: Session, ids: list[str]) -> dict[str, tuple[str, int]]:
    """Lock the accounts `ids` in id order (no deadlocks); their kinds and balances."""
    if not is_postgres(session):  # SQLite: take the database's write lock before reading
        session.execute(update(_ACCOUNT).where(_ACCOUNT.c.id == ids[0]).values(balance=_ACCOUNT.c.balance))
    return {i: (k, int(b)) for i, k, b in session.execute(
        select(_ACCOUNT.c.id, _ACCOUNT.c.kind, _ACCOUNT.c.balance).where(any_of(session, _ACCOUNT.c.id, ids))
        .order_by(_ACCOUNT.c.id).with_for_update())}


_MOVE = (update(_ACCOUNT).where(_ACCOUNT.c.id == bindparam("acc"))
         .values(balance=_ACCOUNT.c.balance + bindparam("delta")))
_MOVE_PG = text("UPDATE settlement_account AS a SET balance = a.balance + m.delta "
                "FROM unnest(CAST(:accs AS VARCHAR[]), CAST(:deltas AS BIGINT[])) AS m(acc, delta) WHERE a.id = m.acc")


def _move(session: Session, accounts: list[str], deltas: list[int]) -> None:
    """Move each locked account by its net amount, in one statement on PostgreSQL."""
    moves = [(a, n) for a, n in zip(accounts, deltas, strict=True) if n]
    if not moves:
        return
    if is_postgres(session):
        session.execute(_MOVE_PG, {"accs": [a for a, _ in moves], "deltas": [n for _, n in moves]})
    else:
        session.execute(_MOVE, [{"acc": a, "delta": n} for a, n in moves])


def post_batch(session: Session, entries: Sequence[Entry], memo: str = "") -> list[bool]:
    """Post `entries` in order, each at most once; per entry True if posted now, False if replayed."""
    if not 0 < len(entries) <= MAX_ENTRIES:
        raise Invalid(f"a batch posts 1 to {MAX_ENTRIES} entries", field="entries")
    checked = [check_legs(e.legs, e.key) for e in entries]
    if len({e.key for e in entries}) != len(entries):
        raise Invalid("an idempotency key appears twice in the batch", field="idempotency_key")
    done = _replayed(session, entries)
    fresh = [(e, legs) for e, legs in zip(entries, checked, strict=True) if e.key not in done]
    if fresh:
        _apply(session, fresh, memo)
    return [e.key not in done for e in entries]


def _apply(session: Session, fresh: list[tuple[Entry, list[Leg]]], memo: str) -> None:
    netted = net_and_low([leg.account_id for _, legs in fresh for leg in legs],
                         [leg.amount for _, legs in fresh for leg in legs])
    rows = _lock(session, netted.accounts)
    if len(rows) != len(netted.accounts):
        raise Invalid("a leg names an account that does not exist", field="legs")
    for acc, low in zip(netted.accounts, netted.low, strict=True):
        kind, balance = rows[acc]
        if kind != AccountKind.GATEWAY.value and balance + low < 0:
            raise PolicyViolation("insufficient funds", field="amount", code="insufficient_funds")
    _move(session, netted.accounts, netted.net)
    ids = new_ids(len(fresh))
    insert_rows(session, _POSTING, [{"entry_id": i, "account_id": leg.account_id, "amount": leg.amount}
                                    for i, (_, legs) in zip(ids, fresh, strict=True) for leg in legs])
    now = clock.now()
    insert_rows(session, _ENTRY, [{"id": i, "kind": e.kind, "idempotency_key": e.key, "reference": e.reference,
                                   "memo": memo[:500], "created_at": now}
                                  for i, (e, _) in zip(ids, fresh, strict=True)])
