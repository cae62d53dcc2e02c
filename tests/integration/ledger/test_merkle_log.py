"""Every state change is a Merkle leaf; proofs from the database verify; any tampering is detected."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.ledger.conftest import ORIGIN, drop_guards
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.keys import ExchangeKeys
from yaosu.ledger import merkle, note, tree
from yaosu.ledger.audit import LedgerReport
from yaosu.ledger.checkpoints import issue_checkpoint
from yaosu.ledger.models import LedgerEvent, LedgerNode
from yaosu.ledger.service import get_consistency, get_entry_proof, list_events

Audit = Callable[[], LedgerReport]


def _grow(factory: Factory, n: int = 3) -> None:
    for _ in range(n):
        factory.actor(Role.PROVIDER)


def test_actions_append_leaves_in_order(session: Session, factory: Factory, operator: Actor, audit: Audit) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    events = list_events(session=session, actor=operator, subject_id=resource.id)
    assert [e.type for e in events] == ["resource.created"]
    report = audit()
    assert report.ok and report.size >= 5


def test_payload_is_canonical_json(session: Session, factory: Factory) -> None:
    factory.actor(Role.PROVIDER)
    row = session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq.desc())).first()
    assert row is not None
    assert row.payload == canonical_json(json.loads(row.payload)).decode()
    assert row.leaf_hash == merkle.leaf_hash(canonical_json(row.document())).hex()


def test_head_root_matches_a_recomputation(session: Session, factory: Factory) -> None:
    _grow(factory, 4)
    rows = session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq)).all()
    leaves = [bytes.fromhex(r.leaf_hash) for r in rows]
    frontier = merkle.Frontier(0)
    for leaf in leaves:
        frontier, _ = frontier.append(leaf)
    assert tree.root_at(session, len(leaves)) == frontier.root()


def test_database_proofs_verify(session: Session, factory: Factory, keys: ExchangeKeys, operator: Actor) -> None:
    _grow(factory, 3)
    first = tree.tree_size(session)
    cp1 = issue_checkpoint(session, keys, ORIGIN)
    _grow(factory, 3)
    cp2 = issue_checkpoint(session, keys, ORIGIN)
    assert cp2.size > cp1.size == first
    for index in (0, first - 1, cp2.size - 1):
        receipt = get_entry_proof(session=session, actor=Actor.anonymous(), index=index, tree_size=cp2.size)
        signed = note.verify(receipt.checkpoint or "", ORIGIN, keys.public_key)
        assert signed is not None and signed.size == cp2.size
        assert merkle.verify_inclusion(index, cp2.size, bytes.fromhex(receipt.leaf_hash),
                                       [bytes.fromhex(p) for p in receipt.proof], signed.root)
        assert receipt.entry is None
    proof = get_consistency(session=session, actor=Actor.anonymous(), first=cp1.size, second=cp2.size)
    assert merkle.verify_consistency(cp1.size, cp2.size, bytes.fromhex(cp1.root_hash), bytes.fromhex(cp2.root_hash),
                                     [bytes.fromhex(p) for p in proof])
    own = get_entry_proof(session=session, actor=operator, index=0)
    assert own.entry is not None and own.entry["index"] == 0


def test_checkpoint_is_a_signed_note(session: Session, factory: Factory, keys: ExchangeKeys) -> None:
    _grow(factory, 1)
    cp = issue_checkpoint(session, keys, ORIGIN)
    body, _, sig = cp.note.partition("\n\n")
    assert body.split("\n") == [ORIGIN, str(cp.size), base64.b64encode(bytes.fromhex(cp.root_hash)).decode()]
    assert sig.startswith(f"\u2014 {ORIGIN} ")
    assert note.verify(cp.note, ORIGIN, keys.public_key) is not None
    assert note.verify(cp.note.replace(f"\n{cp.size}\n", f"\n{cp.size + 1}\n"), ORIGIN, keys.public_key) is None
    assert issue_checkpoint(session, keys, ORIGIN).size == cp.size


@pytest.mark.parametrize("table", ["ledger_event", "ledger_node", "ledger_checkpoint"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
def test_triggers_refuse_update_and_delete(session: Session, factory: Factory, keys: ExchangeKeys, table: str,
                                           statement: str) -> None:
    _grow(factory, 2)
    issue_checkpoint(session, keys, ORIGIN)
    column = {"ledger_event": "payload", "ledger_node": "hash", "ledger_checkpoint": "note"}[table]
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement.format(t=table, c=column)))


def test_changing_one_byte_of_an_event_is_detected(session: Session, factory: Factory, keys: ExchangeKeys,
                                                   is_postgres: bool, audit: Audit) -> None:
    _grow(factory)
    issue_checkpoint(session, keys, ORIGIN)
    assert audit().ok
    target = tree.tree_size(session) - 2
    row = session.get(LedgerEvent, target + 1)
    assert row is not None
    forged = row.payload.replace('"', "'", 1)
    drop_guards(session, "ledger_event", is_postgres)
    session.execute(update(LedgerEvent).where(LedgerEvent.seq == target + 1).values(payload=forged))
    report = audit()
    assert not report.ok and report.first_bad_index == target


def test_deleting_a_row_is_detected(session: Session, factory: Factory, keys: ExchangeKeys, is_postgres: bool,
                                    audit: Audit) -> None:
    _grow(factory)
    issue_checkpoint(session, keys, ORIGIN)
    target = tree.tree_size(session) - 3
    drop_guards(session, "ledger_event", is_postgres)
    session.execute(text("DELETE FROM ledger_event WHERE seq = :s"), {"s": target + 1})
    report = audit()
    assert not report.ok and report.first_bad_index == target


def test_deleting_the_last_rows_is_detected(session: Session, factory: Factory, keys: ExchangeKeys,
                                            is_postgres: bool, audit: Audit) -> None:
    _grow(factory)
    issue_checkpoint(session, keys, ORIGIN)
    size = tree.tree_size(session)
    drop_guards(session, "ledger_event", is_postgres)
    session.execute(text("DELETE FROM ledger_event WHERE seq > :s"), {"s": size - 2})
    report = audit()
    assert not report.ok and report.first_bad_index == size - 2


def test_swapping_two_rows_is_detected(session: Session, factory: Factory, keys: ExchangeKeys, is_postgres: bool,
                                       audit: Audit) -> None:
    _grow(factory)
    issue_checkpoint(session, keys, ORIGIN)
    a, b = tree.tree_size(session) - 4, tree.tree_size(session) - 2
    drop_guards(session, "ledger_event", is_postgres)
    for old, new in ((a + 1, -1), (b + 1, a + 1), (-1, b + 1)):
        session.execute(text("UPDATE ledger_event SET seq = :new WHERE seq = :old"), {"old": old, "new": new})
    report = audit()
    assert not report.ok and report.first_bad_index == a


def test_consistent_rewrite_is_caught_by_the_signed_checkpoint(session: Session, factory: Factory,
                                                               keys: ExchangeKeys, is_postgres: bool,
                                                               audit: Audit) -> None:
    _grow(factory)
    signed_size = issue_checkpoint(session, keys, ORIGIN).size
    target = signed_size - 1
    for table in ("ledger_event", "ledger_node"):
        drop_guards(session, table, is_postgres)
    row = session.get(LedgerEvent, target + 1)
    assert row is not None
    row.payload = '{"forged":true}'
    session.flush()
    leaves = [merkle.leaf_hash(canonical_json(r.document()))
              for r in session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq))]
    row.leaf_hash = leaves[target].hex()
    session.execute(text("DELETE FROM ledger_node"))
    frontier = merkle.Frontier(0)
    for leaf in leaves:
        frontier, created = frontier.append(leaf)
        session.add_all(LedgerNode(level=lv, idx=ix, hash=h.hex()) for lv, ix, h in created if lv > 0)
    session.flush()
    report = audit()
    assert not report.ok and report.first_bad_index == 0 and "checkpoint" in report.reason


def test_staged_leaves_survive_a_rolled_back_savepoint(session: Session, factory: Factory, audit: Audit) -> None:
    from yaosu.ledger import Event, append

    _grow(factory, 1)
    before = tree.tree_size(session)
    append(session, None, Event(type="test.outer", subject_type="t", subject_id="outer"))
    nested = session.begin_nested()
    append(session, None, Event(type="test.inner", subject_type="t", subject_id="inner"))
    nested.rollback()
    append(session, None, Event(type="test.after", subject_type="t", subject_id="after"))
    types = [e.type for e in session.scalars(select(LedgerEvent).where(LedgerEvent.seq > before)
                                             .order_by(LedgerEvent.seq))]
    assert types == ["test.outer", "test.after"]
    assert audit().ok and tree.tree_size(session) == before + 2
