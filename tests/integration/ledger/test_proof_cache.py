"""Proofs served from the subtree cache equal proofs recomputed from the events; only committed leaves are cached."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from tests.integration.ledger.conftest import drop_guards
from tests.unit.ledger.test_tiles import mth
from yaosu.ledger import Event, append, merkle, tiles, tree
from yaosu.ledger.audit import LedgerReport
from yaosu.ledger.models import LedgerEvent

Audit = Callable[[], LedgerReport]


def _append(session: Session, n: int) -> None:
    for i in range(n):
        append(session, None, Event(type="test.cache", subject_type="t", subject_id=str(i)))


def _leaves(session: Session) -> list[bytes]:
    return [bytes.fromhex(h) for h in session.scalars(select(LedgerEvent.leaf_hash).order_by(LedgerEvent.seq))]


def _levels(leaves: list[bytes]) -> Callable[[int, int], bytes]:
    def node(level: int, index: int) -> bytes:
        return mth(leaves[index << level:(index + 1) << level])
    return node


def test_cached_proofs_equal_recomputed_ones(sessions: sessionmaker[Session], session: Session) -> None:
    with sessions() as writer, writer.begin():
        _append(writer, 600)
    size = tree.tree_size(session)
    leaves = _leaves(session)
    node = _levels(leaves)
    cache = tiles.cache_for(tree.database_key(session))
    for _ in range(2):  # first from the database (filling the cache), then from the cache
        for index in (0, 1, 255, 256, 300, 511, 512, size - 1):
            assert tree.prove_inclusion(session, index, size) == merkle.inclusion_proof(index, size, node)
        for first in (1, 256, 300, 512, size - 1):
            assert tree.prove_consistency(session, first, size) == merkle.consistency_proof(first, size, node)
    full = (size // tiles.TILE_WIDTH) - 1
    assert cache.has_tile(0) and cache.has_tile(full) and not cache.has_tile(full + 1)
    assert cache.committed_size == size


def test_uncommitted_leaves_are_never_cached(sessions: sessionmaker[Session], session: Session) -> None:
    with sessions() as writer, writer.begin():
        _append(writer, 250)
    base = tree.tree_size(session)
    cache = tiles.cache_for(tree.database_key(session))
    _append(session, 2 * tiles.TILE_WIDTH)  # this transaction's own leaves: not committed yet
    size = tree.tree_size(session)
    node = _levels(_leaves(session))
    for index in (0, base, size - 1):
        assert tree.prove_inclusion(session, index, size) == merkle.inclusion_proof(index, size, node)
    assert cache.bytes_used() == 0 and cache.committed_size == 0


def test_verify_reads_the_database_not_the_cache(sessions: sessionmaker[Session], session: Session,
                                                 is_postgres: bool, audit: Audit) -> None:
    with sessions() as writer, writer.begin():
        _append(writer, 300)
    size = tree.tree_size(session)
    tree.prove_inclusion(session, 10, size)
    assert tiles.cache_for(tree.database_key(session)).has_tile(0)
    drop_guards(session, "ledger_event", is_postgres)
    session.execute(update(LedgerEvent).where(LedgerEvent.seq == 11).values(payload='{"forged":true}'))
    report = audit()
    assert not report.ok and report.first_bad_index == 10
