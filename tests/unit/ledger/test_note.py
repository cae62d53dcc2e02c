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
    signed = note.sign(CP, "example.com/log", KEY)
    cosigned = signed + note.cosign(signed, "regulator", WITNESS, 1_700_000_000)
    assert note.verify(cosigned, "example.com/log", KEY.public_key()) == CP
    assert note.verify_cosignature(cosigned, "regulator", WITNESS.public_key()) == (CP, 1_700_000_000)
    assert note.verify_cosignature(cosigned, "regulator", KEY.public_key()) is None
    assert note.verify_cosignature(cosigned, "other", WITNESS.public_key()) is None
    assert note.verify(cosigned, "regulator", WITNESS.public_key()) is None  # a cosignature is not a 0x01 signature
    forged = cosigned.replace(f"\n{CP.size}\n", f"\n{CP.size + 1}\n")
    assert note.verify_cosignature(forged, "regulator", WITNESS.public_key()) is None


def test_cosignature_layout_matches_the_c2sp_example() -> None:
    """c2sp.org/tlog-cosignature: key id (4) || big-endian timestamp (8) || Ed25519 signature (64)."""
    line = ("jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
            "qhf5nNo0xUe+mbIUBkBIfZ+qnA==")
    blob = base64.b64decode(line)
    assert len(blob) == 76 and int.from_bytes(blob[4:12], "big") == 1679315147  # the spec's "time 1679315147"
    ours = base64.b64decode(note.cosign(note.sign(CP, "example.com/log", KEY), "w", WITNESS, 1679315147)
                            .rsplit(" ", 1)[1])
    assert len(ours) == 76 and ours[4:12] == blob[4:12]


def test_cosigner_vkey_round_trip_and_key_id_check() -> None:
    vkey = note.cosigner_vkey("regulator.example/w1", WITNESS.public_key())
    name, key = note.parse_cosigner_vkey(vkey)
    assert name == "regulator.example/w1" and key.public_bytes_raw() == WITNESS.public_key().public_bytes_raw()
    tampered = vkey.replace("regulator.example/w1", "regulator.example/w2", 1)
    with pytest.raises(ValueError, match="key id"):
        note.parse_cosigner_vkey(tampered)
    with pytest.raises(ValueError, match="0x04"):
        note.parse_cosigner_vkey(note.verifier_key("x", WITNESS.public_key()))
