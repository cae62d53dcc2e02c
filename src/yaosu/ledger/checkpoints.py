"""Signed tree heads: issue a C2SP checkpoint for the current tree, read the stored ones (no actor)."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from yaosu import clock
from yaosu.db.engine import unit_of_work
from yaosu.keys import ExchangeKeys
from yaosu.ledger import note
from yaosu.ledger.models import LedgerCheckpoint
from yaosu.ledger.tree import locked_frontier, tree_size


def latest_checkpoint(session: Session) -> LedgerCheckpoint | None:
    """The checkpoint with the largest tree size, or None before the first one."""
    return session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.size.desc()).limit(1)).first()


def checkpoint_covering(session: Session, size: int) -> LedgerCheckpoint | None:
    """The smallest checkpoint whose tree has at least `size` leaves."""
    stmt = select(LedgerCheckpoint).where(LedgerCheckpoint.size >= size).order_by(LedgerCheckpoint.size).limit(1)
    return session.scalars(stmt).first()


def issue_checkpoint(session: Session, keys: ExchangeKeys, origin: str) -> LedgerCheckpoint:
    """Sign the current tree head (origin, size, root) unless the latest checkpoint already covers it."""
    frontier = locked_frontier(session)
    latest = latest_checkpoint(session)
    if latest is not None and latest.size == frontier.size:
        return latest
    tree_head = note.Checkpoint(origin=origin, size=frontier.size, root=frontier.root())
    row = LedgerCheckpoint(size=frontier.size, root_hash=frontier.root().hex(), created_at=clock.now(),
                           note=note.sign(tree_head, origin, keys.signing_key))
    session.add(row)
    session.flush()
    return row


class CheckpointPublisher:
    """A background thread that signs a checkpoint within `interval` seconds of new entries."""

    def __init__(self, sessions: sessionmaker[Session], keys: ExchangeKeys, origin: str,
                 interval: float = 0.25) -> None:
        self._sessions, self._keys, self._origin, self._interval = sessions, keys, origin, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ledger-checkpoints", daemon=True)
        self.errors = 0

    def start(self) -> None:
        """Start publishing."""
        self._thread.start()

    def stop(self) -> None:
        """Stop publishing and wait for the thread to end."""
        self._stop.set()
        self._thread.join(timeout=5)

    def publish_once(self) -> None:
        """Issue a checkpoint if the tree grew since the last one."""
        with unit_of_work(self._sessions) as session:
            latest = latest_checkpoint(session)
            if latest is None or tree_size(session) > latest.size:
                issue_checkpoint(session, self._keys, self._origin)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.publish_once()
            except Exception:  # keep publishing; the next round retries
                self.errors += 1
