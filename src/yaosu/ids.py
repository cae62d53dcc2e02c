"""Time-ordered identifiers (ULID) for every row."""

from __future__ import annotations

import base64
import os
import time

from ulid import ULID

# RFC 4648 base32 → Crockford's base32 (the ULID alphabet), byte for byte
_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def new_id() -> str:
    """A new 26-character ULID string; sorts by creation time."""
    return str(ULID())


def new_ids(count: int) -> list[str]:
    """`count` new ULID strings of this millisecond at once (for bulk inserts; no order among themselves)."""
    stamp = (time.time_ns() // 1_000_000).to_bytes(6, "big")
    noise = os.urandom(10 * count)
    # 4 zero bytes + 16 ULID bytes = 160 bits = 32 base32 characters, the first 6 of them zero padding
    raw = b"".join(b"\0\0\0\0" + stamp + noise[i:i + 10] for i in range(0, 10 * count, 10))
    text = base64.b32encode(raw).translate(_CROCKFORD).decode()
    return [text[i + 6:i + 32] for i in range(0, 32 * count, 32)]
