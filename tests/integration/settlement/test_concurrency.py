"""Clients in parallel threads, each with its own connection, moving money with retries: the books stay exact."""

from __future__ import annotations

import random
import threading

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import make_uscc
from tests.integration.settlement.test_journal import apply
from yaosu.auth.models import Party
from yaosu.auth.roles import Role
from yaosu.auth.schemas import PartyCreate, PartyKind
from yaosu.auth.service import insert_party
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.errors import Conflict, PolicyViolation
from yaosu.settlement.models import Account, AccountKind, JournalEntry, Posting

CLIENTS, STEPS = 8, 40


def _parties(sessions: sessionmaker[Session], n: int) -> list[str]:
    with unit_of_work(sessions) as session:
        return [insert_party(session, None, PartyCreate(kind=PartyKind.ORGANIZATION, name=f"并发主体{i}",
                                                        uscc=make_uscc(9000 + i), roles=[Role.BUYER])).id
                for i in range(n)]


def _client(sessions: sessionmaker[Session], n: int, parties: list[str], errors: list[BaseException]) -> None:
    rng = random.Random(n)
    for step in range(STEPS):
        op = rng.choice(["deposit", "deposit", "hold", "release", "refund", "withdraw"])
        party, amount, key = rng.choice(parties), rng.randint(1, 3_000), f"c{n}-{step}"
        for _attempt in range(2 + 8):  # a retry re-sends the same key: applied once; lost races are retried
            try:
                with unit_of_work(sessions) as session:
                    apply(session, op, party, amount, key, parties)
            except (PolicyViolation, Conflict):
                break
            except DBAPIError:  # a lost race (unique key, lock or snapshot): retry the same request
                continue
            except BaseException as exc:  # reported by the test thread
                errors.append(exc)
                return
            if _attempt == 0 and rng.random() < 0.3:
                continue  # the client did not see the answer and sends the same request again
            break


def test_parallel_clients_keep_the_books_exact(committing_url: str) -> None:
    engine = make_engine(committing_url)
    sessions = session_factory(engine)
    parties = _parties(sessions, 4)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_client, args=(sessions, n, parties, errors)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with unit_of_work(sessions) as session:
        total = session.scalar(select(func.sum(Account.balance)))
        by_account = {a: int(s) for a, s in session.execute(
            select(Posting.account_id, func.sum(Posting.amount)).group_by(Posting.account_id))}
        accounts = list(session.scalars(select(Account)))
        keys = session.scalar(select(func.count(func.distinct(JournalEntry.idempotency_key))))
        entries = session.scalar(select(func.count()).select_from(JournalEntry))
        known = session.scalar(select(func.count()).select_from(Party))
    engine.dispose()
    assert errors == []
    assert total == 0 and keys == entries and entries > CLIENTS and known >= 4
    for account in accounts:
        assert account.balance == by_account.get(account.id, 0)
        assert account.kind == AccountKind.GATEWAY.value or account.balance >= 0
