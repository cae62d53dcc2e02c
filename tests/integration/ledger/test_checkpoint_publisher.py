"""The serve-time publisher signs a checkpoint within a second of new entries, and stops when asked."""

from __future__ import annotations

import time
from pathlib import Path

from yaosu.auth.actor import Actor
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.keys import ExchangeKeys
from yaosu.ledger import Event, append, note
from yaosu.ledger.checkpoints import CheckpointPublisher, latest_checkpoint


def test_checkpoint_follows_new_entries_within_a_second(tmp_path: Path, keys: ExchangeKeys) -> None:
    url = f"sqlite:///{tmp_path / 'pub.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    publisher = CheckpointPublisher(sessions, keys, "pub.test/log", interval=0.05)
    publisher.start()
    try:
        with unit_of_work(sessions) as session:
            for i in range(3):
                append(session, Actor.anonymous(), Event(type="test.event", subject_type="t", subject_id=str(i)))
        started, size = time.monotonic(), 0
        while time.monotonic() - started < 1.0 and size < 3:
            time.sleep(0.02)
            with unit_of_work(sessions) as session:
                cp = latest_checkpoint(session)
                size = cp.size if cp else 0
                text = cp.note if cp else ""
        assert size == 3, "no checkpoint within 1 s"
        assert note.verify(text, "pub.test/log", keys.public_key) is not None
    finally:
        publisher.stop()
        engine.dispose()
    assert publisher.errors == 0
