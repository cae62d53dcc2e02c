"""Statements per party (对账单): every posting on the party's accounts in a period, with running balances.

For each of the party's accounts (available, escrow): the opening balance (all postings before the
period), each posting in the period in journal order with its entry's kind, its reference (the order,
bid or deposit key), a description of the other side of the entry and the running balance, and the
closing balance, which is the opening plus the sum of the period's postings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import Invalid, NotFound
from yaosu.resources.service import OVERSEERS
from yaosu.settlement.models import Account, AccountKind, JournalEntry, Posting

MAX_LINES = 10_000
PARTY_KINDS = (AccountKind.AVAILABLE, AccountKind.ESCROW)
EXCHANGE_NAMES = {AccountKind.FEE_INCOME.value: "exchange fee income", AccountKind.GATEWAY.value: "payment gateway"}


@dataclass(frozen=True)
class Line:
    """One posting: when, the entry's kind and reference, the other side, the amount and the balance after it."""

    at: datetime
    entry_id: str
    kind: str
    reference: str
    counter: str
    amount: int
    balance: int


@dataclass(frozen=True)
class AccountStatement:
    """One account's period: opening balance, lines, closing balance (opening + sum of the lines)."""

    kind: str
    opening: int
    lines: tuple[Line, ...]
    closing: int


@dataclass(frozen=True)
class Statement:
    party_id: str
    start: datetime
    end: datetime
    accounts: tuple[AccountStatement, ...]


def _opening(session: Session, account: str, start: datetime) -> int:
    total = session.scalar(select(func.coalesce(func.sum(Posting.amount), 0))
                           .join(JournalEntry, JournalEntry.id == Posting.entry_id)
                           .where(Posting.account_id == account, JournalEntry.created_at < start))
    return int(total or 0)


def _counters(session: Session, account: str, start: datetime, end: datetime) -> dict[str, list[tuple[int, str]]]:
    """Entry id → the legs of each entry touching `account` in the period, as (amount, "party name: kind" or
    the exchange account's name); one join, however many entries."""
    other = aliased(Posting)
    rows = session.connection().execute(select(other.entry_id, other.amount, Account.kind, Party.name)
                           .select_from(Posting)
                           .join(JournalEntry, JournalEntry.id == Posting.entry_id)
                           .join(other, other.entry_id == Posting.entry_id)
                           .join(Account, Account.id == other.account_id)
                           .outerjoin(Party, Party.id == Account.party_id)
                           .where(Posting.account_id == account, JournalEntry.created_at >= start,
                                  JournalEntry.created_at < end)).all()
    legs: dict[str, list[tuple[int, str]]] = {}
    for entry_id, amount, kind, name in rows:
        legs.setdefault(entry_id, []).append((amount, f"{name}: {kind}" if name else EXCHANGE_NAMES[kind]))
    return legs


def _other_side(legs: list[tuple[int, str]], amount: int) -> str:
    """The legs moving the other way: who paid a credit, who received a debit."""
    return "; ".join(sorted(label for n, label in legs if (n > 0) != (amount > 0)))


def _account(session: Session, account: Account, start: datetime, end: datetime) -> AccountStatement:
    rows = session.connection().execute(select(JournalEntry.created_at, JournalEntry.id, JournalEntry.kind,
                                  JournalEntry.reference, JournalEntry.idempotency_key, Posting.amount)
                           .join(Posting, Posting.entry_id == JournalEntry.id)
                           .where(Posting.account_id == account.id, JournalEntry.created_at >= start,
                                  JournalEntry.created_at < end)
                           .order_by(JournalEntry.created_at, JournalEntry.id, Posting.id).limit(MAX_LINES + 1)).all()
    if len(rows) > MAX_LINES:
        raise Invalid(f"more than {MAX_LINES} postings in this period; choose a shorter one", field="start")
    legs = _counters(session, account.id, start, end) if rows else {}
    opening = running = _opening(session, account.id, start)
    lines = []
    for at, entry_id, kind, reference, key, amount in rows:
        running += amount
        lines.append(Line(at, entry_id, kind, reference or key, _other_side(legs.get(entry_id, []), amount),
                          amount, running))
    return AccountStatement(account.kind, opening, tuple(lines), running)


@action("account.statement", roles=ANY_ROLE)
def statement(*, session: Session, actor: Actor, start: datetime, end: datetime,
              party_id: str | None = None) -> Statement:
    """The statement of the actor's party (or, for the operator and regulator, of `party_id`) for [start, end)."""
    party = party_id or actor.party_id
    if party != actor.party_id and not actor.has(*OVERSEERS):
        raise NotFound("no such party", field="party_id")
    if not party or start.tzinfo is None or end.tzinfo is None or end <= start:
        raise Invalid("a period is two timezone-aware times, the end after the start", field="end")
    session.flush()  # the lines are read on the connection (Core rows, no ORM objects): flush pending writes first
    accounts = {a.kind: a for a in session.scalars(select(Account).where(Account.party_id == party))}
    return Statement(party, start, end, tuple(
        _account(session, accounts[k.value], start, end) if k.value in accounts
        else AccountStatement(k.value, 0, (), 0) for k in PARTY_KINDS))


@action("account.balances", roles=ANY_ROLE)
def balances(*, session: Session, actor: Actor) -> dict[str, int]:
    """The actor's party's balance in fen per account kind (available, escrow; zero before first use)."""
    found = {kind: amount for kind, amount in session.execute(
        select(Account.kind, Account.balance).where(Account.party_id == actor.party_id))}
    return {k.value: int(found.get(k.value, 0)) for k in PARTY_KINDS}


CSV_HEADER = ("account", "time", "entry", "kind", "reference", "counterparty", "amount_fen", "balance_fen")


def to_csv(stmt: Statement) -> str:
    """The statement as CSV: per account an opening row, its postings, a closing row (amounts in fen)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for acc in stmt.accounts:
        writer.writerow((acc.kind, stmt.start.isoformat(), "", "opening", "", "", "", acc.opening))
        for line in acc.lines:
            writer.writerow((acc.kind, line.at.isoformat(), line.entry_id, line.kind, line.reference,
                             _cell(line.counter), line.amount, line.balance))
        writer.writerow((acc.kind, stmt.end.isoformat(), "", "closing", "", "", "", acc.closing))
    return out.getvalue()


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def parse_period(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    """A period from two ISO dates or times (a date is midnight in Asia/Shanghai; an end date counts whole);
    by default the current month in Asia/Shanghai."""
    today = clock.now().astimezone(clock.SHANGHAI).date()
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return (_moment(start, first, whole_day=False), _moment(end, next_first - timedelta(days=1), whole_day=True))


def _moment(text: str | None, default: date, *, whole_day: bool) -> datetime:
    if not text:
        value: date | datetime = default
    else:
        try:
            value = datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
        except ValueError:
            raise Invalid(f"not an ISO date or time: {text[:40]!r}", field="start" if not whole_day else "end") \
                from None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=clock.SHANGHAI)
    day = value + timedelta(days=1) if whole_day else value
    return datetime(day.year, day.month, day.day, tzinfo=clock.SHANGHAI)
