"""Buyers' calls in parallel threads, each with its own connection, on one order: the count is never overspent."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tests.integration.market.helpers import PURPOSE
from tests.sandbox_deals import committed_deal
from yaosu.auth.actor import Actor
from yaosu.config import Settings
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.errors import PolicyViolation
from yaosu.keys import ExchangeKeys
from yaosu.runtime import Runtime
from yaosu.sandbox import metering

CALLS, CLIENTS = 5, 8


def _client(sessions: sessionmaker[Session], order_id: str, buyer: Actor, outcomes: list[str]) -> None:
    for _attempt in range(50):
        try:
            with unit_of_work(sessions) as session:
                metering.spend(session, metering.admit(session, buyer, order_id, "sandbox", PURPOSE), 1)
            outcomes.append("spent")
            return
        except PolicyViolation as exc:
            outcomes.append(exc.code)
            return
        except DBAPIError:  # a lock or snapshot lost to another client (SQLite): try again
            continue
    outcomes.append("gave up")


def test_parallel_calls_spend_exactly_the_count(committing_url: str, tmp_path: Path, keys: ExchangeKeys) -> None:
    engine = make_engine(committing_url)
    sessions = session_factory(engine)
    runtime = Runtime(settings=Settings(data_dir=tmp_path, database_url=committing_url), engine=engine,
                      sessions=sessions, keys=keys)
    order_id, buyer, _ = committed_deal(runtime, tmp_path, "sandbox", CALLS)
    outcomes: list[str] = []
    threads = [threading.Thread(target=_client, args=(sessions, order_id, buyer, outcomes)) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with unit_of_work(sessions) as session:
        used = metering.used(session, order_id)
    engine.dispose()
    assert sorted(outcomes) == ["allowance_exhausted"] * (CLIENTS - CALLS) + ["spent"] * CALLS
    assert used == (CALLS, 0.0)
