"""Test database (SQLite by default, PostgreSQL via YAOSU_TEST_DATABASE_URL), one rolled-back transaction per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Factory
from yaosu import clock
from yaosu.api.app import create_app
from yaosu.auth.actor import Actor
from yaosu.bootstrap import ensure_operator
from yaosu.config import Settings
from yaosu.db.engine import make_engine
from yaosu.db.migrate import upgrade
from yaosu.keys import ExchangeKeys, load_or_create_keys
from yaosu.ledger import tiles
from yaosu.runtime import Runtime, system_actor

PG_URL_ENV = "YAOSU_TEST_DATABASE_URL"


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (`NAME_gw0`, …), created on first use, so
    parallel workers never reset each other's schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base, _, name = url.rpartition("/")
    own = f"{name}_{worker}"
    admin = make_engine(f"{base}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{own}"'))
    admin.dispose()
    return f"{base}/{own}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly migrated database URL for this test run (one per xdist worker on PostgreSQL)."""
    url = os.environ.get(PG_URL_ENV) or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if url.startswith("postgresql"):
        url = _worker_database(url)
        _reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def is_postgres(db_url: str) -> bool:
    return db_url.startswith("postgresql")


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> ExchangeKeys:
    return load_or_create_keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection whose outer transaction is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()
            tiles.clear_all()  # the cache holds only committed hashes; this rollback undoes "committed" ones


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions bound to the test connection; their commits only release savepoints."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    s = sessions()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~50 ms a hash; tests use the minimum cost (same code path)."""
    from argon2 import PasswordHasher

    from yaosu.auth import service

    real = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    service._hasher = real


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture
def runtime(tmp_path: Path, engine: Engine, sessions: sessionmaker[Session], keys: ExchangeKeys,
            db_url: str) -> Runtime:
    settings = Settings(data_dir=tmp_path, database_url=db_url)
    return Runtime(settings=settings, engine=engine, sessions=sessions, keys=keys)


@pytest.fixture
def operator(session: Session, runtime: Runtime) -> Actor:
    """The exchange operator (system actor), created as on first start."""
    ensure_operator(session, runtime)
    session.flush()
    return system_actor(session)


@pytest.fixture
def factory(session: Session, operator: Actor) -> Factory:
    """Creates parties, users and resources through the public services."""
    return Factory(session=session, operator=operator)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as c:
        yield c


@pytest.fixture
def committing_url(tmp_path: Path, db_url: str) -> Iterator[str]:
    """A migrated database of the run's backend that commits for real (not the rolled-back test connection)."""
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'concurrent.db'}"
        upgrade(url)
        yield url
        return
    base, _, name = db_url.rpartition("/")
    admin = make_engine(f"{base}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    fresh = f"{name}_concurrent"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}"'))
        conn.execute(text(f'CREATE DATABASE "{fresh}"'))
    upgrade(f"{base}/{fresh}")
    yield f"{base}/{fresh}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
    admin.dispose()
