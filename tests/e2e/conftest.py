"""Browser tests: a live portal on a free port over a fresh SQLite data dir, driven by Debian's chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.factories import make_uscc
from yaosu.api.app import create_app
from yaosu.auth import service as auth
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate, UserCreate
from yaosu.bootstrap import setup
from yaosu.config import Settings
from yaosu.db.engine import unit_of_work
from yaosu.runtime import Runtime, system_actor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SKIP_REASON = "chromium not installed: apt-get install chromium"


@dataclass(frozen=True)
class LivePortal:
    """A running portal and the provider login created for the test."""

    base_url: str
    runtime: Runtime
    username: str
    password: str


def _browser_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not importable"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _create_provider(runtime: Runtime, username: str, password: str) -> None:
    with unit_of_work(runtime.sessions) as session:
        operator = system_actor(session)
        party = auth.create_party(session=session, actor=operator, data=PartyCreate(
            kind=PartyKind.ORGANIZATION, name="宁波港口数据有限公司", uscc=make_uscc(4242),
            roles=[Role.PROVIDER]))
        auth.create_user(session=session, actor=operator, data=UserCreate(
            party_id=party.id, username=username, display_name="港口数据管理员", password=password))


@pytest.fixture
def live_portal(tmp_path: Path) -> Iterator[LivePortal]:
    """The real app under uvicorn in a background thread, over its own fresh SQLite database."""
    runtime = Runtime.from_settings(Settings(data_dir=tmp_path / "data", database_url=None))
    setup(runtime)
    _create_provider(runtime, "port-data", "harbour-secret-2026")
    port = _free_port()
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-portal", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live portal did not start")
        time.sleep(0.05)
    try:
        yield LivePortal(f"http://127.0.0.1:{port}", runtime, "port-data", "harbour-secret-2026")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        runtime.dispose()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's headless chromium through Playwright; skipped (or failed in CI) when it is not installed."""
    problem = _browser_problem()
    if problem is not None:
        if os.environ.get("YAOSU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here but cannot run: {problem}")
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
