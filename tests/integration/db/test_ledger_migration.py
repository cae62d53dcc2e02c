"""Migration 0002 turns the events of a hash-chain ledger into Merkle leaves."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from yaosu.db.engine import make_engine
from yaosu.db.migrate import upgrade
from yaosu.keys import ExchangeKeys
from yaosu.ledger import tree
from yaosu.ledger.audit import check_ledger

OLD_EVENT = ("INSERT INTO ledger_event (seq, id, type, actor_party_id, actor_user_id, subject_type, subject_id, "
             "payload, created_at, prev_hash, entry_hash) VALUES (:seq, :id, 'party.created', NULL, NULL, 'party', "
             "'p', '{}', '2026-01-01 00:00:00.000000', '', '')")


def test_existing_events_are_backfilled_as_leaves(tmp_path: Path, keys: ExchangeKeys) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        for seq in (1, 2, 3):
            conn.execute(text(OLD_EVENT), {"seq": seq, "id": f"01EVENT{seq:019d}"})
    upgrade(url)
    with Session(engine) as session:
        report = check_ledger(session, keys.public_key, "x")
        assert report.ok and report.size == 3
        assert tree.tree_size(session) == 3
    engine.dispose()
