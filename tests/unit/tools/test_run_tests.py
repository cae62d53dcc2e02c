"""`make test` / `.ci/run` refuse to pass when PostgreSQL is required but unreachable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RUNNER = Path(__file__).resolve().parents[3] / "tools" / "run_tests.py"
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def test_required_postgres_unreachable_fails_before_running_anything() -> None:
    env = dict(os.environ, YAOSU_REQUIRE_POSTGRES="1")
    done = subprocess.run([sys.executable, str(RUNNER), "--postgres-url", NOWHERE], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "PostgreSQL is required here but unreachable" in done.stdout
    assert "=== tests on" not in done.stdout
