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


def add_cosignature(note: str, name: str, key: Ed25519PrivateKey) -> str:
    """`note` with one more signature line (a witness co-signing the same body)."""
    body, _, _ = note.partition("\n\n")
    signature = key_hash(name, key.public_key()) + key.sign((body + "\n").encode())
    return note + signature_line(name, signature)


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
    body, sep, signatures = note.partition("\n\n")
    if not sep or not note.endswith("\n"):
        return None
    wanted = key_hash(name, key)
    for line in signatures.splitlines():
        if not line.startswith(f"{SIG_PREFIX}{name} "):
            continue
        try:
            blob = base64.b64decode(line.rsplit(" ", 1)[1], validate=True)
        except binascii.Error:
            continue
        if blob[:4] != wanted:
            continue
        try:
            key.verify(blob[4:], (body + "\n").encode())
        except InvalidSignature:
            continue
        try:
            return parse(note)
        except ValueError:
            return None
    return None
