"""Parties' signing keys: a party registers the Ed25519 public keys its people sign contracts with.

The private key never reaches the exchange (the CLI makes the pair on the party's own machine and
registers only the public half). A key's id is the first 16 hex digits of the SHA-256 of its raw bytes,
so a signer can name the key without sending it again. A revoked key signs nothing from then on;
signatures made before stay valid evidence.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import PartyKey
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append


def key_id_of(raw: bytes) -> str:
    """The id of a raw 32-byte Ed25519 public key."""
    return hashlib.sha256(raw).hexdigest()[:16]


def public_hex(key: Ed25519PrivateKey) -> str:
    """The raw public half of a private key as 64 hex digits: what a party registers."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _raw(public_key_hex: str) -> bytes:
    try:
        raw = bytes.fromhex(public_key_hex.strip())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise Invalid("a public key is 32 bytes of Ed25519, written as 64 hex digits", field="public_key")
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise Invalid("not an Ed25519 public key", field="public_key") from exc
    return raw


@action("party.key_add", roles=ANY_ROLE)
def add_key(*, session: Session, actor: Actor, public_key: str, label: str = "") -> PartyKey:
    """Register an Ed25519 public key (64 hex digits) for the actor's own party; the same key again is a no-op."""
    if not actor.party_id:
        raise Invalid("only a member of a party registers its keys", field="public_key")
    raw = _raw(public_key)
    existing = session.get(PartyKey, key_id_of(raw))
    if existing is not None:
        if existing.party_id != actor.party_id:
            raise Conflict("this key is registered to another party", field="public_key", code="key_taken")
        return existing
    key = PartyKey(id=key_id_of(raw), party_id=actor.party_id, public_key=raw.hex(), label=label[:100],
                   added_by=actor.user_id, created_at=clock.now())
    session.add(key)
    session.flush()
    append(session, actor, Event("party.key_added", "party", actor.party_id, {"key_id": key.id,
                                                                             "public_key": key.public_key}))
    return key


@action("party.key_list", roles=ANY_ROLE)
def list_keys(*, session: Session, actor: Actor, party_id: str | None = None) -> list[PartyKey]:
    """A party's keys, revoked ones included (own party; the operator and regulator may name any party)."""
    party = party_id or actor.party_id
    if party != actor.party_id and not actor.oversees:
        raise NotFound("no such party", field="party_id")
    return list(session.scalars(select(PartyKey).where(PartyKey.party_id == party).order_by(PartyKey.created_at)))


@action("party.key_revoke", roles=ANY_ROLE)
def revoke_key(*, session: Session, actor: Actor, key_id: str) -> PartyKey:
    """Revoke one of the actor's party's keys: it signs nothing from now on."""
    key = session.get(PartyKey, key_id)
    if key is None or key.party_id != actor.party_id:
        raise NotFound("no such key", field="key_id")
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        append(session, actor, Event("party.key_revoked", "party", key.party_id, {"key_id": key.id}))
    return key


def active_key(session: Session, party_id: str, key_id: str) -> Ed25519PublicKey:
    """Party `party_id`'s unrevoked key `key_id` (Invalid if it has none such)."""
    key = session.get(PartyKey, key_id)
    if key is None or key.party_id != party_id or key.revoked_at is not None:
        raise Invalid("no such active key of the signing party", field="key_id", code="unknown_key")
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(key.public_key))
