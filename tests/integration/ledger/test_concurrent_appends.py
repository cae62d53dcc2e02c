"""Writers in parallel threads, each with its own connection, append without colliding on a leaf index."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append
from yaosu.ledger.audit import check_ledger

WRITERS, TRANSACTIONS, EVENTS = 4, 25, 3


def test_parallel_writers_each_get_their_own_leaves(tmp_path: Path, keys: ExchangeKeys, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the PostgreSQL run uses SELECT ... FOR UPDATE; this checks SQLite's write-lock path")
    url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for t in range(TRANSACTIONS):
                with unit_of_work(sessions) as session:
                    session.execute(text("SELECT count(*) FROM party"))  # a read before the first write
                    for e in range(EVENTS):
                        append(session, None, Event(type="test.parallel", subject_type="t",
                                                    subject_id=f"{n}-{t}-{e}"))
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with unit_of_work(sessions) as session:
        report = check_ledger(session, keys.public_key, "test")
        subjects = session.execute(text("SELECT count(DISTINCT subject_id) FROM ledger_event "
                                        "WHERE type = 'test.parallel'")).scalar()
    engine.dispose()
    assert report.ok, report.reason
    assert subjects == WRITERS * TRANSACTIONS * EVENTS
