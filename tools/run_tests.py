"""Run the whole suite: SQLite (with browser tests), then PostgreSQL; say plainly what was skipped and why.

YAOSU_REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable PostgreSQL into a failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def postgres_problem(url: str) -> str | None:
    """Why PostgreSQL at `url` cannot be used, or None if it answers."""
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means "not usable here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def run_pytest(label: str, env: dict[str, str], extra: list[str]) -> tuple[int, dict[str, int]]:
    """Run pytest once; return its exit code and the counts from its JUnit report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        print(f"\n=== tests on {label} ===", flush=True)
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *extra], env=env)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if report.exists():
            for suite in ET.parse(report).getroot().iter("testsuite"):
                for key in counts:
                    counts[key] += int(suite.get(key, 0))
        return code, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-url", required=True)
    args = parser.parse_args()
    require_pg = os.environ.get("YAOSU_REQUIRE_POSTGRES") == "1"
    notes: list[str] = []
    base_env = {k: v for k, v in os.environ.items() if k != "YAOSU_TEST_DATABASE_URL"}

    codes: list[int] = []
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    code, counts = run_pytest("SQLite (embedded)", base_env, [])
    codes.append(code)
    for k in totals:
        totals[k] += counts[k]

    problem = postgres_problem(args.postgres_url)
    if problem is None:
        env = dict(base_env, YAOSU_TEST_DATABASE_URL=args.postgres_url)
        code, counts = run_pytest("PostgreSQL", env, ["-m", "not browser"])
        codes.append(code)
        for k in totals:
            totals[k] += counts[k]
    elif require_pg:
        notes.append(f"FAILED: PostgreSQL is required here but unreachable at {args.postgres_url} ({problem})")
        codes.append(1)
    else:
        notes.append(f"SKIPPED group 'postgres': PostgreSQL unreachable at {args.postgres_url} ({problem}); "
                     "set PG_TEST_URL=... to run it")

    if totals["skipped"]:
        notes.append(f"{totals['skipped']} test(s) skipped; the reasons are listed above (pytest -ra)")
    print()
    for note in notes:
        print(note)
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    print(f"total: {passed} passed, {failed} failed, {totals['skipped']} skipped")
    return 0 if all(c == 0 for c in codes) else 1


if __name__ == "__main__":
    sys.exit(main())
