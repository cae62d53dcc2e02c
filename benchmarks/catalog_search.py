"""Catalog search benchmark: bulk-load N resources, time `search_catalog` against a naive LIKE scan.

    python benchmarks/catalog_search.py --sqlite --postgres-url URL [--resources 100000] [--queries 500]
                                        [--json-out FILE]

Each database runs in its own child process so its peak RSS is its own. PostgreSQL uses a dedicated
database `bench` on the given server (created if missing; only its `public` schema is reset).
Prints one JSON document to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import resource as rusage
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_corpus import Entry, QuerySpec, entry, holders, query_mix
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate
from yaosu.auth.service import insert_party
from yaosu.catalog.index import searchable_text
from yaosu.catalog.models import CatalogTerm, CatalogText
from yaosu.catalog.schemas import CatalogQuery
from yaosu.catalog.service import search_catalog
from yaosu.catalog.terms import index_terms
from yaosu.db.engine import make_engine
from yaosu.db.migrate import upgrade
from yaosu.identifiers import USCC_ALPHABET, uscc_check_char
from yaosu.ids import new_id
from yaosu.resources.models import Resource, ResourceVersion
from yaosu.resources.policies import PUBLIC_STATUSES
from yaosu.resources.schemas import ResourceCreate
from yaosu.resources.service import create_resource

CHUNK = 1000
TARGET_P95_MS = 50.0
BENCH_DB = "bench"


def _uscc(rng: random.Random) -> str:
    body = rng.choice("159") + rng.choice("123") + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def prepare_postgres(server_url: str, reuse: bool = False) -> str:
    """The URL of a fresh `bench` database on the server of `server_url` (created if missing)."""
    url = make_url(server_url)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": BENCH_DB}) is None:
            conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin.dispose()
    bench_url = url.set(database=BENCH_DB).render_as_string(hide_password=False)
    if reuse:
        return bench_url
    engine = make_engine(bench_url)
    with engine.begin() as conn:  # only inside `bench`
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return bench_url


def existing_parties(engine: Engine) -> tuple[str, list[str]]:
    """The operator and holders of an already loaded database, in creation order."""
    with Session(engine) as session:
        ids = list(session.scalars(select(Party.id).order_by(Party.created_at, Party.id)))
    return ids[0], ids[1:]


def create_parties(engine: Engine) -> tuple[str, list[str]]:
    """The operator and the holders, through the party service's insert (with their ledger events)."""
    rng = random.Random(3)
    with Session(engine) as session:
        operator = insert_party(session, None, PartyCreate(kind=PartyKind.ORGANIZATION, name="要素数据交易所",
                                                           uscc=_uscc(rng), roles=[Role.OPERATOR]))
        ids = []
        for h in holders():
            kind = PartyKind(h.kind)
            party = insert_party(session, None, PartyCreate(
                kind=kind, name=h.name, uscc=_uscc(rng) if kind == PartyKind.ORGANIZATION else None,
                roles=[Role.PROVIDER]))
            ids.append(party.id)
        session.commit()
        return operator.id, ids


Row = dict[str, Any]


def resource_rows(e: Entry, holder_id: str) -> tuple[Row, Row, Row, list[Row]]:
    """The resource, version, catalog text and catalog term rows the resource service writes for `e`."""
    rid = new_id()
    row = {"id": rid, "holder_party_id": holder_id, "title": e.title, "description": e.description,
           "domain": e.domain, "source_system": "", "update_frequency": e.update_frequency,
           "time_span_start": e.time_span_start, "time_span_end": e.time_span_end, "tags": e.tags,
           "classification": e.classification, "grade": e.grade, "level": e.level,
           "open_condition": e.open_condition, "data_item_code": None, "status": e.status,
           "current_version": 1, "created_at": e.created_at, "updated_at": e.updated_at}
    version = {"id": new_id(), "resource_id": rid, "number": 1, "schema_fields": [], "row_count": 1000,
               "content_hash": hashlib.sha256(rid.encode()).hexdigest(), "created_at": e.created_at}
    body = searchable_text(Resource(title=e.title, description=e.description, tags=e.tags))
    terms = [{"term": t, "resource_id": rid} for t in sorted(index_terms(body))]
    return row, version, {"resource_id": rid, "text": body}, terms


def bulk_load(engine: Engine, n: int, holder_ids: list[str], seed: int) -> int:
    """Insert `n` generated resources with their index rows in chunks; returns the number of term rows."""
    rng, all_holders, term_rows = random.Random(seed), holders(), 0
    for start in range(0, n, CHUNK):
        batch = [resource_rows(e, holder_ids[e.holder_index])
                 for e in (entry(rng, all_holders) for _ in range(min(CHUNK, n - start)))]
        terms = sorted((t for b in batch for t in b[3]), key=lambda r: (r["term"], r["resource_id"]))
        with engine.begin() as conn:
            conn.execute(insert(Resource.__table__), [b[0] for b in batch])
            conn.execute(insert(ResourceVersion.__table__), [b[1] for b in batch])
            conn.execute(insert(CatalogText.__table__), [b[2] for b in batch])
            conn.execute(insert(CatalogTerm.__table__), terms)
        term_rows += len(terms)
    return term_rows


def check_loader(engine: Engine, holder_id: str, seed: int) -> bool:
    """Create a few resources through the resource service and compare its index rows with the loader's."""
    rng, all_holders = random.Random(seed + 1), holders()
    actor = Actor(party_id=holder_id, user_id=None, roles=frozenset({Role.PROVIDER}), name="bench")
    with Session(engine) as session:
        for i in range(5):
            e = entry(rng, all_holders)
            data = ResourceCreate.model_validate({
                "title": e.title, "description": e.description, "domain": e.domain, "tags": e.tags,
                "classification": "enterprise", "grade": e.grade, "level": e.level or None,
                "update_frequency": e.update_frequency,
                "version": {"content_hash": hashlib.sha256(f"check{i}".encode()).hexdigest(),
                            "row_count": 1}})
            made = create_resource(session=session, actor=actor, data=data)
            session.flush()
            _, _, text_row, term_rows = resource_rows(e, holder_id)
            stored = select(CatalogTerm.term).where(CatalogTerm.resource_id == made.id)
            stored_terms = set(session.scalars(stored))
            stored_text = session.get(CatalogText, made.id)
            if stored_terms != {t["term"] for t in term_rows} or stored_text is None \
                    or stored_text.text != text_row["text"]:
                return False
        session.rollback()
    return True


def _actor(spec: QuerySpec, operator_id: str, holder_ids: list[str]) -> Actor:
    if spec.actor == "operator":
        return Actor.system(operator_id)
    if spec.actor == "holder":
        pid = holder_ids[spec.actor_holder]
        return Actor(party_id=pid, user_id="bench", roles=frozenset({Role.PROVIDER}), name="bench")
    return Actor.anonymous()


def _query(spec: QuerySpec, holder_ids: list[str]) -> CatalogQuery:
    holder = holder_ids[spec.holder_index] if spec.holder_index is not None else None
    return CatalogQuery.model_validate({"q": spec.q, "domain": spec.domain, "holder_party_id": holder,
                                        "classification": spec.classification, "page": spec.page})


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99/max (nearest rank) in milliseconds."""
    ordered = sorted(samples_ms)

    def rank(p: float) -> float:
        return round(ordered[max(0, math.ceil(p * len(ordered)) - 1)], 3)

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99), "max_ms": round(ordered[-1], 3)}


def run_yaosu(engine: Engine, specs: list[QuerySpec], operator_id: str,
              holder_ids: list[str]) -> tuple[list[float], dict[str, list[float]], int]:
    """Time every query through `search_catalog` (a session per query, as a request would)."""
    samples: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    hits = 0
    for spec in specs:
        actor, query = _actor(spec, operator_id, holder_ids), _query(spec, holder_ids)
        started = time.perf_counter()
        with Session(engine) as session:
            page = search_catalog(session=session, actor=actor, query=query)
        elapsed = (time.perf_counter() - started) * 1000
        samples.append(elapsed)
        by_kind[spec.kind].append(elapsed)
        hits += page.total
    return samples, by_kind, hits


def run_like(engine: Engine, specs: list[QuerySpec], holder_ids: list[str]) -> list[float]:
    """The naive peer: count + first page of `lower(title||description) LIKE '%q%'` over public rows."""
    samples: list[float] = []
    for spec in specs:
        haystack = func.lower(Resource.title + " " + Resource.description)
        conditions = [haystack.contains(spec.q.lower(), autoescape=True),
                      Resource.status.in_(sorted(PUBLIC_STATUSES))]
        if spec.domain:
            conditions.append(Resource.domain == spec.domain)
        started = time.perf_counter()
        with Session(engine) as session:
            session.scalar(select(func.count()).select_from(Resource).where(*conditions))
            list(session.execute(select(Resource.id, Resource.title).where(*conditions)
                                 .order_by(Resource.updated_at.desc(), Resource.id.desc())
                                 .limit(20).offset((spec.page - 1) * 20)))
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def worker(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Load, check and measure one database; returns its report."""
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        loaded = session.scalar(select(func.count()).select_from(Resource)) or 0
    if args.reuse and loaded:
        operator_id, holder_ids = existing_parties(engine)
        term_rows = -1
    else:
        operator_id, holder_ids = create_parties(engine)
        term_rows = bulk_load(engine, args.resources, holder_ids, args.seed)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    load_seconds = time.perf_counter() - started
    loader_ok = check_loader(engine, holder_ids[0], args.seed)
    specs = query_mix(args.queries, len(holder_ids), seed=args.seed)
    run_yaosu(engine, specs[:20], operator_id, holder_ids)  # warm caches and statement cache
    samples, by_kind, hits = run_yaosu(engine, specs, operator_id, holder_ids)
    tracemalloc.start()
    run_yaosu(engine, specs[:50], operator_id, holder_ids)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    like_specs = [s for s in specs if s.q][: args.like_queries]
    like = percentiles(run_like(engine, like_specs, holder_ids))
    yaosu_stats = percentiles(samples)
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(Resource))
    engine.dispose()
    return {
        "database": kind, "resources": rows, "index_term_rows": term_rows,
        "load_seconds": round(load_seconds, 1),
        "loader_matches_service": loader_ok, "queries": len(samples), **yaosu_stats,
        "target_p95_ms": TARGET_P95_MS, "target_met": yaosu_stats["p95_ms"] <= TARGET_P95_MS,
        "mean_total_hits": round(hits / max(1, len(samples)), 1),
        "by_kind": {k: {"count": len(v), **percentiles(v)} for k, v in sorted(by_kind.items())},
        "peak_rss_mb": round(rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "query_traced_peak_kb": round(traced_peak / 1024, 1),
        "like_peer": {"queries": len(like_specs), **like},
        "ratio_yaosu_p95_to_like_p95": round(yaosu_stats["p95_ms"] / like["p95_ms"], 3),
    }


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="benchmark SQLite (a file in a temp directory)")
    parser.add_argument("--postgres-url", help="a PostgreSQL server URL; the database `bench` is used")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--like-queries", type=int, default=100, help="queries for the naive LIKE peer")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--sqlite-path", type=Path, help="keep the SQLite database in this file")
    parser.add_argument("--reuse", action="store_true", help="measure databases already loaded (no reload)")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    return parser.parse_args()


def _child(kind: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, "--url", url, "--resources", str(args.resources),
           "--queries", str(args.queries), "--like-queries", str(args.like_queries), "--seed", str(args.seed),
           *(["--reuse"] if args.reuse else [])]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"database": kind, "error": done.stderr[-4000:]}
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def main() -> int:
    """Run the benchmark on each requested database and print the JSON report."""
    args = _parse()
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, args), ensure_ascii=False))
        return 0
    if not args.sqlite and not args.postgres_url:
        print("choose --sqlite and/or --postgres-url", file=sys.stderr)
        return 2
    reports = []
    with tempfile.TemporaryDirectory(prefix="yaosu-bench-") as tmp:
        if args.sqlite:
            path = args.sqlite_path or Path(tmp) / "bench.db"
            if not args.reuse:
                path.unlink(missing_ok=True)
            reports.append(_child("sqlite", f"sqlite:///{path.resolve()}", args))
        if args.postgres_url:
            reports.append(_child("postgres", prepare_postgres(args.postgres_url, args.reuse), args))
    out = {"benchmark": "catalog_search", "resources": args.resources, "queries": args.queries,
           "seed": args.seed, "python": sys.version.split()[0], "databases": reports}
    doc = json.dumps(out, ensure_ascii=False, indent=2)
    print(doc)
    if args.json_out:
        args.json_out.write_text(doc + "\n", encoding="utf-8")
    return 0 if all("error" not in r for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
