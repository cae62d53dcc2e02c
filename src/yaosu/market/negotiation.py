"""Contract negotiation as the Dataspace Protocol's state machine (pure).

States REQUESTED → OFFERED → ACCEPTED → AGREED → VERIFIED → FINALIZED, and TERMINATED from any
state that is not final. Each message has a sender role: the consumer (buyer) requests, accepts
and verifies; the provider offers, agrees and finalizes; either may terminate. Anything else is
refused with Conflict code `invalid_transition` (HTTP 409).
"""

from __future__ import annotations

from enum import StrEnum

from yaosu.errors import Conflict


class State(StrEnum):
    """Dataspace Protocol contract-negotiation states."""

    REQUESTED = "REQUESTED"
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    AGREED = "AGREED"
    VERIFIED = "VERIFIED"
    FINALIZED = "FINALIZED"
    TERMINATED = "TERMINATED"


FINAL = frozenset({State.FINALIZED, State.TERMINATED})

# message -> (sender role, states it may follow (None = opens a negotiation), resulting state)
MESSAGES: dict[str, tuple[str, frozenset[State | None], State]] = {
    "request": ("consumer", frozenset({None, State.OFFERED}), State.REQUESTED),
    "offer": ("provider", frozenset({None, State.REQUESTED}), State.OFFERED),
    "accept": ("consumer", frozenset({State.OFFERED}), State.ACCEPTED),
    "agree": ("provider", frozenset({State.REQUESTED, State.ACCEPTED}), State.AGREED),
    "verify": ("consumer", frozenset({State.AGREED}), State.VERIFIED),
    "finalize": ("provider", frozenset({State.VERIFIED}), State.FINALIZED),
}


def transition(state: State | None, message: str, sender: str) -> State:
    """The state after `sender` ("consumer" or "provider") sends `message` in `state` (None before the first)."""
    if message == "terminate":
        if sender not in ("consumer", "provider"):
            raise Conflict("only the consumer or the provider may terminate", field="message",
                           code="invalid_transition")
        if state is None or state in FINAL:
            raise Conflict(f"cannot terminate a negotiation that is {state or 'not started'}",
                           field="message", code="invalid_transition")
        return State.TERMINATED
    if message not in MESSAGES:
        raise Conflict(f"unknown message {message!r}", field="message", code="invalid_transition")
    role, sources, target = MESSAGES[message]
    if sender != role:
        raise Conflict(f"only the {role} may send {message}", field="message", code="invalid_transition")
    if state not in sources:
        raise Conflict(f"{message} is not allowed in state {state or 'none'}", field="message",
                       code="invalid_transition")
    return target


def allowed(state: State | None, sender: str) -> list[str]:
    """The messages `sender` may send in `state`, in protocol order (terminate last while not final)."""
    out = [m for m, (role, sources, _) in MESSAGES.items() if role == sender and state in sources]
    if state is not None and state not in FINAL and sender in ("consumer", "provider"):
        out.append("terminate")
    return out
