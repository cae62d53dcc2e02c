"""The settlement job (`yaosu order settle-batch`) killed with SIGKILL mid-batch: the books are consistent after
it, and running the job again finishes it, settling every order exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.factories import Factory
from tests.integration.settlement.flows import funded_buyer, listed_product, under_contract
from tests.integration.settlement.test_journal import _invariants
from yaosu.bootstrap import ensure_operator
from yaosu.cli.main import app
from yaosu.config import Settings
from yaosu.db.engine import make_engine, unit_of_work
from yaosu.market.models import Order
from yaosu.runtime import Runtime, system_actor
from yaosu.settlement.journal import account_id, balance
from yaosu.settlement.models import AccountKind, JournalEntry

ORDERS, CHUNK, BUYERS = 1_500, 100, 5


def _job(data_dir: Path, url: str, product_id: str, items: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "YAOSU_DATABASE_URL": url}
    return subprocess.Popen([sys.executable, "-c", "from yaosu.cli.main import app; app(prog_name='yaosu')",
                             "order", "settle-batch", product_id, str(items),
                             "--chunk", str(CHUNK), "--data-dir", str(data_dir)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _writing(url: str) -> bool:
    """Wait (up to 10 s) until another connection to this PostgreSQL database has written in an open
    transaction — the job is mid-chunk; False on SQLite, where the test kills right after a commit line."""
    if not url.startswith("postgresql"):
        return False
    engine = make_engine(url)
    deadline = time.monotonic() + 10
    try:
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                if conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")):
                    return True
                conn.rollback()
        return False
    finally:
        engine.dispose()


def _consistent(session: Session, provider: str) -> int:
    """The books balance and every order on them is wholly settled; returns how many the job settled."""
    _invariants(session)
    count = session.scalar(select(func.count()).select_from(Order)) or 0
    metered = session.scalar(select(func.count()).select_from(Order).where(Order.delivery_note == "metered")) or 0
    entries = dict(session.execute(select(JournalEntry.kind, func.count()).where(JournalEntry.reference.is_not(None))
                                   .group_by(JournalEntry.kind)).all())
    assert metered % CHUNK == 0 and count == metered + BUYERS  # a chunk is all or nothing; plus the contracts
    assert entries.get("hold", 0) == entries.get("release", 0) == count
    paid = session.scalar(select(func.coalesce(func.sum(Order.price), 0))) or 0
    earned = balance(session, account_id(session, provider, AccountKind.AVAILABLE)) + balance(
        session, account_id(session, None, AccountKind.FEE_INCOME))
    assert earned == paid and session.scalar(select(func.count()).select_from(Order)
                                             .where(Order.status != "settled")) == 0
    return int(metered)


def test_a_settlement_job_killed_mid_batch_is_finished_once_by_the_next_run(committing_url: str,
                                                                           tmp_path: Path) -> None:
    runtime = Runtime.from_settings(Settings(data_dir=tmp_path, database_url=committing_url))
    with unit_of_work(runtime.sessions) as session:
        ensure_operator(session, runtime)
        operator = system_actor(session)
        factory = Factory(session=session, operator=operator)
        provider, product = listed_product(session, factory, operator)
        people = [funded_buyer(session, factory, 10_000_000) for _ in range(BUYERS)]
        for buyer in people:  # the contracts under which the job settles usage
            under_contract(session, buyer, provider, product)
        buyers = [b.party_id for b in people]
    items = tmp_path / "usage.jsonl"
    items.write_text("".join(json.dumps({"buyer": buyers[n % BUYERS], "usage": {"calls": 1 + n % 4}, "key": f"m{n}"})
                             + "\n" for n in range(ORDERS)), encoding="utf-8")

    job = _job(tmp_path, committing_url, product.id, items)
    assert job.stderr is not None
    for _ in range(3):  # three chunks committed; the fourth is under way
        assert "settled" in job.stderr.readline()
    assert _writing(committing_url) == committing_url.startswith("postgresql")
    os.kill(job.pid, signal.SIGKILL)
    job.wait(timeout=30)
    assert job.returncode == -signal.SIGKILL
    with unit_of_work(runtime.sessions) as session:
        before = _consistent(session, provider.party_id)
    assert 3 * CHUNK <= before < ORDERS

    again = _job(tmp_path, committing_url, product.id, items)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"settled now {ORDERS - before}, before {before}" in out
    with unit_of_work(runtime.sessions) as session:
        assert _consistent(session, provider.party_id) == ORDERS
        keys = session.scalar(select(func.count(func.distinct(Order.client_key)))
                              .where(Order.delivery_note == "metered"))
    assert keys == ORDERS
    runtime.dispose()


def test_a_bad_line_stops_the_job_before_anything_is_written(tmp_path: Path) -> None:
    items = tmp_path / "usage.jsonl"
    items.write_text('{"buyer": "b", "usage": {"calls": 1}, "key": "k1"}\n{"buyer": "b", "usage": 3}\n',
                     encoding="utf-8")
    result = CliRunner().invoke(app, ["order", "settle-batch", "P", str(items), "--data-dir", str(tmp_path / "x")])
    assert result.exit_code == 2 and "usage.jsonl:2" in result.output
    assert not (tmp_path / "x").exists()  # refused before the runtime (and its database) was opened
