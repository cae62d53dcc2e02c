"""A process-wide cache of committed subtree hashes, so inclusion and consistency proofs are served from memory.

Complete subtrees of an append-only log never change, so their hashes can be kept for the life of
the process. The bulk (levels 0-7) is held as tiles in the tlog-tiles layout: tile `t` covers
leaves [256 t, 256 t + 256) and stores its 8 levels of hashes packed in 8 byte strings (16 KiB per
tile, no per-hash objects). Hashes above level 7 and those in the partial tile at the right edge
are kept one by one. Only hashes over leaves known to be committed enter the cache (see
`tree.with_nodes`); `yaosu ledger verify` never reads the cache, it recomputes from the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from yaosu.ledger import merkle

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
HASH = 32
TILE_BYTES = (2 * TILE_WIDTH - 2) * HASH
DEFAULT_MAX_BYTES = 128 << 20  # a 1M-leaf log is about 64 MiB of tiles


class Miss(LookupError):
    """The cache does not hold the subtree `key` = (level, index)."""

    def __init__(self, key: tuple[int, int]) -> None:
        super().__init__(key)
        self.key = key


def build_tile(leaves: Sequence[bytes]) -> tuple[bytes, ...]:
    """The 8 packed levels of a full tile from its 256 leaf hashes (level 0 = the leaves)."""
    if len(leaves) != TILE_WIDTH:
        raise ValueError(f"a tile needs {TILE_WIDTH} leaf hashes, got {len(leaves)}")
    levels, row = [], list(leaves)
    for _ in range(TILE_HEIGHT):
        levels.append(b"".join(row))
        row = [merkle.node_hash(row[i], row[i + 1]) for i in range(0, len(row), 2)]
    return tuple(levels)


class SubtreeCache:
    """Committed subtree hashes of one database's log: full bottom tiles plus single hashes, bounded in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_tiles = max(1, max_bytes // 2 // TILE_BYTES)
        self.max_nodes = max(1, max_bytes // 2 // 128)  # a dict entry with its key and bytes is ~128 bytes
        self._tiles: dict[int, tuple[bytes, ...]] = {}
        self._nodes: dict[tuple[int, int], bytes] = {}
        self._lock = threading.Lock()
        self.committed_size = 0  # the largest tree size seen committed: smaller sizes need no database check

    def read(self, level: int, index: int) -> bytes:
        """The hash of subtree (level, index), or `Miss`. Lock-free: dict reads are atomic."""
        if level < TILE_HEIGHT:
            tile = self._tiles.get(index >> (TILE_HEIGHT - level))
            if tile is not None:
                j = (index & ((TILE_WIDTH >> level) - 1)) * HASH
                return tile[level][j:j + HASH]
        found = self._nodes.get((level, index))
        if found is None:
            raise Miss((level, index))
        return found

    def has_tile(self, tile: int) -> bool:
        """True if bottom tile `tile` is cached."""
        return tile in self._tiles

    def put_tile(self, tile: int, levels: tuple[bytes, ...]) -> None:
        """Keep bottom tile `tile` (its 8 packed levels), dropping the oldest tiles beyond the bound."""
        with self._lock:
            while len(self._tiles) >= self.max_tiles:
                del self._tiles[next(iter(self._tiles))]
            self._tiles[tile] = levels

    def put_nodes(self, nodes: Iterable[tuple[tuple[int, int], bytes]]) -> None:
        """Keep single subtree hashes, dropping the oldest beyond the bound."""
        with self._lock:
            for key, value in nodes:
                while len(self._nodes) >= self.max_nodes:
                    del self._nodes[next(iter(self._nodes))]
                self._nodes[key] = value

    def saw_committed(self, size: int) -> None:
        """Record that a tree of `size` leaves is committed."""
        if size > self.committed_size:
            self.committed_size = size

    def bytes_used(self) -> int:
        """An estimate of the memory the cache holds."""
        return len(self._tiles) * TILE_BYTES + len(self._nodes) * 128


_CACHES: dict[str, SubtreeCache] = {}
_CACHES_LOCK = threading.Lock()


def cache_for(database: str) -> SubtreeCache:
    """The cache of the log in `database` (its URL without password)."""
    cache = _CACHES.get(database)
    if cache is None:
        with _CACHES_LOCK:
            cache = _CACHES.setdefault(database, SubtreeCache())
    return cache


def clear_all() -> None:
    """Forget every cached hash (tests roll back what they committed; a real log never shrinks)."""
    with _CACHES_LOCK:
        _CACHES.clear()
