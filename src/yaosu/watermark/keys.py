"""The node's watermark secret: derived (HKDF-SHA256) from the vault master key, never stored or printed apart.

Deriving rather than storing a second secret keeps one thing to back up; the derived secret is
domain-separated, so knowing it tells nothing about the master key or any dataset key. Each
delivery records `key_id` so a trace on a node holding another master key fails clearly.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from yaosu.keys import read_or_create_secret
from yaosu.node.crypto import MASTER_KEY_BYTES, MASTER_KEY_FILE


@dataclass(frozen=True, repr=False)
class WatermarkSecret:
    """32 secret bytes and a 16-hex-digit id naming them; `repr` never shows the bytes."""

    secret: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"yaosu-wm-key-id\n" + self.secret).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"WatermarkSecret(key_id={self.key_id!r})"


def node_watermark_secret(key_dir: Path) -> WatermarkSecret:
    """The watermark secret of the node whose keys live in `key_dir` (its master key created on first use)."""
    master = read_or_create_secret(key_dir / MASTER_KEY_FILE, os.urandom(MASTER_KEY_BYTES))
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"yaosu-watermark", info=b"yaosu-watermark/v1")
    return WatermarkSecret(hkdf.derive(master))
