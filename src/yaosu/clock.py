"""The one source of time: timezone-aware UTC, replaceable so tests and the demo can move it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_lock = threading.Lock()
_offset = timedelta(0)
_frozen: datetime | None = None


def now() -> datetime:
    """The current time in UTC, honouring any frozen time or offset set by `advance`/`freeze`."""
    with _lock:
        base = _frozen if _frozen is not None else datetime.now(UTC)
        return base + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward (or back) by `delta` for this process."""
    global _offset
    with _lock:
        _offset += delta


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (timezone-aware)."""
    global _frozen, _offset
    if at.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    with _lock:
        _frozen = at.astimezone(UTC)
        _offset = timedelta(0)


def reset() -> None:
    """Return to the real wall clock."""
    global _frozen, _offset
    with _lock:
        _frozen = None
        _offset = timedelta(0)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze the clock for the duration of a block, then reset it."""
    freeze(at)
    try:
        yield
    finally:
        reset()


def as_utc(value: datetime) -> datetime:
    """A datetime read back from a database that dropped the zone is UTC by convention."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def display(value: datetime | None) -> str:
    """Asia/Shanghai wall time for people, e.g. '2026-11-23 17:05'."""
    if value is None:
        return ""
    return as_utc(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
