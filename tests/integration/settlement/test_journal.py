"""The journal: balanced entries only (the database enforces it too), at most once per key, no overdrafts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Invalid, PolicyViolation
from yaosu.settlement import escrow
from yaosu.settlement.journal import Leg, account_id, balance, post
from yaosu.settlement.models import Account, AccountKind, JournalEntry, Posting
from yaosu.settlement.split import Share


def _available(session: Session, party: str) -> int:
    return balance(session, account_id(session, party, AccountKind.AVAILABLE))


def _invariants(session: Session) -> None:
    """All balances sum to zero; each is its postings' sum; each entry sums to zero; nothing owed is negative."""
    assert session.scalar(select(func.coalesce(func.sum(Account.balance), 0))) == 0
    sums = {a: int(n) for a, n in session.execute(
        select(Posting.account_id, func.sum(Posting.amount)).group_by(Posting.account_id))}
    for acc in session.scalars(select(Account)):
        assert acc.balance == sums.get(acc.id, 0)
        assert acc.kind == AccountKind.GATEWAY.value or acc.balance >= 0
    unbalanced = session.scalar(select(func.count()).select_from(
        select(Posting.entry_id).group_by(Posting.entry_id).having(func.sum(Posting.amount) != 0).subquery()))
    assert unbalanced == 0


def test_an_order_from_deposit_to_split(session: Session, factory: Factory) -> None:
    buyer, source, processor = (factory.party(Role.BUYER).id, factory.party().id, factory.party().id)
    escrow.deposit(session, buyer, 100_000, "dep-1")
    escrow.hold(session, buyer, 99_999, "order-1", "hold-1")
    assert _available(session, buyer) == 1
    rule = [Share(source, 7000), Share(processor, 2500), Share(escrow.EXCHANGE, 500)]
    escrow.release(session, buyer, 99_999, rule, "order-1", "release-1")
    assert (_available(session, source), _available(session, processor)) == (69_999, 25_000)
    assert balance(session, account_id(session, None, AccountKind.FEE_INCOME)) == 5_000
    escrow.withdraw(session, source, 69_999, "wd-1")
    _invariants(session)


def test_an_idempotent_retry_is_applied_once_and_a_reused_key_is_refused(session: Session, factory: Factory) -> None:
    buyer = factory.party(Role.BUYER).id
    first = escrow.deposit(session, buyer, 500, "dep-x")
    again = escrow.deposit(session, buyer, 500, "dep-x")
    assert first == (first[0], True) and again == (first[0], False)
    assert _available(session, buyer) == 500
    with pytest.raises(Conflict) as reused:
        escrow.deposit(session, buyer, 501, "dep-x")
    assert reused.value.code == "idempotency_key_reused"


def test_no_overdraft_and_nothing_written(session: Session, factory: Factory) -> None:
    buyer = factory.party(Role.BUYER).id
    escrow.deposit(session, buyer, 100, "dep")
    entries = session.scalar(select(func.count()).select_from(JournalEntry))
    with pytest.raises(PolicyViolation) as short, session.begin_nested():
        escrow.hold(session, buyer, 101, "o", "hold")
    assert short.value.code == "insufficient_funds"
    assert session.scalar(select(func.count()).select_from(JournalEntry)) == entries
    assert _available(session, buyer) == 100


@pytest.mark.parametrize(("legs", "message"), [
    ([Leg("a", 5)], "2 to"),
    ([Leg("a", 5), Leg("b", -4)], "sum to zero"),
    ([Leg("a", 0), Leg("b", 0)], "non-zero"),
])
def test_bad_legs_are_refused(session: Session, legs: list[Leg], message: str) -> None:
    with pytest.raises(Invalid, match=message):
        post(session, kind="test", idempotency_key="k", legs=legs)


def test_the_database_refuses_an_unbalanced_entry_and_any_change(session: Session, factory: Factory) -> None:
    party = factory.party().id
    escrow.deposit(session, party, 10, "dep")
    acc = account_id(session, party, AccountKind.AVAILABLE)
    insert_leg = text("INSERT INTO journal_posting (entry_id, account_id, amount) VALUES ('E1', :a, 7)")
    insert_entry = text("INSERT INTO journal_entry (id, kind, idempotency_key, memo, created_at) "
                        "VALUES ('E1', 'forged', 'forged', '', CURRENT_TIMESTAMP)")
    with pytest.raises(DBAPIError, match="does not balance"), session.begin_nested():
        session.execute(insert_leg, {"a": acc})
        session.execute(text("INSERT INTO journal_posting (entry_id, account_id, amount) VALUES ('E1', :a, -6)"),
                        {"a": acc})
        session.execute(insert_entry)
        session.flush()
    for statement in ("UPDATE journal_posting SET amount = amount + 1", "DELETE FROM journal_entry"):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(text(statement))


def apply(session: Session, op: str, party: str, amount: int, key: str, parties: list[str]) -> None:
    """One market money movement by name (shared with the concurrency test)."""
    order = f"order-{party}"
    if op == "deposit":
        escrow.deposit(session, party, amount, key)
    elif op == "withdraw":
        escrow.withdraw(session, party, amount, key)
    elif op == "hold":
        escrow.hold(session, party, amount, order, key)
    elif op == "refund":
        escrow.refund(session, party, amount, order, key)
    else:
        others = [p for p in parties if p != party]
        shares = [Share(p, 6000 // len(others)) for p in others]
        shares.append(Share(escrow.EXCHANGE, 10_000 - sum(s.basis_points for s in shares)))
        escrow.release(session, party, amount, shares, order, key)


OPS = st.lists(st.tuples(st.sampled_from(["deposit", "hold", "release", "refund", "withdraw"]),
                         st.integers(0, 2), st.integers(1, 5_000), st.integers(0, 7)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_random_movements_keep_the_books(session: Session, factory: Factory,
                                         ops: list[tuple[str, int, int, int]]) -> None:
    parties = [factory.party().id for _ in range(3)]
    with session.begin_nested() as outer:
        for n, (op, who, amount, retry) in enumerate(ops):
            key = f"{op}-{n if retry else n - 1}"  # some keys repeat: a retry, or a reuse for something else
            party = parties[who]
            try:
                with session.begin_nested():
                    apply(session, op, party, amount, key, parties)
            except (PolicyViolation, Conflict):
                pass
        _invariants(session)
        outer.rollback()
