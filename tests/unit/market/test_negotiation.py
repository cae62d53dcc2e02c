"""The Dataspace Protocol negotiation states: every allowed path, and every other message refused with 409."""

from __future__ import annotations

import pytest

from yaosu.errors import Conflict
from yaosu.market.negotiation import MESSAGES, State, allowed, transition

HAPPY = [("request", "consumer"), ("offer", "provider"), ("accept", "consumer"), ("agree", "provider"),
         ("verify", "consumer"), ("finalize", "provider")]


def test_the_full_path_reaches_finalized() -> None:
    state: State | None = None
    for message, sender in HAPPY:
        state = transition(state, message, sender)
    assert state == State.FINALIZED


def test_provider_may_agree_to_a_request_directly_and_consumer_may_counter() -> None:
    assert transition(State.REQUESTED, "agree", "provider") == State.AGREED
    assert transition(State.OFFERED, "request", "consumer") == State.REQUESTED
    assert transition(None, "offer", "provider") == State.OFFERED


ALL_STATES: list[State | None] = [None, *State]


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: str(s))
@pytest.mark.parametrize("message", [*MESSAGES, "terminate"])
@pytest.mark.parametrize("sender", ["consumer", "provider", "stranger"])
def test_every_message_in_every_state(state: State | None, message: str, sender: str) -> None:
    if message == "terminate":
        allowed = sender != "stranger" and state is not None and state not in (State.FINALIZED, State.TERMINATED)
    else:
        role, sources, _ = MESSAGES[message]
        allowed = sender == role and state in sources
    if allowed:
        assert transition(state, message, sender) in State
    else:
        with pytest.raises(Conflict) as refused:
            transition(state, message, sender)
        assert refused.value.code == "invalid_transition"


@pytest.mark.parametrize("state", ALL_STATES, ids=lambda s: str(s))
@pytest.mark.parametrize("sender", ["consumer", "provider", "stranger"])
def test_allowed_lists_exactly_the_transitions_that_succeed(state: State | None, sender: str) -> None:
    expected = []
    for message in [*MESSAGES, "terminate"]:
        try:
            transition(state, message, sender)
        except Conflict:
            continue
        expected.append(message)
    assert allowed(state, sender) == expected
