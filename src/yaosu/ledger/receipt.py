"""Check a receipt (leaf, inclusion proof, signed checkpoint) with nothing but the exchange's public key (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yaosu.ledger import merkle, note
from yaosu.ledger.bundle import entry_leaf


@dataclass(frozen=True)
class ReceiptCheck:
    """Whether a receipt verified; `reason` is a stable code naming the failed check."""

    ok: bool
    reason: str
    index: int | None = None
    tree_size: int | None = None


def _hashes(values: Any) -> list[bytes]:
    if not isinstance(values, list) or not all(isinstance(v, str) and len(v) == 64 for v in values):
        raise ValueError("proof must be a list of hex SHA-256 hashes")
    return [bytes.fromhex(v) for v in values]


def verify_receipt(data: Any, key: Ed25519PublicKey, origin: str) -> ReceiptCheck:
    """Verify the checkpoint signature, the inclusion proof and (if present) that the entry hashes to the leaf."""
    if not isinstance(data, dict):
        return ReceiptCheck(False, "not_a_receipt")
    signed = note.verify(str(data.get("checkpoint") or ""), origin, key)
    if signed is None:
        return ReceiptCheck(False, "bad_checkpoint")
    index = data.get("index")
    if not isinstance(index, int) or data.get("tree_size") != signed.size:
        return ReceiptCheck(False, "bad_index_or_size")
    try:
        leaf, proof = bytes.fromhex(str(data.get("leaf_hash"))), _hashes(data.get("proof"))
    except ValueError:
        return ReceiptCheck(False, "not_a_receipt")
    if not merkle.verify_inclusion(index, signed.size, leaf, proof, signed.root):
        return ReceiptCheck(False, "bad_proof", index, signed.size)
    entry = data.get("entry")
    if isinstance(entry, dict) and entry_leaf(entry)[0] != leaf:
        return ReceiptCheck(False, "entry_mismatch", index, signed.size)
    return ReceiptCheck(True, "ok", index, signed.size)
