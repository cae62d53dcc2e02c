"""Run the whole suite: SQLite (with browser tests), then PostgreSQL; say plainly what was skipped and why.

YAOSU_REQUIRE_POSTGRES=1 (set by .ci/run) turns an unreachable PostgreSQL into a failure, checked
before anything runs. YAOSU_REQUIRE_BROWSER=1 makes the browser tests fail instead of skipping.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

GROUPS = (("tests.e2e", "browser"), ("tests.unit", "unit"), ("tests.integration", "integration"))
# pytest-xdist workers: one per core up to 4 (on PostgreSQL each worker migrates its own database NAME_gwN)
WORKERS = str(min(os.cpu_count() or 1, 4))


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


def _group(classname: str) -> str:
    return next((name for prefix, name in GROUPS if classname.startswith(prefix)), "other")


def run_pytest(label: str, env: dict[str, str], extra: list[str]) -> tuple[int, Counter[str], list[str]]:
    """Run pytest once; return its exit code, the outcome counts and the skipped groups with reasons."""
    counts: Counter[str] = Counter()
    skips: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        print(f"\n=== tests on {label} ===", flush=True)
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-n", WORKERS, f"--junitxml={report}", *extra],
                               env=env)
        if report.exists():
            for case in ET.parse(report).getroot().iter("testcase"):
                counts["tests"] += 1
                for outcome in ("failure", "error", "skipped"):
                    found = case.find(outcome)
                    if found is not None:
                        counts[outcome] += 1
                        if outcome == "skipped":
                            reason = found.get("message", "").splitlines()[0] if found.get("message") else ""
                            skips.append(f"{label}: group '{_group(case.get('classname', ''))}' "
                                         f"({case.get('name')}): {reason}")
    return code, counts, skips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres-url", required=True)
    args = parser.parse_args()
    problem = postgres_problem(args.postgres_url)
    if problem is not None and os.environ.get("YAOSU_REQUIRE_POSTGRES") == "1":
        print(f"FAILED: PostgreSQL is required here but unreachable at {args.postgres_url} ({problem})")
        return 1
    base_env = {k: v for k, v in os.environ.items() if k != "YAOSU_TEST_DATABASE_URL"}
    runs = [run_pytest("SQLite (embedded)", base_env, [])]
    notes: list[str] = []
    if problem is None:
        runs.append(run_pytest("PostgreSQL", dict(base_env, YAOSU_TEST_DATABASE_URL=args.postgres_url),
                               ["-m", "not browser"]))
    else:
        notes.append(f"SKIPPED group 'postgres': PostgreSQL unreachable at {args.postgres_url} ({problem}); "
                     "set PG_TEST_URL=... to run it")
    totals: Counter[str] = Counter()
    for _, counts, skips in runs:
        totals.update(counts)
        notes.extend(f"SKIPPED {s}" for s in skips)
    print()
    for note in notes:
        print(note)
    failed = totals["failure"] + totals["error"]
    passed = totals["tests"] - failed - totals["skipped"]
    print(f"total: {passed} passed, {failed} failed, {totals['skipped']} skipped")
    return 0 if all(code == 0 for code, _, _ in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
