"""The signed assessment document: scores and A/B counts of one resource version, signed with Ed25519.

The signature covers the RFC 8785 canonical JSON of the document (yaosu.canonical), so anyone
with the assessor's public key can check it without trusting the exchange's database.
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yaosu.canonical import canonical_json

DOCUMENT_TYPE = "yaosu.quality-assessment/1"


def assessment_document(report: dict[str, Any], *, resource_id: str, version: int, content_hash: str,
                        assessor_party_id: str) -> dict[str, Any]:
    """What an assessor signs: the resource version, the standard, spec, scores and each indicator's A/B."""
    return {"type": DOCUMENT_TYPE, "resource_id": resource_id, "version": version, "content_hash": content_hash,
            "assessor_party_id": assessor_party_id, "standard": report["standard"], "rows": report["rows"],
            "assessed_on": report["assessed_on"], "spec": report["spec"],
            "overall": _decimal(report["overall"]),
            "dimensions": {d: _decimal(v) for d, v in report["dimensions"].items()},
            "indicators": {i["code"]: {"a": i["a"], "b": i["b"], "score": _decimal(i["score"])}
                           for i in report["indicators"]}}


def _decimal(score: float | None) -> str | None:
    """Scores travel as fixed 2-decimal strings so every JSON implementation canonicalises them alike."""
    return None if score is None else f"{score:.2f}"


def sign(document: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """Base64 Ed25519 signature over the document's canonical JSON."""
    return base64.b64encode(key.sign(canonical_json(document))).decode()


def verify(document: dict[str, Any], signature: str, key: Ed25519PublicKey) -> bool:
    """True if `signature` (base64) is `key`'s signature over the document's canonical JSON."""
    try:
        key.verify(base64.b64decode(signature, validate=True), canonical_json(document))
    except (InvalidSignature, ValueError):
        return False
    return True


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint of the public key (first 8 raw bytes, base64url), as the exchange's own keys use."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw[:8]).decode().rstrip("=")
