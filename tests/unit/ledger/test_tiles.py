"""The subtree cache: packed tiles hold the same hashes as the RFC 9162 recursion, misses are reported, bounds hold."""

from __future__ import annotations

import pytest

from yaosu.ledger import merkle, tiles

LEAVES = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(3 * tiles.TILE_WIDTH)]


def mth(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 §2.1.1, straight from the definition."""
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split_point(len(leaves))
    return merkle.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def _expected(level: int, index: int) -> bytes:
    return mth(LEAVES[index << level:(index + 1) << level])


@pytest.mark.parametrize(("level", "index"), [(0, 0), (0, 255), (1, 7), (3, 31), (7, 0), (7, 1), (0, 300), (5, 12)])
def test_a_cached_tile_reads_the_subtree_hashes(level: int, index: int) -> None:
    cache = tiles.SubtreeCache()
    for t in range(2):
        cache.put_tile(t, tiles.build_tile(LEAVES[t * 256:(t + 1) * 256]))
    assert cache.read(level, index) == _expected(level, index)


def test_a_subtree_outside_the_cache_is_a_miss() -> None:
    cache = tiles.SubtreeCache()
    cache.put_tile(0, tiles.build_tile(LEAVES[:256]))
    with pytest.raises(tiles.Miss) as miss:
        cache.read(0, 256)
    assert miss.value.key == (0, 256)
    with pytest.raises(tiles.Miss):
        cache.read(8, 0)  # above the tile: kept one by one, not derived
    cache.put_nodes([((8, 0), _expected(8, 0))])
    assert cache.read(8, 0) == _expected(8, 0)


def test_a_tile_needs_all_its_leaves() -> None:
    with pytest.raises(ValueError, match="256"):
        tiles.build_tile(LEAVES[:255])


def test_the_cache_stays_within_its_bound() -> None:
    cache = tiles.SubtreeCache(max_bytes=4 * tiles.TILE_BYTES)
    assert cache.max_tiles == 2
    for t in range(3):
        cache.put_tile(t, tiles.build_tile(LEAVES[t * 256:(t + 1) * 256]))
    assert not cache.has_tile(0) and cache.has_tile(1) and cache.has_tile(2)
    cache.put_nodes(((9, i), b"x" * 32) for i in range(cache.max_nodes + 10))
    assert cache.bytes_used() <= 4 * tiles.TILE_BYTES
