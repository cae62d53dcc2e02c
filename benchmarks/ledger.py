"""Ledger benchmark: appends/s through `ledger.append`, proofs/s at 1M leaves, checkpoint latency. Prints JSON.

Run: .venv/bin/python benchmarks/ledger.py [--events 20000] [--leaves 1000000] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from yaosu.auth.actor import Actor
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.keys import ExchangeKeys, load_or_create_keys
from yaosu.ledger import Event, append, merkle, tiles, tree
from yaosu.ledger.checkpoints import CheckpointPublisher, issue_checkpoint, latest_checkpoint

BATCH = 100
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_ledger"
ACTOR = Actor(party_id="01BENCHPARTY00000000000000", user_id=None, roles=frozenset(), name="bench")


def _pg_fresh(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = make_engine(f"{base}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def bench_appends(sessions: sessionmaker[Session], events: int) -> dict[str, Any]:
    """Append `events` events in committed transactions of 100; return the sustained rate."""
    started = time.perf_counter()
    for batch in range(events // BATCH):
        with unit_of_work(sessions) as session:
            for i in range(BATCH):
                append(session, ACTOR, Event(type="bench.event", subject_type="bench",
                                             subject_id=f"{batch}-{i}", payload={"n": batch * BATCH + i}))
    elapsed = time.perf_counter() - started
    return {"events": events, "seconds": round(elapsed, 3), "appends_per_s": round(events / elapsed)}


def fill_to(sessions: sessionmaker[Session], leaves: int) -> int:
    """Append events (in transactions of 1,000) until the log has `leaves` leaves; return its size."""
    with unit_of_work(sessions) as session:
        size = tree.tree_size(session)
    while size < leaves:
        with unit_of_work(sessions) as session:
            for i in range(min(1000, leaves - size)):
                append(session, ACTOR, Event(type="bench.fill", subject_type="bench", subject_id=str(size + i)))
        with unit_of_work(sessions) as session:
            size = tree.tree_size(session)
    return size


def _proofs(session: Session, size: int, root: bytes, indices: list[int]) -> float:
    """Prove and verify leaf `i` for every i in `indices`; return the elapsed seconds."""
    started = time.perf_counter()
    for index in indices:
        proof = tree.prove_inclusion(session, index, size)
        leaf = tree.with_nodes(session, lambda node: node(0, index))  # noqa: B023  (called at once)
        assert merkle.verify_inclusion(index, size, leaf, proof, root)
    return time.perf_counter() - started


def bench_db_proofs(sessions: sessionmaker[Session], leaves: int, rounds: int = 20_000) -> dict[str, Any]:
    """Inclusion proofs of random leaves of a `leaves`-leaf log, generated through `tree` and verified:
    cold (empty subtree cache), then warm (every tile read once), with the cache's memory and the process RSS."""
    size = fill_to(sessions, leaves)
    tiles.clear_all()
    rng = random.Random(7)
    with unit_of_work(sessions) as session:
        root = tree.root_at(session, size)
        cold_n = min(2_000, rounds)
        cold = _proofs(session, size, root, [rng.randrange(size) for _ in range(cold_n)])
        _proofs(session, size, root, list(range(0, size, tiles.TILE_WIDTH)))  # warm: one proof per tile
        warm = _proofs(session, size, root, [rng.randrange(size) for _ in range(rounds)])
        cache = tiles.cache_for(tree.database_key(session))
    return {"tree_size": size, "cold_proofs_per_s": round(cold_n / cold), "proofs_per_s": round(rounds / warm),
            "cache_mib": round(cache.bytes_used() / 2**20, 1), "peak_rss_mib": _peak_rss_mib()}


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_kernel_proofs(leaves: int, rounds: int = 20000) -> dict[str, Any]:
    """Inclusion proof generation + verification over stored subtree hashes (in memory) at `leaves` leaves."""
    levels = [[merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(leaves)]]
    while len(levels[-1]) >= 2:
        below = levels[-1]
        levels.append([merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def node(level: int, index: int) -> bytes:
        return levels[level][index]

    root = merkle.root(leaves, node)
    started = time.perf_counter()
    for _ in range(rounds):
        index = random.randrange(leaves)
        proof = merkle.inclusion_proof(index, leaves, node)
        assert merkle.verify_inclusion(index, leaves, levels[0][index], proof, root)
    elapsed = time.perf_counter() - started
    return {"tree_size": leaves, "proofs_per_s": round(rounds / elapsed)}


def bench_checkpoints(sessions: sessionmaker[Session], keys: ExchangeKeys) -> dict[str, Any]:
    """On-demand signing latency, and the publisher's delay from a committed append to its checkpoint."""
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        issue_checkpoint(session, keys, "bench/log")
    on_demand = time.perf_counter() - started
    publisher = CheckpointPublisher(sessions, keys, "bench/log", interval=0.25)
    publisher.start()
    delays = []
    try:
        for _ in range(5):
            with unit_of_work(sessions) as session:
                append(session, ACTOR, Event(type="bench.event", subject_type="bench", subject_id="cp"))
                target = int(session.scalar(text("SELECT size FROM ledger_head WHERE id = 1")) or 0)
            committed = time.perf_counter()
            while True:
                with unit_of_work(sessions) as session:
                    cp = latest_checkpoint(session)
                if cp is not None and cp.size >= target:
                    break
                time.sleep(0.005)
            delays.append(time.perf_counter() - committed)
    finally:
        publisher.stop()
    return {"on_demand_s": round(on_demand, 4), "publisher_max_s": round(max(delays), 3),
            "publisher_mean_s": round(sum(delays) / len(delays), 3)}


def run_backend(engine: Engine, keys: ExchangeKeys, events: int, leaves: int) -> dict[str, Any]:
    """Appends, database proofs and checkpoint latency on one database."""
    sessions = session_factory(engine)
    result = {"append": bench_appends(sessions, events), "db_proofs": bench_db_proofs(sessions, leaves),
              "checkpoint": bench_checkpoints(sessions, keys)}
    engine.dispose()
    return result


# Published append rates of the peers the issue names; neither runs here (both are Go services), so these are
# anchors, not same-run measurements. The same-run comparison is the cache against the database path.
ANCHORS = {"tessera_posix_appends_per_s": 2_900, "trillian_mysql_appends_per_s": 450}


def _peers(out: dict[str, Any]) -> dict[str, Any]:
    """Ratios: our appends against the published anchors, and warm (cached) against cold (database) proofs."""
    peers: dict[str, Any] = {"published_anchors": ANCHORS}
    for backend in ("sqlite", "postgresql"):
        if backend not in out:
            continue
        rate = out[backend]["append"]["appends_per_s"]
        proofs = out[backend]["db_proofs"]
        peers[backend] = {
            "appends_vs_tessera": round(rate / ANCHORS["tessera_posix_appends_per_s"], 1),
            "appends_vs_trillian": round(rate / ANCHORS["trillian_mysql_appends_per_s"], 1),
            "cached_vs_database_proofs": round(proofs["proofs_per_s"] / proofs["cold_proofs_per_s"], 1),
        }
    return peers


def main() -> None:
    """Run every benchmark and print one JSON document."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL URL ('' to skip)")
    args = parser.parse_args()
    out: dict[str, Any] = {"targets": {"sqlite_appends_per_s": 10_000, "postgres_appends_per_s": 5_000,
                                       "proofs_per_s_at_1M": 20_000, "checkpoint_latency_s": 1.0}}
    with tempfile.TemporaryDirectory() as tmp:
        keys = load_or_create_keys(Path(tmp))
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        out["sqlite"] = run_backend(make_engine(url), keys, args.events, args.leaves)
        if args.pg:
            _pg_fresh(args.pg)
            upgrade(args.pg)
            out["postgresql"] = run_backend(make_engine(args.pg), keys, args.events, args.leaves)
    out["kernel_proofs"] = bench_kernel_proofs(args.leaves)
    out["peers"] = _peers(out)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
