"""Statement benchmark: lines per second for one party's statement through the service, beside a plain-SQL
peer (one query with a window-function running balance, no counter-descriptions). JSON.

One party receives `--postings` movements (deposits and withdrawals through the gateway, posted by the
journal as the market does); then its statement over the whole period is built `--repeat` times. The
peer reads the same postings with `SUM(amount) OVER (ORDER BY …)` in the database and nothing else.
Peak memory is traced around the statement alone. Run:

    python benchmarks/statements.py [--postings 10000] [--repeat 5] [--url sqlite:///…|postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from settlement import _fresh, _party
from yaosu import clock
from yaosu.auth.roles import Role
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.settlement import escrow
from yaosu.settlement.statements import statement

PEER = text("""
SELECT e.created_at, e.kind, COALESCE(e.reference, e.idempotency_key), p.amount,
       SUM(p.amount) OVER (ORDER BY e.created_at, e.id, p.id) AS balance
FROM journal_posting p JOIN journal_entry e ON e.id = p.entry_id
WHERE p.account_id = :account AND e.created_at >= :start AND e.created_at < :end
ORDER BY e.created_at, e.id, p.id
""")


def _fill(sessions: Any, postings: int) -> Any:
    """A party with `postings` movements on its available account; returns its actor."""
    with unit_of_work(sessions) as session:
        actor = _party(session, 1, Role.BUYER)
    for start in range(0, postings, 1000):
        with unit_of_work(sessions) as session:
            for n in range(start, min(start + 1000, postings)):
                if n % 3 == 2:
                    escrow.withdraw(session, actor.party_id, 1, f"w{n}")
                else:
                    escrow.deposit(session, actor.party_id, 7, f"d{n}")
    return actor


def _time(run: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    """Fill, time the service and the peer, print one JSON document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/statements.db"
    _fresh(url) if url.startswith("postgresql") else upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    actor = _fill(sessions, args.postings)
    if url.startswith("postgresql"):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))  # as autovacuum would have by now on a live exchange
    start, end = clock.now() - timedelta(days=1), clock.now() + timedelta(days=1)
    with unit_of_work(sessions) as session:
        stmt = statement(session=session, actor=actor, start=start, end=end)
        lines = len(stmt.accounts[0].lines)
        assert stmt.accounts[0].closing == escrow.available(session, actor.party_id)
        account = session.execute(text("SELECT id FROM settlement_account WHERE party_id = :p AND kind = 'available'"),
                                  {"p": actor.party_id}).scalar_one()
        service_s = _time(lambda: statement(session=session, actor=actor, start=start, end=end), args.repeat)
        peer_s = _time(lambda: session.execute(PEER, {"account": account, "start": start, "end": end}).all(),
                       args.repeat)
        tracemalloc.start()
        statement(session=session, actor=actor, start=start, end=end)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    engine.dispose()
    print(json.dumps({
        "database": url.split(":", 1)[0], "lines": lines,
        "service": {"seconds": round(service_s, 4), "lines_per_s": round(lines / service_s)},
        "peer_plain_sql_window": {"seconds": round(peer_s, 4), "lines_per_s": round(lines / peer_s)},
        "ratio_to_peer": round(peer_s / service_s, 3),
        "peak_traced_mib": round(peak / 2**20, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
