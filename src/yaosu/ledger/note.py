"""C2SP checkpoints as signed notes (c2sp.org/tlog-checkpoint, c2sp.org/signed-note), Ed25519 only (pure)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = b"\x01"  # signed-note signature type of Ed25519
SIG_PREFIX = "\u2014 "  # em dash and space start every signature line


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and its root hash."""

    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        """The note text the signatures cover (three lines, each ending in a newline)."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_hash(name: str, key: Ed25519PublicKey) -> bytes:
    """The 4-byte key id of signed-note: SHA-256(name || '\\n' || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + _raw(key)).digest()[:4]


def verifier_key(name: str, key: Ed25519PublicKey) -> str:
    """The note verifier key string `name+hash+base64(0x01 || key)` others can configure."""
    return f"{name}+{key_hash(name, key).hex()}+{base64.b64encode(ED25519 + _raw(key)).decode()}"


def sign(checkpoint: Checkpoint, name: str, key: Ed25519PrivateKey) -> str:
    """The signed note: body, a blank line, and one signature line by `name`."""
    body = checkpoint.body()
    signature = key_hash(name, key.public_key()) + key.sign(body.encode())
    return f"{body}\n{signature_line(name, signature)}"


def signature_line(name: str, signature: bytes) -> str:
    """One signature line: em dash, key name, base64(key hash || signature)."""
    return f"{SIG_PREFIX}{name} {base64.b64encode(signature).decode()}\n"


COSIGNATURE_V1 = b"\x04"  # signed-note signature type of a timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature)


def cosigner_key_hash(name: str, key: Ed25519PublicKey) -> bytes:
    """The key id of a cosigner: SHA-256(name || '\\n' || 0x04 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE_V1 + _raw(key)).digest()[:4]


def cosigner_vkey(name: str, key: Ed25519PublicKey) -> str:
    """The verifier key string `name+hash+base64(0x04 || key)` a client configures to trust a witness."""
    return f"{name}+{cosigner_key_hash(name, key).hex()}+{base64.b64encode(COSIGNATURE_V1 + _raw(key)).decode()}"


def parse_cosigner_vkey(vkey: str) -> tuple[str, Ed25519PublicKey]:
    """(name, key) of a cosigner verifier key; ValueError if it is malformed or its key id does not match."""
    parts = vkey.strip().split("+", 2)  # the name has no "+"; base64 may
    if len(parts) != 3 or not parts[0] or any(c.isspace() for c in parts[0]):
        raise ValueError("a verifier key is name+keyid+base64key")
    name, key_id, rest = parts
    try:
        blob = base64.b64decode(rest, validate=True)
    except binascii.Error as exc:
        raise ValueError("the key part is not base64") from exc
    if len(blob) != 33 or blob[:1] != COSIGNATURE_V1:
        raise ValueError("not an Ed25519 cosignature/v1 key (type 0x04)")
    key = Ed25519PublicKey.from_public_bytes(blob[1:])
    if cosigner_key_hash(name, key).hex() != key_id.lower():
        raise ValueError("the key id does not match the name and key")
    return name, key


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(note: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> str:
    """A witness's cosignature/v1 line over the checkpoint in `note`, made at POSIX time `timestamp`."""
    body = note.partition("\n\n")[0] + "\n"
    if not 0 <= timestamp < 2**63:
        raise ValueError("timestamp out of range")
    signature = key.sign(_cosigned_message(body, timestamp))
    return signature_line(name, cosigner_key_hash(name, key.public_key()) + timestamp.to_bytes(8, "big") + signature)


def _signatures(note: str, name: str, key_id: bytes) -> tuple[str, list[bytes]]:
    """The note's body text (with its final newline) and the decoded signatures by `name` under `key_id`."""
    body, sep, signatures = note.partition("\n\n")
    if not sep or not note.endswith("\n"):
        return "", []
    blobs = []
    for line in signatures.splitlines():
        if not line.startswith(f"{SIG_PREFIX}{name} "):
            continue
        try:
            blob = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
        except binascii.Error:
            continue
        if blob[:4] == key_id:
            blobs.append(blob[4:])
    return body + "\n", blobs


def verify_cosignature(note: str, name: str, key: Ed25519PublicKey) -> tuple[Checkpoint, int] | None:
    """(checkpoint, timestamp) if `note` carries a valid cosignature/v1 by (`name`, `key`), else None."""
    body, blobs = _signatures(note, name, cosigner_key_hash(name, key))
    for blob in blobs:
        if len(blob) != 8 + 64:
            continue
        timestamp = int.from_bytes(blob[:8], "big")
        try:
            key.verify(blob[8:], _cosigned_message(body, timestamp))
            return parse(note), timestamp
        except (InvalidSignature, ValueError):
            continue
    return None


def parse(note: str) -> Checkpoint:
    """The checkpoint in a note's body; ValueError if malformed."""
    body, sep, _ = note.partition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3:
        raise ValueError("not a checkpoint note")
    if not lines[1].isdigit():
        raise ValueError("bad tree size line")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error as exc:
        raise ValueError("bad root hash line") from exc
    if len(root) != 32:
        raise ValueError("root hash is not 32 bytes")
    return Checkpoint(origin=lines[0], size=int(lines[1]), root=root)


def verify(note: str, name: str, key: Ed25519PublicKey) -> Checkpoint | None:
    """The checkpoint if `note` carries a valid signature by (`name`, `key`), else None."""
    body, blobs = _signatures(note, name, key_hash(name, key))
    for blob in blobs:
        try:
            key.verify(blob, body.encode())
            return parse(note)
        except InvalidSignature:
            continue
        except ValueError:
            return None
    return None
