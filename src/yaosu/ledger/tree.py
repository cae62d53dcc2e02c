"""The Merkle tree over the stored events: append leaves, read subtree hashes, build proofs (no actor)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, and_, bindparam, event, insert, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from yaosu.errors import Invalid, NotFound
from yaosu.ledger import merkle, tiles
from yaosu.ledger.models import LedgerEvent, LedgerHead, LedgerNode

T = TypeVar("T")
_DUMMY = bytes(32)


def encode_frontier(frontier: merkle.Frontier) -> str:
    """The frontier's subtree roots as one hex string (64 characters each, largest subtree first)."""
    return "".join(h.hex() for h in frontier.hashes)


def decode_frontier(size: int, text: str) -> merkle.Frontier:
    """The frontier of a tree of `size` leaves from its stored hex string."""
    return merkle.Frontier(size, tuple(bytes.fromhex(text[i:i + 64]) for i in range(0, len(text), 64)))


_CACHE = "yaosu.ledger.head"
_PENDING = "yaosu.ledger.pending"
_OWNERS = "yaosu.ledger.staging_sessions"  # Connection.info: sessions with staged rows on this connection
_APPENDED_HERE = "yaosu.ledger.appended"  # Session.info: this transaction appended (its leaves are uncommitted)
_SIZE = "yaosu.ledger.size"  # Connection.info: the tree size last read or staged on this connection


@dataclass
class _Pending:
    """Events and subtree hashes appended in this transaction but not yet written (one batch insert later)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    grown: bool = False


def write_pending(session: Session, conn: Connection | None = None) -> None:
    """Write the staged events, subtree hashes and the new head in three statements."""
    pending = session.info.pop(_PENDING, None)
    if pending is None or not pending.grown:
        return
    conn = conn if conn is not None else session.connection()
    conn.info.get(_OWNERS, weakref.WeakSet()).discard(session)
    frontier: merkle.Frontier = session.info[_CACHE]
    if pending.events:
        conn.execute(_EVENT_INSERT, pending.events)
    if pending.nodes:
        conn.execute(_NODE_INSERT, pending.nodes)
    conn.execute(_HEAD_UPDATE, {"size": frontier.size, "frontier": encode_frontier(frontier),
                                "root_hash": frontier.root().hex()})


@event.listens_for(Session, "do_orm_execute")
def _before_any_statement(state: ORMExecuteState) -> None:
    """Any query may read the ledger: write what is staged first."""
    write_pending(state.session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: object, _instances: object) -> None:
    write_pending(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "after_transaction_create")
def _before_savepoint(session: Session, transaction: SessionTransaction) -> None:
    """Staged rows belong outside a new savepoint: write them on the parent's connection before it begins."""
    if transaction.nested and transaction.parent is not None and session.info.get(_PENDING):
        write_pending(session, transaction.parent.connection(None))


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: SessionTransaction) -> None:
    """A commit wrote the staged rows; a rollback discarded them. Either way read the head again next time."""
    if transaction.nested or transaction.parent is None:
        session.info.pop(_CACHE, None)
        session.info.pop(_PENDING, None)
    if transaction.parent is None:
        session.info.pop(_APPENDED_HERE, None)


def _write_others(session: Session, conn: Connection) -> None:
    """Sessions sharing one connection (tests do) share its transaction: write their staged rows first."""
    for other in list(conn.info.get(_OWNERS, ())):
        if other is not session:
            write_pending(other, conn)


def locked_frontier(session: Session) -> merkle.Frontier:
    """The tree's frontier with the head row locked for this transaction (read again only if another
    session on the same connection has appended since)."""
    conn = session.connection()
    _write_others(session, conn)
    cached = session.info.get(_CACHE)
    if cached is not None and conn.info.get(_SIZE) == cached.size:
        return cast(merkle.Frontier, cached)
    write_pending(session, conn)
    if conn.dialect.name == "sqlite":
        # no SELECT ... FOR UPDATE here: a write takes the database's write lock first (waiting out other
        # writers), so the head read next is the latest and no other transaction can append before commit
        conn.execute(_CLAIM_HEAD)
    row = conn.execute(select(LedgerHead.size, LedgerHead.frontier).where(LedgerHead.id == 1)
                       .with_for_update()).first()
    if row is None:
        conn.execute(insert(_HEAD), {"id": 1, "size": 0, "root_hash": merkle.EMPTY_ROOT.hex(),
                                                    "frontier": ""})
        frontier = merkle.Frontier(0)
    else:
        frontier = decode_frontier(int(row[0]), str(row[1]))
    session.info[_CACHE] = frontier
    conn.info[_SIZE] = frontier.size
    return frontier


def tree_size(session: Session) -> int:
    """The number of leaves in the log (including leaves staged in this transaction)."""
    write_pending(session)
    return int(session.connection().scalar(select(LedgerHead.size).where(LedgerHead.id == 1)) or 0)


def add_leaf(session: Session, leaf: bytes, event_row: dict[str, Any] | None = None) -> merkle.Frontier:
    """Extend the locked tree by leaf hash `leaf` (and stage its event row); written before any query or commit."""
    frontier, created = locked_frontier(session).append(leaf)
    pending = session.info.setdefault(_PENDING, _Pending())
    if event_row is not None:
        pending.events.append(event_row)
    pending.nodes.extend({"level": lv, "idx": ix, "hash": h.hex()} for lv, ix, h in created if lv > 0)
    session.info[_CACHE] = frontier
    pending.grown = True
    session.info[_APPENDED_HERE] = True
    conn = session.connection()
    conn.info[_SIZE] = frontier.size
    conn.info.setdefault(_OWNERS, weakref.WeakSet()).add(session)
    return frontier


_EVENT_INSERT = insert(LedgerEvent.metadata.tables["ledger_event"])
_NODE_INSERT = insert(LedgerNode.metadata.tables["ledger_node"])
_HEAD = LedgerHead.metadata.tables["ledger_head"]
_CLAIM_HEAD = update(_HEAD).where(_HEAD.c.id == 1).values(size=_HEAD.c.size)
_HEAD_UPDATE = (update(_HEAD).where(_HEAD.c.id == 1)
                .values(size=bindparam("size"), frontier=bindparam("frontier"), root_hash=bindparam("root_hash")))
def load_nodes(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of the complete subtrees `keys` (level 0 = the events' leaf hashes)."""
    keys = set(keys)
    leaves = [ix + 1 for lv, ix in keys if lv == 0]
    inner = [(lv, ix) for lv, ix in keys if lv > 0]
    found: dict[tuple[int, int], bytes] = {}
    write_pending(session)
    conn = session.connection()  # Core reads: proofs are on the hot path of the public API
    if leaves:
        rows = conn.execute(select(LedgerEvent.seq, LedgerEvent.leaf_hash).where(LedgerEvent.seq.in_(leaves)))
        found.update({(0, seq - 1): bytes.fromhex(h) for seq, h in rows})
    if inner:
        by_level: dict[int, list[int]] = {}
        for lv, ix in inner:
            by_level.setdefault(lv, []).append(ix)
        # one primary-key range per level: SQLite does not use the index for a row-value IN list
        where = or_(*(and_(LedgerNode.level == lv, LedgerNode.idx.in_(ixs)) for lv, ixs in by_level.items()))
        nodes = conn.execute(select(LedgerNode.level, LedgerNode.idx, LedgerNode.hash).where(where))
        found.update({(lv, ix): bytes.fromhex(h) for lv, ix, h in nodes})
    return found


def database_key(session: Session) -> str:
    """The URL (password hidden) of the database the session works on: the key of its subtree cache."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _committed_size(session: Session, cache: tiles.SubtreeCache) -> int:
    """The tree size this session sees, if every leaf of it is committed (0 if the session appended)."""
    if session.info.get(_APPENDED_HERE):
        return 0
    size = tree_size(session)
    cache.saw_committed(size)
    return size


def _load_leaves(session: Session, tile_ids: set[int]) -> dict[int, list[bytes]]:
    """The 256 leaf hashes of each full bottom tile in `tile_ids`, in one query."""
    width = tiles.TILE_WIDTH
    ranges = [LedgerEvent.seq.between(t * width + 1, (t + 1) * width) for t in tile_ids]
    out: dict[int, list[bytes]] = {t: [] for t in tile_ids}
    for seq, h in session.connection().execute(
            select(LedgerEvent.seq, LedgerEvent.leaf_hash).where(or_(*ranges)).order_by(LedgerEvent.seq)):
        out[(seq - 1) // width].append(bytes.fromhex(h))
    return out


def _load_into_cache(session: Session, cache: tiles.SubtreeCache,
                     wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Read the `wanted` subtrees: whole bottom tiles where committed and full, single hashes otherwise;
    keep in the cache what lies over committed leaves. Returns the single hashes read."""
    committed = _committed_size(session, cache)
    height, width = tiles.TILE_HEIGHT, tiles.TILE_WIDTH
    full = {ix >> (height - lv) for lv, ix in wanted
            if lv < height and ((ix >> (height - lv)) + 1) * width <= committed}
    singles = {(lv, ix) for lv, ix in wanted if not (lv < height and ix >> (height - lv) in full)}
    for tile, leaves in _load_leaves(session, full).items() if full else ():
        if len(leaves) != width:
            raise NotFound(f"ledger leaves of tile {tile} are missing", field="ledger")
        cache.put_tile(tile, tiles.build_tile(leaves))
    found = load_nodes(session, singles)
    cache.put_nodes((key, h) for key, h in found.items() if (key[1] + 1) << key[0] <= committed)
    return found


def with_nodes(session: Session, compute: Callable[[merkle.NodeReader], T]) -> T:
    """Run `compute` over cached subtrees; on a miss, learn which it reads, load those, and run it again."""
    cache = tiles.cache_for(database_key(session))
    try:
        return compute(cache.read)
    except tiles.Miss:
        pass
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        try:
            return cache.read(level, index)
        except tiles.Miss:
            wanted.add((level, index))
            return _DUMMY

    compute(record)
    found = _load_into_cache(session, cache, wanted)

    def read(level: int, index: int) -> bytes:
        hit = found.get((level, index))
        if hit is not None:
            return hit
        try:
            return cache.read(level, index)
        except tiles.Miss:
            raise NotFound(f"ledger subtree ({level}, {index}) is missing", field="ledger") from None

    return compute(read)


def _check_size(session: Session, size: int, field: str) -> None:
    if 0 <= size <= tiles.cache_for(database_key(session)).committed_size:
        return  # a size once committed stays valid: the log only grows
    current = tree_size(session)
    if not 0 <= size <= current:
        raise Invalid(f"tree size must be between 0 and {current}", field=field)


def root_at(session: Session, size: int) -> bytes:
    """The root hash of the log when it had `size` leaves."""
    _check_size(session, size, "tree_size")
    return with_nodes(session, lambda node: merkle.root(size, node))


def prove_inclusion(session: Session, index: int, size: int) -> list[bytes]:
    """The inclusion proof of leaf `index` in the tree of `size` leaves."""
    _check_size(session, size, "tree_size")
    if not 0 <= index < size:
        raise Invalid(f"leaf index must be below the tree size {size}", field="index")
    return with_nodes(session, lambda node: merkle.inclusion_proof(index, size, node))


def prove_consistency(session: Session, first: int, second: int) -> list[bytes]:
    """The consistency proof between the trees of `first` and `second` leaves."""
    _check_size(session, second, "second")
    if not 0 <= first <= second:
        raise Invalid("first must be between 0 and second", field="first")
    return with_nodes(session, lambda node: merkle.consistency_proof(first, second, node))
