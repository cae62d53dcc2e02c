"""Secrets are generated once, stored 0600, never returned by the API, never logged."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yaosu.bootstrap import setup
from yaosu.config import Settings
from yaosu.keys import load_or_create_keys
from yaosu.runtime import Runtime


def test_keys_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_keys(tmp_path)
    second = load_or_create_keys(tmp_path)
    assert first.public_key_pem() == second.public_key_pem()
    for name in ("exchange-ed25519.pem", "web-session.secret"):
        mode = stat.S_IMODE((tmp_path / "keys" / name).stat().st_mode)
        assert mode == 0o600, f"{name} has mode {oct(mode)}"
    assert "PRIVATE" not in repr(first) and first.session_secret not in repr(first)


def test_first_start_writes_admin_password_0600_and_logs_no_secret(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runtime = Runtime.from_settings(Settings(data_dir=tmp_path))
    try:
        with caplog.at_level(logging.DEBUG):
            result = setup(runtime)
            again = setup(runtime)
        assert result.created and not again.created
        assert result.admin_password_file is not None
        password = result.admin_password_file.read_text().strip()
        assert stat.S_IMODE(result.admin_password_file.stat().st_mode) == 0o600
        private_pem = (tmp_path / "keys" / "exchange-ed25519.pem").read_text()
        logged = caplog.text
        assert password not in logged and private_pem.splitlines()[1] not in logged
    finally:
        runtime.dispose()


def test_api_publishes_only_the_public_key(client: TestClient, runtime: Runtime) -> None:
    body = client.get("/api/v1/exchange").json()
    assert body["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    text = str(body)
    assert "PRIVATE" not in text and runtime.keys.session_secret not in text
    spec = client.get("/api/v1/openapi.json").text
    assert "PRIVATE KEY" not in spec
