"""Time-ordered identifiers (ULID) for every row."""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    """A new 26-character ULID string; sorts by creation time."""
    return str(ULID())
