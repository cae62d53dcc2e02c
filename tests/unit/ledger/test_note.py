"""C2SP signed-note checkpoints: format, signature, key id, co-signature by a witness."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from yaosu.ledger import note

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
WITNESS = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
CP = note.Checkpoint(origin="example.com/log", size=42, root=hashlib.sha256(b"root").digest())


def test_note_layout() -> None:
    signed = note.sign(CP, "example.com/log", KEY)
    lines = signed.split("\n")
    assert lines[:4] == ["example.com/log", "42", base64.b64encode(CP.root).decode(), ""]
    assert lines[4].startswith("\u2014 example.com/log ") and signed.endswith("\n")
    blob = base64.b64decode(lines[4].rsplit(" ", 1)[1])
    raw = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert blob[:4] == hashlib.sha256(b"example.com/log\n\x01" + raw).digest()[:4] and len(blob) == 68
    assert note.verifier_key("example.com/log", KEY.public_key()).startswith(f"example.com/log+{blob[:4].hex()}+")


@pytest.mark.parametrize(("mutate", "ok"), [
    (lambda s: s, True),
    (lambda s: s.replace("\n42\n", "\n43\n"), False),
    (lambda s: s.replace("example.com/log\n", "example.org/log\n", 1), False),
    (lambda s: s[:-10] + ("A" if s[-10] != "A" else "B") + s[-9:], False),
    (lambda s: s.rstrip("\n"), False),
], ids=["intact", "size", "origin", "signature", "no-final-newline"])
def test_verify_detects_changes(mutate: object, ok: bool) -> None:
    signed = note.sign(CP, "example.com/log", KEY)
    assert callable(mutate)
    assert (note.verify(mutate(signed), "example.com/log", KEY.public_key()) == CP) is ok


def test_witness_cosignature() -> None:
    signed = note.add_cosignature(note.sign(CP, "example.com/log", KEY), "regulator", WITNESS)
    assert note.verify(signed, "example.com/log", KEY.public_key()) == CP
    assert note.verify(signed, "regulator", WITNESS.public_key()) == CP
    assert note.verify(signed, "regulator", KEY.public_key()) is None
