"""Ledger test helpers: signed checkpoints and an attacker who drops the append-only triggers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from yaosu.keys import ExchangeKeys
from yaosu.ledger.audit import LedgerReport, check_ledger

ORIGIN = "test.yaosu.local/log"


def drop_guards(session: Session, table: str, is_postgres: bool) -> None:
    """What an attacker with database access does first: remove the append-only triggers of `table`."""
    if is_postgres:
        session.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
    else:
        session.execute(text(f"DROP TRIGGER {table}_no_update"))
        session.execute(text(f"DROP TRIGGER {table}_no_delete"))


@pytest.fixture
def audit(session: Session, keys: ExchangeKeys) -> Callable[[], LedgerReport]:
    """Run the full ledger check as `yaosu ledger verify` does."""
    def run() -> LedgerReport:
        session.expire_all()
        return check_ledger(session, keys.public_key, ORIGIN)
    return run
