"""The certificate kernel (pure, no database): build, sign and verify registration certificates.

A certificate is an RFC 8785 canonical JSON document signed with the exchange's Ed25519 key.
A certificate FILE carries the document, the base64 signature, the key id and the algorithm,
so anyone holding the exchange's public key can check it offline.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yaosu.canonical import canonical_json

FORMAT = "yaosu-certificate/1"
ALGORITHM = "Ed25519"
RESOURCE_PREFIX = "YS-DR"  # 数据资源 (data resource)
NUMBER_PATTERN = re.compile(r"^YS-[A-Z]{2}-\d{4}-\d{6,}$")
FILE_KEYS = ("format", "document", "signature", "key_id", "algorithm")
DOCUMENT_KEYS = ("format", "number", "kind", "registration_id", "issuer", "registrant", "resource", "rights",
                 "issued_at", "valid_until")


@dataclass(frozen=True)
class Issuer:
    name: str
    key_id: str


@dataclass(frozen=True)
class Registrant:
    party_id: str
    name: str
    uscc: str | None


@dataclass(frozen=True)
class ResourceFacts:
    """What a certificate states about the resource, including the hash of its current content."""

    id: str
    title: str
    domain: str
    classification: str
    grade: str
    level: int | None
    content_hash: str
    version: int
    row_count: int


@dataclass(frozen=True)
class RightFacts:
    """A registered right as the certificate lists it."""

    id: str
    kind: str
    holder_party_id: str
    purposes: tuple[str, ...]
    actions: tuple[str, ...]
    regions: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime | None
    exclusive: bool
    share_bp: int
    origin: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking a certificate file; `reason` says why when `ok` is False."""

    ok: bool
    reason: str
    document: dict[str, Any] | None = field(default=None, compare=False)


class SignedCertificate(Protocol):
    """What `certificate_file` needs from a stored certificate (the ORM row fits)."""

    document: str
    signature: str
    key_id: str


def format_number(prefix: str, year: int, value: int) -> str:
    """A human registration number, e.g. YS-DR-2026-000123."""
    return f"{prefix}-{year:04d}-{value:06d}"


def iso(value: datetime) -> str:
    """UTC ISO 8601 to the second with a Z suffix, as certificates state times."""
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: certificates state UTC times")
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def add_years(value: datetime, years: int) -> datetime:
    """`value` plus whole calendar years; 29 February becomes 28 February."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def certificate_valid_until(issued_at: datetime, years: int, rights: Sequence[RightFacts]) -> datetime:
    """Issued + `years`, or the earliest end of a listed right if that comes first (Beijing rule)."""
    ends = [r.valid_until for r in rights if r.valid_until is not None]
    return min([add_years(issued_at, years), *ends])


def _right_entry(right: RightFacts) -> dict[str, Any]:
    return {"id": right.id, "kind": right.kind, "holder_party_id": right.holder_party_id,
            "purposes": list(right.purposes), "actions": list(right.actions), "regions": list(right.regions),
            "valid_from": iso(right.valid_from),
            "valid_until": iso(right.valid_until) if right.valid_until is not None else None,
            "exclusive": right.exclusive, "share_bp": right.share_bp, "origin": right.origin}


def build_document(*, number: str, kind: str, registration_id: str, issuer: Issuer, registrant: Registrant,
                   resource: ResourceFacts, rights: Sequence[RightFacts], issued_at: datetime,
                   years: int) -> dict[str, Any]:
    """The certificate document: every statement the signature covers."""
    return {
        "format": FORMAT, "number": number, "kind": kind, "registration_id": registration_id,
        "issuer": {"name": issuer.name, "key_id": issuer.key_id},
        "registrant": {"party_id": registrant.party_id, "name": registrant.name, "uscc": registrant.uscc},
        "resource": {"id": resource.id, "title": resource.title, "domain": resource.domain,
                     "classification": resource.classification, "grade": resource.grade,
                     "level": resource.level, "content_hash": resource.content_hash,
                     "version": resource.version, "row_count": resource.row_count},
        "rights": [_right_entry(r) for r in rights],
        "issued_at": iso(issued_at),
        "valid_until": iso(certificate_valid_until(issued_at, years, rights)),
    }


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """The key id of a public key (first 8 raw bytes, base64url), as `ExchangeKeys.key_id` computes it."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw[:8]).decode().rstrip("=")


def sign_document(document: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """Base64 Ed25519 signature over the RFC 8785 canonical form of `document`."""
    return base64.b64encode(key.sign(canonical_json(document))).decode()


def verify_bytes(payload: bytes, signature_b64: str, public_key: Ed25519PublicKey) -> bool:
    """True if `signature_b64` is a valid signature of exactly `payload`."""
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), payload)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def verify_document(document: dict[str, Any], signature_b64: str, public_key: Ed25519PublicKey) -> bool:
    """True if the signature covers the canonical form of `document` under `public_key`."""
    try:
        payload = canonical_json(document)
    except (ValueError, TypeError, RecursionError):
        return False
    return verify_bytes(payload, signature_b64, public_key)


def certificate_file(cert: SignedCertificate) -> dict[str, Any]:
    """The portable certificate file of a stored certificate."""
    return {"format": FORMAT, "document": json.loads(cert.document), "signature": cert.signature,
            "key_id": cert.key_id, "algorithm": ALGORITHM}


def _structure_problem(data: Any) -> str | None:
    """Why `data` is not shaped as a certificate file, or None."""
    if not isinstance(data, dict):
        return "not a certificate file: expected a JSON object"
    missing = [k for k in FILE_KEYS if k not in data]
    if missing:
        return f"not a certificate file: missing {', '.join(missing)}"
    extra = sorted(set(data) - set(FILE_KEYS))
    if extra:
        return f"unexpected field(s) outside the signed document: {', '.join(extra)}"
    if data["format"] != FORMAT:
        return f"unknown format {data['format']!r}; expected {FORMAT}"
    if data["algorithm"] != ALGORITHM:
        return f"unsupported algorithm {data['algorithm']!r}; expected {ALGORITHM}"
    if not isinstance(data["signature"], str) or not isinstance(data["key_id"], str):
        return "signature and key_id must be strings"
    document = data["document"]
    if not isinstance(document, dict):
        return "document must be a JSON object"
    missing = [k for k in DOCUMENT_KEYS if k not in document]
    if missing:
        return f"document lacks {', '.join(missing)}"
    return None


def _document_problem(data: dict[str, Any]) -> str | None:
    """Why the (well-shaped) file's statements disagree with each other, or None."""
    document = data["document"]
    if document["format"] != FORMAT:
        return f"document format {document['format']!r} is not {FORMAT}"
    issuer = document["issuer"]
    if not isinstance(issuer, dict) or issuer.get("key_id") != data["key_id"]:
        return "key_id of the file differs from the issuer key_id in the document"
    if not isinstance(document["number"], str) or not NUMBER_PATTERN.match(document["number"]):
        return f"malformed certificate number {document['number']!r}"
    return None


def verify_file(data: Any, public_key: Ed25519PublicKey, at: datetime | None = None) -> VerifyResult:
    """Check a certificate file against the exchange's public key (and, given `at`, its validity date)."""
    problem = _structure_problem(data) or _document_problem(data)
    if problem:
        return VerifyResult(False, problem)
    document: dict[str, Any] = data["document"]
    if not verify_document(document, data["signature"], public_key):
        given = key_id_for(public_key)
        if data["key_id"] != given:
            return VerifyResult(False, f"signed with key {data['key_id']}, not with the given key {given}",
                                document)
        return VerifyResult(False, "signature does not match the document: it was changed or forged",
                            document)
    until = document["valid_until"]
    if at is not None and isinstance(until, str) and until < iso(at):
        return VerifyResult(False, f"signature valid, but the certificate expired at {until}", document)
    return VerifyResult(True, "signature valid", document)
