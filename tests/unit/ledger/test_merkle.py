"""RFC 9162 Merkle kernel: the Certificate Transparency reference tree and property tests."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.ledger import merkle

# The reference tree of transparency-dev/merkle (testonly/constants.go), used by CT implementations.
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f")]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# Interior hashes of the reference tree, NH[level][index] (same source).
NH = {
    (0, 0): "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    (0, 1): "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    (0, 2): "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    (0, 4): "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    (0, 6): "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    (1, 0): "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    (1, 1): "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    (1, 2): "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    (1, 3): "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    (2, 0): "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    (2, 1): "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
}


class Store:
    """Every complete subtree of a tree built by successive appends (what the database keeps)."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.frontiers = [merkle.Frontier(0)]
        for leaf in leaves:
            frontier, created = self.frontiers[-1].append(merkle.leaf_hash(leaf))
            self.frontiers.append(frontier)
            self.nodes.update({(level, index): h for level, index, h in created})

    def node(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]


REF = Store(LEAVES)


def _naive_root(leaves: list[bytes]) -> bytes:
    if not leaves:
        return merkle.EMPTY_ROOT
    if len(leaves) == 1:
        return merkle.leaf_hash(leaves[0])
    k = merkle.split_point(len(leaves))
    return merkle.node_hash(_naive_root(leaves[:k]), _naive_root(leaves[k:]))


@pytest.mark.parametrize("size", range(9), ids=lambda s: f"size-{s}")
def test_reference_roots(size: int) -> None:
    assert merkle.root(size, REF.node).hex() == ROOTS[size]
    assert REF.frontiers[size].root().hex() == ROOTS[size]
    assert _naive_root(LEAVES[:size]).hex() == ROOTS[size]


@pytest.mark.parametrize(("level", "index"), sorted(NH), ids=lambda v: str(v))
def test_reference_interior_nodes(level: int, index: int) -> None:
    assert REF.node(level, index).hex() == NH[(level, index)]


# (leaf index, tree size, proof as NH keys): the inclusion vectors of the Go merkle package.
INCLUSION = [
    (0, 1, []),
    (0, 8, [(0, 1), (1, 1), (2, 1)]),
    (5, 8, [(0, 4), (1, 3), (2, 0)]),
    (2, 3, [(1, 0)]),
    (1, 5, [(0, 0), (1, 1), (0, 4)]),
]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION, ids=lambda v: str(v))
def test_reference_inclusion_proofs(index: int, size: int, expected: list[tuple[int, int]]) -> None:
    proof = merkle.inclusion_proof(index, size, REF.node)
    assert [p.hex() for p in proof] == [NH[k] for k in expected]
    assert merkle.verify_inclusion(index, size, merkle.leaf_hash(LEAVES[index]), proof, bytes.fromhex(ROOTS[size]))


# (first, second, proof as NH keys): the consistency vectors of the Go merkle package.
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [(0, 1), (1, 1), (2, 1)]),
    (6, 8, [(1, 2), (1, 3), (2, 0)]),
    (2, 5, [(1, 1), (0, 4)]),
    (6, 7, [(1, 2), (0, 6), (2, 0)]),
]


@pytest.mark.parametrize(("first", "second", "expected"), CONSISTENCY, ids=lambda v: str(v))
def test_reference_consistency_proofs(first: int, second: int, expected: list[tuple[int, int]]) -> None:
    proof = merkle.consistency_proof(first, second, REF.node)
    assert [p.hex() for p in proof] == [NH[k] for k in expected]
    assert merkle.verify_consistency(first, second, bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second]), proof)


@pytest.mark.parametrize(("case", "ok"), [
    ("index-past-size", False), ("extra-element", False), ("missing-element", False), ("valid", True)])
def test_inclusion_rejects_malformed(case: str, ok: bool) -> None:
    proof = merkle.inclusion_proof(5, 8, REF.node)
    root, leaf, index = bytes.fromhex(ROOTS[8]), merkle.leaf_hash(LEAVES[5]), 5
    if case == "index-past-size":
        index = 8
    elif case == "extra-element":
        proof = [*proof, proof[0]]
    elif case == "missing-element":
        proof = proof[:-1]
    assert merkle.verify_inclusion(index, 8, leaf, proof, root) is ok


def test_consistency_rejects_trailing_element() -> None:
    proof = merkle.consistency_proof(6, 8, REF.node)
    roots = bytes.fromhex(ROOTS[6]), bytes.fromhex(ROOTS[8])
    assert merkle.verify_consistency(6, 8, *roots, proof)
    assert not merkle.verify_consistency(6, 8, *roots, [*proof, proof[0]])
    assert not merkle.verify_consistency(6, 8, *roots, proof[:-1])
    assert not merkle.verify_consistency(8, 6, roots[1], roots[0], proof)


MAX = 5000


@lru_cache(maxsize=1)
def _big() -> Store:
    return Store([i.to_bytes(4, "big") for i in range(MAX)])


def _flip(data: bytes, bit: int) -> bytes:
    bit %= len(data) * 8
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


sizes = st.integers(min_value=1, max_value=MAX)


@settings(max_examples=60, deadline=None)
@given(size=sizes, data=st.data())
def test_inclusion_proofs_verify_and_any_flip_fails(size: int, data: st.DataObject) -> None:
    tree = _big()
    index = data.draw(st.integers(0, size - 1))
    proof = merkle.inclusion_proof(index, size, tree.node)
    leaf, root = tree.node(0, index), merkle.root(size, tree.node)
    assert root == tree.frontiers[size].root()
    assert merkle.verify_inclusion(index, size, leaf, proof, root)
    bit = data.draw(st.integers(0, 255))
    assert not merkle.verify_inclusion(index, size, _flip(leaf, bit), proof, root)
    assert not merkle.verify_inclusion(index, size, leaf, proof, _flip(root, bit))
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:at], _flip(proof[at], bit), *proof[at + 1:]]
        assert not merkle.verify_inclusion(index, size, leaf, bad, root)


@settings(max_examples=60, deadline=None)
@given(second=sizes, data=st.data())
def test_consistency_proofs_verify_and_any_flip_fails(second: int, data: st.DataObject) -> None:
    tree = _big()
    first = data.draw(st.integers(1, second))
    proof = merkle.consistency_proof(first, second, tree.node)
    r1, r2 = merkle.root(first, tree.node), merkle.root(second, tree.node)
    assert merkle.verify_consistency(first, second, r1, r2, proof)
    bit = data.draw(st.integers(0, 255))
    assert not merkle.verify_consistency(first, second, _flip(r1, bit), r2, proof)
    assert not merkle.verify_consistency(first, second, r1, _flip(r2, bit), proof)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:at], _flip(proof[at], bit), *proof[at + 1:]]
        assert not merkle.verify_consistency(first, second, r1, r2, bad)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 100, 255, 256, 257, 1000, 4999, 5000])
def test_frontier_matches_stored_subtrees(size: int) -> None:
    tree = _big()
    frontier = tree.frontiers[size]
    assert [tree.node(lv, ix) for lv, ix in merkle.frontier_nodes(size)] == list(frontier.hashes)
