"""Recompute the whole log from the stored events and check it against stored subtrees and checkpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.canonical import canonical_json
from yaosu.ledger import merkle, note
from yaosu.ledger.models import LedgerCheckpoint, LedgerCosignature, LedgerEvent, LedgerHead, LedgerNode


@dataclass(frozen=True)
class LedgerReport:
    """Result of recomputing the log: leaves checked, checkpoints checked, first bad leaf index and why."""

    size: int
    checkpoints: int
    first_bad_index: int | None = None
    reason: str = ""
    witnessed: dict[str, int] = field(default_factory=dict)  # configured witness -> largest size it cosigned

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None


def leaf_of(row: LedgerEvent) -> bytes:
    """The RFC 9162 leaf hash of a stored event, recomputed from its fields."""
    return merkle.leaf_hash(canonical_json(row.document()))


def build_levels(leaves: list[bytes]) -> list[list[bytes]]:
    """Every complete subtree hash, level by level (level 0 = the leaves)."""
    levels = [leaves]
    while len(levels[-1]) >= 2:
        below = levels[-1]
        levels.append([merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return levels


def _scan_leaves(session: Session) -> tuple[list[bytes], LedgerReport | None]:
    leaves: list[bytes] = []
    for row in session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq)).yield_per(2000):
        index = len(leaves)
        if row.seq != index + 1:
            return leaves, LedgerReport(index, 0, index, f"event with sequence {index + 1} is missing")
        leaf = leaf_of(row)
        if leaf.hex() != row.leaf_hash:
            return leaves, LedgerReport(index, 0, index, "event does not match its leaf hash")
        leaves.append(leaf)
    return leaves, None


def _scan_nodes(session: Session, levels: list[list[bytes]]) -> LedgerReport | None:
    bad: int | None = None
    for level in range(1, len(levels)):
        stored = session.execute(select(LedgerNode.idx, LedgerNode.hash).where(LedgerNode.level == level)
                                 .order_by(LedgerNode.idx)).all()
        expected = levels[level]
        for i, h in enumerate(expected):
            if i >= len(stored) or stored[i][0] != i or stored[i][1] != h.hex():
                first = i << level
                bad = first if bad is None else min(bad, first)
                break
        if len(stored) > len(expected):  # subtrees over leaves that are gone: the log was truncated
            first = len(levels[0])
            bad = first if bad is None else min(bad, first)
    if bad is None:
        return None
    return LedgerReport(len(levels[0]), 0, bad, "stored subtree hashes do not match the events")


def _scan_checkpoints(session: Session, levels: list[list[bytes]], key: Ed25519PublicKey,
                      origin: str) -> tuple[int, LedgerReport | None]:
    size = len(levels[0])

    def node(level: int, index: int) -> bytes:
        return levels[level][index]

    count, verified = 0, 0
    for cp in session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.size)):
        signed = note.verify(cp.note, origin, key)
        if signed is None or signed.size != cp.size or signed.root.hex() != cp.root_hash:
            return count, LedgerReport(size, count, min(cp.size, size), f"checkpoint {cp.size} has a bad signature")
        if cp.size > size:
            return count, LedgerReport(size, count, size, f"checkpoint {cp.size} is beyond the {size} stored events")
        if merkle.root(cp.size, node) != signed.root:
            # leaves and subtrees were rewritten consistently: the change lies after the last good checkpoint
            return count, LedgerReport(size, count, verified, f"checkpoint {cp.size} root does not match the events")
        count, verified = count + 1, cp.size
    return count, None


def _scan_cosignatures(session: Session, witnesses: Mapping[str, Ed25519PublicKey],
                       size: int, count: int) -> tuple[dict[str, int], LedgerReport | None]:
    """Every stored cosignature by a configured witness must verify over its checkpoint's note."""
    witnessed: dict[str, int] = {}
    rows = session.execute(select(LedgerCosignature.size, LedgerCosignature.witness, LedgerCosignature.line,
                                  LedgerCheckpoint.note)
                           .join(LedgerCheckpoint, LedgerCheckpoint.size == LedgerCosignature.size)
                           .order_by(LedgerCosignature.size))
    for cp_size, name, line, signed in rows:
        key = witnesses.get(name)
        if key is None:
            continue
        if note.verify_cosignature(signed + line, name, key) is None:
            return witnessed, LedgerReport(size, count, min(cp_size, size),
                                           f"cosignature by {name} on checkpoint {cp_size} does not verify")
        witnessed[name] = max(witnessed.get(name, 0), cp_size)
    return witnessed, None


def check_ledger(session: Session, key: Ed25519PublicKey, origin: str,
                 witnesses: Mapping[str, Ed25519PublicKey] | None = None) -> LedgerReport:
    """Recompute every leaf, every stored subtree, the head, every checkpoint and the configured witnesses'
    cosignatures; report the first failure."""
    leaves, report = _scan_leaves(session)
    if report is not None:
        return report
    levels = build_levels(leaves)
    report = _scan_nodes(session, levels)
    if report is not None:
        return report
    count, report = _scan_checkpoints(session, levels, key, origin)
    if report is not None:
        return report
    head = session.execute(select(LedgerHead.size, LedgerHead.root_hash).where(LedgerHead.id == 1)).first()
    size = len(leaves)
    root = merkle.root(size, lambda lv, ix: levels[lv][ix]) if size else merkle.EMPTY_ROOT
    if head is not None and (head[0] != size or head[1] != root.hex()):
        return LedgerReport(size, count, min(int(head[0]), size), "the tree head does not match the events")
    witnessed, report = _scan_cosignatures(session, witnesses or {}, size, count)
    return report if report is not None else LedgerReport(size, count, witnessed=witnessed)
