"""RFC 9162 Merkle tree: hashing, roots, inclusion and consistency proofs and their verification (pure)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

EMPTY_ROOT = hashlib.sha256(b"").digest()

# (level, index) -> hash of the complete subtree over leaves [index * 2**level, (index + 1) * 2**level)
NodeReader = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than `n` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(start: int, end: int, node: NodeReader) -> bytes:
    """MTH(D[start:end]) for a range the RFC recursion produces (start aligned to the range's power of two)."""
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0:
        level = n.bit_length() - 1
        return node(level, start >> level)
    k = split_point(n)
    return node_hash(range_hash(start, start + k, node), range_hash(start + k, end, node))


def root(size: int, node: NodeReader) -> bytes:
    """The root hash of the tree of the first `size` leaves."""
    return range_hash(0, size, node)


def inclusion_proof(index: int, size: int, node: NodeReader) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf level first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} outside tree of size {size}")
    proof: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            proof.append(range_hash(start + k, end, node))
            end = start + k
        else:
            proof.append(range_hash(start, start + k, node))
            start, m = start + k, m - k
    proof.reverse()
    return proof


def consistency_proof(first: int, second: int, node: NodeReader) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1 (empty when first is 0 or equals second)."""
    if not 0 <= first <= second:
        raise ValueError(f"cannot prove consistency from size {first} to size {second}")
    if first in (0, second):
        return []
    proof: list[bytes] = []
    start, end, m, complete = 0, second, first, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            proof.append(range_hash(start + k, end, node))
            end = start + k
        else:
            proof.append(range_hash(start, start + k, node))
            start, m, complete = start + k, m - k, False
    if not complete:
        proof.append(range_hash(start, end, node))
    proof.reverse()
    return proof


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree with `root_hash`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does `proof` show the tree of size `first` is a prefix of the one of size `second`?"""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    path = [first_root, *proof] if first & (first - 1) == 0 else list(proof)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


@dataclass(frozen=True)
class Frontier:
    """The roots of the complete subtrees that make up a tree of `size` leaves, largest first."""

    size: int
    hashes: tuple[bytes, ...] = ()

    def root(self) -> bytes:
        """The tree's root hash, folding the subtree roots right to left."""
        if not self.hashes:
            return EMPTY_ROOT
        acc = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            acc = node_hash(h, acc)
        return acc

    def append(self, leaf: bytes) -> tuple[Frontier, list[tuple[int, int, bytes]]]:
        """The frontier after appending leaf hash `leaf`, and the new complete subtrees (level, index, hash)."""
        index, h, level = self.size, leaf, 0
        hashes = list(self.hashes)
        created = [(0, index, h)]
        while (index >> level) & 1:
            h = node_hash(hashes.pop(), h)
            level += 1
            created.append((level, index >> level, h))
        hashes.append(h)
        return Frontier(self.size + 1, tuple(hashes)), created


def frontier_levels(size: int) -> list[int]:
    """The levels of the subtrees in the frontier of a tree of `size` leaves, largest first."""
    return [bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]


def frontier_nodes(size: int) -> list[tuple[int, int]]:
    """The (level, index) of each subtree in the frontier of a tree of `size` leaves, largest first."""
    nodes, start = [], 0
    for level in frontier_levels(size):
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes
