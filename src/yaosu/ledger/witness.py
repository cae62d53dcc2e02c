"""A witness (for example a regulator) cosigns a checkpoint only after checking it extends what it saw (pure).

The witness keeps the last checkpoint it cosigned. A new checkpoint must carry the log's signature,
name the same origin, be no smaller, and come with a consistency proof from the kept one
(RFC 9162 §2.1.4.2); then the witness issues a c2sp.org/tlog-cosignature line for it. A log that
rewrote history or showed the witness a fork cannot get that cosignature.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yaosu.ledger import merkle, note


@dataclass(frozen=True)
class WitnessState:
    """The last checkpoint a witness cosigned: origin, tree size and root hash."""

    origin: str
    size: int
    root: bytes

    def to_json(self) -> dict[str, Any]:
        """The state as stored in the witness's state file."""
        return {"origin": self.origin, "size": self.size, "root": base64.b64encode(self.root).decode()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WitnessState:
        """The state read back from its JSON form; ValueError if malformed."""
        try:
            return cls(str(data["origin"]), int(data["size"]), base64.b64decode(data["root"], validate=True))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad witness state: {exc}") from exc


def load_state(text: str) -> WitnessState:
    """A witness state from the text of its file."""
    return WitnessState.from_json(json.loads(text))


def cosign_checkpoint(*, signed_note: str, origin: str, log_key: Ed25519PublicKey, name: str,
                      key: Ed25519PrivateKey, previous: WitnessState | None, proof: Sequence[bytes],
                      now: int) -> tuple[str, WitnessState]:
    """The cosignature line for `signed_note` and the witness's new state; ValueError naming the failed check."""
    cp = note.verify(signed_note, origin, log_key)
    if cp is None:
        raise ValueError("the checkpoint does not carry a valid signature of the log")
    if previous is not None:
        if previous.origin != origin:
            raise ValueError(f"the witness state belongs to log {previous.origin!r}, not {origin!r}")
        if cp.size < previous.size:
            raise ValueError(f"the log shrank from {previous.size} to {cp.size} entries")
        if not merkle.verify_consistency(previous.size, cp.size, previous.root, cp.root, proof):
            raise ValueError(f"no valid consistency proof from size {previous.size} to {cp.size}: "
                             "the log is not an extension of what this witness cosigned")
    return note.cosign(signed_note, name, key, now), WitnessState(origin, cp.size, cp.root)
