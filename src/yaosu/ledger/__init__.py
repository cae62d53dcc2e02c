"""The event log: every state change is recorded here in the same transaction."""

from yaosu.ledger.service import Event, append

__all__ = ["Event", "append"]
