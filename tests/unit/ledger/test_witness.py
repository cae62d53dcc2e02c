"""The witness cosigns only a correctly signed checkpoint that extends the last one it cosigned."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from yaosu.ledger import merkle, note
from yaosu.ledger.witness import WitnessState, cosign_checkpoint, load_state

LOG = Ed25519PrivateKey.generate()
WITNESS = Ed25519PrivateKey.generate()
ORIGIN = "example.gov/log"
LEAVES = [merkle.leaf_hash(bytes([i])) for i in range(20)]


def _signed(size: int, leaves: list[bytes] = LEAVES, key: Ed25519PrivateKey = LOG) -> str:
    frontier = merkle.Frontier(0)
    for leaf in leaves[:size]:
        frontier, _ = frontier.append(leaf)
    return note.sign(note.Checkpoint(ORIGIN, size, frontier.root()), ORIGIN, key)


def _cosign(signed: str, previous: WitnessState | None, proof: list[bytes]) -> tuple[str, WitnessState]:
    return cosign_checkpoint(signed_note=signed, origin=ORIGIN, log_key=LOG.public_key(), name="w", key=WITNESS,
                             previous=previous, proof=proof, now=1_800_000_000)


def _proof(first: int, second: int) -> list[bytes]:
    levels = [LEAVES[:second]]
    while len(levels[-1]) >= 2:
        below = levels[-1]
        levels.append([merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return merkle.consistency_proof(first, second, lambda lv, ix: levels[lv][ix])


def test_first_and_consistent_checkpoints_are_cosigned() -> None:
    line, state = _cosign(_signed(7), None, [])
    assert note.verify_cosignature(_signed(7) + line, "w", WITNESS.public_key()) is not None
    line, state2 = _cosign(_signed(13), state, _proof(7, 13))
    assert state2.size == 13 and load_state(json.dumps(state2.to_json())) == state2


@pytest.mark.parametrize(("case", "message"), [
    ("fork", "consistency"),
    ("no proof", "consistency"),
    ("shrink", "shrank"),
    ("log key", "signature of the log"),
    ("other log", "belongs to log"),
])
def test_what_a_witness_refuses(case: str, message: str) -> None:
    _, state = _cosign(_signed(7), None, [])
    forked = [*LEAVES[:5], merkle.leaf_hash(b"forged"), *LEAVES[6:]]
    signed, proof, previous = _signed(13), _proof(7, 13), state
    if case == "fork":
        signed = _signed(13, forked)
    elif case == "no proof":
        proof = []
    elif case == "shrink":
        signed = _signed(5)
    elif case == "log key":
        signed = _signed(13, key=Ed25519PrivateKey.generate())
    else:
        previous = WitnessState("another/log", state.size, state.root)
    with pytest.raises(ValueError, match=message):
        _cosign(signed, previous, proof)
