"""RFC 8785 canonical JSON: the bytes every hash and signature covers."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """Serialize `value` per RFC 8785 (JCS): sorted keys, no spaces, ECMAScript number format."""
    return bytes(rfc8785.dumps(value))


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()
