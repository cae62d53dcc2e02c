"""Buyers' calls in parallel threads, each with its own connection, on one order: the count is never overspent."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, signed_order
from tests.unit.sandbox.fixtures import AGG, people
from yaosu.auth.actor import Actor
from yaosu.bootstrap import ensure_operator
from yaosu.config import Settings
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.errors import PolicyViolation
from yaosu.keys import ExchangeKeys
from yaosu.node import service as node_service
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime, system_actor
from yaosu.sandbox import metering, service

CALLS, CLIENTS = 5, 8


def _deal(sessions: sessionmaker[Session], runtime: Runtime, vault: Vault, tmp_path: Path) -> tuple[str, Actor]:
    with unit_of_work(sessions) as session:
        ensure_operator(session, runtime)
        session.flush()
        operator = system_actor(session)
        order, buyer, provider = signed_order(session, Factory(session=session, operator=operator), operator,
                                              kind="sandbox", usage={"calls": CALLS})
        pq.write_table(people(), tmp_path / "people.parquet")
        dataset = node_service.add_dataset(session=session, actor=provider, vault=vault,
                                           location=str(tmp_path / "people.parquet"))
        service.configure_product(session=session, actor=provider, vault=vault, product_id=order.product_id,
                                  dataset_id=dataset.id, rule=AGG.model_dump(mode="json"))
        return order.id, buyer


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
    order_id, buyer = _deal(sessions, runtime, Vault.for_data_dir(tmp_path), tmp_path)
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
