"""Statements: the opening balance carries what came before the period; closing = opening + the period's sum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Invalid, NotFound, PolicyViolation
from yaosu.settlement import escrow
from yaosu.settlement.statements import parse_period, statement, to_csv

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def test_closing_is_opening_plus_the_sum_of_the_lines(session: Session, factory: Factory) -> None:
    clock.freeze(T0)
    party = factory.actor(Role.BUYER)
    escrow.deposit(session, party.party_id, 50_000, "before")
    clock.advance(timedelta(days=3))
    escrow.hold(session, party.party_id, 20_000, "ORDER1", "h1")
    escrow.withdraw(session, party.party_id, 5_000, "w1")
    clock.advance(timedelta(days=1))
    escrow.refund(session, party.party_id, 20_000, "ORDER1", "r1")
    clock.advance(timedelta(days=5))
    escrow.deposit(session, party.party_id, 1_000, "after")
    stmt = statement(session=session, actor=party, start=T0 + timedelta(days=1), end=T0 + timedelta(days=6))
    available, held = stmt.accounts
    assert available.opening == 50_000 and [line.amount for line in available.lines] == [-20_000, -5_000, 20_000]
    assert [line.balance for line in available.lines] == [30_000, 25_000, 45_000]
    for acc in stmt.accounts:
        assert acc.closing == acc.opening + sum(line.amount for line in acc.lines)
    assert (held.opening, held.closing, [x.reference for x in held.lines]) == (0, 0, ["ORDER1", "ORDER1"])
    assert available.lines[1].counter == "payment gateway" and available.lines[1].reference == "w1"
    whole = statement(session=session, actor=party, start=T0 - timedelta(days=1), end=T0 + timedelta(days=30))
    assert whole.accounts[0].closing == escrow.available(session, party.party_id) == 46_000
    assert to_csv(stmt).splitlines()[1].endswith(",opening,,,,50000")


def test_a_party_sees_only_its_own_statement(session: Session, factory: Factory, operator: Actor) -> None:
    one, other = factory.actor(Role.BUYER), factory.actor(Role.PROVIDER)
    start, end = parse_period(None, None)
    with pytest.raises(NotFound):
        statement(session=session, actor=one, start=start, end=end, party_id=other.party_id)
    seen = statement(session=session, actor=operator, start=start, end=end, party_id=other.party_id)
    assert seen.party_id == other.party_id and seen.accounts[0].lines == ()
    with pytest.raises(Invalid):
        statement(session=session, actor=one, start=end, end=start)


@pytest.mark.parametrize(("start", "end", "first", "last"), [
    ("2026-03-01", "2026-03-31", "2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00"),
    ("2026-03-01T10:00:00+00:00", "2026-03-02T00:00:00+00:00", "2026-03-01T10:00:00+00:00",
     "2026-03-02T00:00:00+00:00"),
], ids=["dates-whole-days-shanghai", "times"])
def test_parse_period(start: str, end: str, first: str, last: str) -> None:
    assert tuple(x.isoformat() for x in parse_period(start, end)) == (first, last)


def test_parse_period_refuses_garbage() -> None:
    with pytest.raises(Invalid):
        parse_period("yesterday", None)


MOVES = st.lists(st.tuples(st.sampled_from(["deposit", "withdraw", "hold", "refund"]), st.integers(1, 5_000),
                           st.integers(0, 48)), min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES, cut=st.integers(0, 600))
def test_adjacent_periods_chain_and_end_at_the_balance(session: Session, factory: Factory,
                                                       moves: list[tuple[str, int, int]], cut: int) -> None:
    clock.freeze(T0)
    with session.begin_nested() as outer:
        party = factory.actor(Role.BUYER)
        for n, (move, amount, hours) in enumerate(moves):
            clock.advance(timedelta(hours=hours))
            try:
                with session.begin_nested():
                    act = {"deposit": escrow.deposit, "withdraw": escrow.withdraw}.get(move)
                    if act is not None:
                        act(session, party.party_id, amount, f"k{n}")
                    else:
                        (escrow.hold if move == "hold" else escrow.refund)(session, party.party_id, amount,
                                                                            f"O{n}", f"k{n}")
            except PolicyViolation:
                pass
        middle, end = T0 + timedelta(hours=cut), T0 + timedelta(days=60)
        first = statement(session=session, actor=party, start=T0 - timedelta(days=1), end=middle)
        second = statement(session=session, actor=party, start=middle, end=end)
        for one, two in zip(first.accounts, second.accounts, strict=True):
            assert one.opening == 0 and one.closing == two.opening
            for acc in (one, two):
                assert acc.closing == acc.opening + sum(line.amount for line in acc.lines)
        assert second.accounts[0].closing == escrow.available(session, party.party_id)
        outer.rollback()
