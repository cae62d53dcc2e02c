"""Settlement benchmark: orders fully settled per second through the services, and a plain-SQL peer. JSON.

Each order is placed (price quoted, held in escrow, its contract drafted and signed by both sides),
delivered and accepted (escrow split among the contributors and the exchange fee, posted), through
the same service functions the API calls; the batch path settles usage under each buyer's signed
contract (set up first).
Three shapes: every step its own transaction (three requests, as a buyer and a provider make them,
each step with its ledger event), one transaction per order, and the batch path
(`order.settle_batch`: up to 1,000 orders per transaction in set-based SQL, one ledger event per
batch naming every order's hash). The peer is a plain-SQL transfer loop on the same database: per
order, the same balance updates and postings as bare statements in one transaction, with no checks,
events or idempotency. Peak memory is the process's maximum RSS; the machine's load average is
recorded beside the rates (this machine is shared). Run:

    python benchmarks/settlement.py [--orders 300] [--batch-orders 20000] [--chunk 1000] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from yaosu.auth import party_keys
from yaosu.auth.actor import Actor
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate
from yaosu.auth.service import insert_party
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.identifiers import uscc_check_char
from yaosu.market import batch, contracts, orders, service
from yaosu.market.schemas import ProductCreate
from yaosu.resources.schemas import ResourceCreate
from yaosu.resources.service import create_resource

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_settlement"
TARGET = 2_000
PURPOSE = "基准测试"


def _fresh(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = make_engine(f"{base}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    upgrade(url)


def _party(session: Session, n: int, role: Role) -> Actor:
    """A party inserted directly (no user: the benchmark acts as its system actor)."""
    body = f"91110000{n:08d}A"[:17]
    body = body[:8] + f"{n:09d}"
    data = PartyCreate(kind=PartyKind.ORGANIZATION, name=f"基准主体{n}", uscc=body + uscc_check_char(body),
                       roles=[role])
    party = insert_party(session, None, data)
    return Actor(party_id=party.id, user_id=None, roles=frozenset({role}), name=party.name)


@dataclass
class Setup:
    """An operator, a provider with a listed product, funded buyers, and each party's signing key."""

    operator: Actor
    provider: Actor
    product_id: str
    buyers: list[Actor]
    keys: dict[str, tuple[Ed25519PrivateKey, str]] = field(default_factory=dict)


def _key(session: Session, setup: Setup, actor: Actor) -> tuple[Ed25519PrivateKey, str]:
    """The party's signing key, registered on first use."""
    if actor.party_id not in setup.keys:
        key = Ed25519PrivateKey.generate()
        setup.keys[actor.party_id] = key, party_keys.add_key(session=session, actor=actor,
                                                             public_key=party_keys.public_hex(key)).id
    return setup.keys[actor.party_id]


def _sign(session: Session, setup: Setup, actor: Actor, order_id: str) -> None:
    contracts.sign_with(session, actor, order_id, _key(session, setup, actor)[0])


def _setup(sessions: sessionmaker[Session], buyers: int) -> Setup:
    """An operator, a provider with a listed product, and funded buyers each holding a signed contract
    for the product (their first order, delivered and accepted), under which the batch path settles."""
    with unit_of_work(sessions) as session:
        operator = _party(session, 1, Role.OPERATOR)
        provider = _party(session, 2, Role.PROVIDER)
        res = create_resource(session=session, actor=provider, data=ResourceCreate.model_validate({
            "title": "基准资源", "domain": "commerce", "classification": "enterprise", "grade": "general",
            "level": 2, "version": {"content_hash": "0" * 64, "row_count": 1}}))
        data = ProductCreate.model_validate({
            "title": "基准产品", "kind": "api", "sources": [res.id],
            "pricing": {"model": "per_call", "tiers": [{"up_to": 1000, "unit": 7}, {"unit": 5}]},
            "split_rule": [{"party": provider.party_id, "basis_points": 9000},
                           {"party": "exchange", "basis_points": 1000}]})
        product = service.create_product(session=session, actor=provider, data=data)
        service.sign_declaration(session=session, actor=provider, product_id=product.id,
                                 text_sha256=service.DECLARATION_SHA256)
        service.submit_product(session=session, actor=provider, product_id=product.id)
        service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="bench")
        setup = Setup(operator, provider, product.id, [_party(session, 100 + i, Role.BUYER) for i in range(buyers)])
        for buyer in setup.buyers:
            orders.deposit(session=session, actor=buyer, amount=10**9, key="bench")
            _settle(session, setup, buyer, -1)
        return setup


def _place(session: Session, setup: Setup, buyer: Actor, n: int) -> str:
    order = orders.place_order(session=session, actor=buyer, product_id=setup.product_id,
                               usage={"calls": 1 + n % 50}, client_key=f"bench-{n}", purpose=PURPOSE)
    _sign(session, setup, buyer, order.id)
    return order.id


def _deliver(session: Session, setup: Setup, order_id: str) -> None:
    _sign(session, setup, setup.provider, order_id)
    orders.deliver_order(session=session, actor=setup.provider, order_id=order_id)


def _settle(session: Session, setup: Setup, buyer: Actor, n: int) -> None:
    order_id = _place(session, setup, buyer, n)
    _deliver(session, setup, order_id)
    orders.accept_order(session=session, actor=buyer, order_id=order_id)


def services_rate(sessions: sessionmaker[Session], setup: Setup, count: int,
                  one_transaction: bool, offset: int) -> dict[str, Any]:
    """Orders settled per second through the services (each order's contract signed by both sides)."""
    started = time.perf_counter()
    for n in range(offset, offset + count):
        buyer = setup.buyers[n % len(setup.buyers)]
        if one_transaction:
            with unit_of_work(sessions) as session:
                _settle(session, setup, buyer, n)
            continue
        with unit_of_work(sessions) as session:
            order_id = _place(session, setup, buyer, n)
        with unit_of_work(sessions) as session:
            _deliver(session, setup, order_id)
        with unit_of_work(sessions) as session:
            orders.accept_order(session=session, actor=buyer, order_id=order_id)
    seconds = time.perf_counter() - started
    return {"orders": count, "seconds": round(seconds, 3), "orders_per_s": round(count / seconds)}


def batch_rate(sessions: sessionmaker[Session], setup: Setup, count: int, chunk: int) -> dict[str, Any]:
    """Orders settled per second through `order.settle_batch`, `chunk` orders per transaction."""
    buyers = setup.buyers
    started = time.perf_counter()
    for start in range(0, count, chunk):
        items = [batch.BatchItem(buyers[n % len(buyers)].party_id, {"calls": 1 + n % 50}, f"batch-{n}")
                 for n in range(start, min(start + chunk, count))]
        with unit_of_work(sessions) as session:
            batch.settle_batch(session=session, actor=setup.operator, product_id=setup.product_id, items=items)
    seconds = time.perf_counter() - started
    return {"orders": count, "chunk": chunk, "seconds": round(seconds, 3), "orders_per_s": round(count / seconds)}


def plain_sql_rate(url: str, count: int) -> dict[str, Any]:
    """The peer: the same balance updates and postings per order as bare SQL in one transaction."""
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    cur = conn.cursor()
    cur.execute("CREATE TEMP TABLE acct (id int PRIMARY KEY, balance bigint NOT NULL)")
    cur.execute("CREATE TEMP TABLE post (id bigserial PRIMARY KEY, entry int, acct int, amount bigint)")
    cur.execute("INSERT INTO acct VALUES (1, 1000000000000), (2, 0), (3, 0), (4, 0)")
    conn.commit()
    started = time.perf_counter()
    for n in range(count):
        price = 7 * (1 + n % 50)
        fee = price // 10
        for acct, amount in ((1, -price), (2, price), (2, -price), (3, price - fee), (4, fee)):
            cur.execute("UPDATE acct SET balance = balance + %s WHERE id = %s", (amount, acct))
            cur.execute("INSERT INTO post (entry, acct, amount) VALUES (%s, %s, %s)", (n, acct, amount))
        conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return {"orders": count, "seconds": round(seconds, 3), "orders_per_s": round(count / seconds)}


def main() -> None:
    """Run both shapes and the peer; print one JSON document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300, help="orders through the per-order services")
    parser.add_argument("--batch-orders", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--pg", default=PG_DEFAULT)
    args = parser.parse_args()
    _fresh(args.pg)
    load_before = os.getloadavg()[0]
    engine = make_engine(args.pg)
    sessions = session_factory(engine)
    setup = _setup(sessions, buyers=50)
    per_request = services_rate(sessions, setup, args.orders, one_transaction=False, offset=0)
    per_order = services_rate(sessions, setup, args.orders, one_transaction=True, offset=args.orders)
    bulk = batch_rate(sessions, setup, args.batch_orders, args.chunk)
    peer = plain_sql_rate(args.pg, args.orders)
    engine.dispose()
    print(json.dumps({
        "target_orders_per_s": TARGET, "batch_settlement": bulk, "target_met": bulk["orders_per_s"] >= TARGET,
        "three_transactions_per_order": per_request, "one_transaction_per_order": per_order,
        "peer_plain_sql": peer,
        "ratio_to_peer": {"batch": round(bulk["orders_per_s"] / peer["orders_per_s"], 3),
                          "three_transactions": round(per_request["orders_per_s"] / peer["orders_per_s"], 3),
                          "one_transaction": round(per_order["orders_per_s"] / peer["orders_per_s"], 3)},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": {"cpus": os.cpu_count(), "load_1m_before": round(load_before, 2),
                    "load_1m_after": round(os.getloadavg()[0], 2)},
    }, indent=2))


if __name__ == "__main__":
    main()
