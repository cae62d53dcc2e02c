"""Writers in parallel threads, each with its own connection, append without colliding on a leaf index
(SQLite: the write lock taken before the head is read; PostgreSQL: SELECT ... FOR UPDATE)."""

from __future__ import annotations

import threading

from sqlalchemy import text

from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append
from yaosu.ledger.audit import check_ledger

WRITERS, TRANSACTIONS, EVENTS = 4, 25, 3


def test_parallel_writers_each_get_their_own_leaves(committing_url: str, keys: ExchangeKeys) -> None:
    url = committing_url
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
