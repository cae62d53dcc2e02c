"""A ledger bundle on disk (entries and signed checkpoints) and its offline verification (pure: files and a key)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yaosu.canonical import canonical_json
from yaosu.ledger import merkle, note

FORMAT = "yaosu-ledger-bundle/1"
MANIFEST, ENTRIES, CHECKPOINTS = "manifest.json", "entries.jsonl", "checkpoints"


@dataclass(frozen=True)
class BundleReport:
    """Result of checking a bundle: entries and checkpoints verified, the first bad index and why."""

    entries: int
    checkpoints: int
    first_bad_index: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None and not self.reason


def write_bundle(directory: Path, origin: str, entries: Iterable[dict[str, Any]], notes: Iterable[tuple[int, str]],
                 ) -> int:
    """Write the manifest, one JSON line per entry and one signed note per checkpoint; return the entry count."""
    (directory / CHECKPOINTS).mkdir(parents=True, exist_ok=True)
    count = 0
    with (directory / ENTRIES).open("w", encoding="utf-8") as fh:
        for entry in entries:
            fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    for size, text in notes:
        (directory / CHECKPOINTS / f"{size:020d}.note").write_text(text, encoding="utf-8")
    manifest = {"format": FORMAT, "origin": origin, "size": count}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return count


def entry_leaf(entry: dict[str, Any]) -> tuple[bytes | None, str]:
    """The leaf hash an exported entry proves, or None and the reason it is inconsistent."""
    document = entry.get("document")
    if not isinstance(document, dict):
        return None, "entry has no document"
    payload_sha = hashlib.sha256(canonical_json(entry.get("payload"))).hexdigest()
    if document.get("payload_sha256") != payload_sha:
        return None, "payload does not match the document's payload_sha256"
    if document.get("seq") != entry.get("index", -2) + 1:
        return None, "document sequence does not match the entry index"
    leaf = merkle.leaf_hash(canonical_json(document))
    if entry.get("leaf_hash") != leaf.hex():
        return None, "document does not match its leaf hash"
    return leaf, ""


def _entries(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _notes(directory: Path) -> dict[int, str]:
    notes = {}
    for path in sorted((directory / CHECKPOINTS).glob("*.note")):
        notes[int(path.stem)] = path.read_text(encoding="utf-8")
    return notes


def _check_witnesses(notes: dict[int, str], witnesses: dict[str, Ed25519PublicKey], declared: int
                     ) -> BundleReport | None:
    """Every cosignature line by a configured witness must verify, and each witness must have cosigned one
    of the bundle's checkpoints (the newest, signed at export, usually has none yet)."""
    for name, witness in witnesses.items():
        cosigned = False
        for size, text in notes.items():
            has_line = f"\n{note.SIG_PREFIX}{name} " in text
            if has_line and note.verify_cosignature(text, name, witness) is None:
                return BundleReport(0, 0, min(size, declared), f"checkpoint {size}: bad cosignature by {name}")
            cosigned = cosigned or has_line
        if not cosigned:
            return BundleReport(0, 0, 0, f"no checkpoint is cosigned by witness {name}")
    return None


def verify_bundle(directory: Path, key: Ed25519PublicKey,
                  witnesses: dict[str, Ed25519PublicKey] | None = None) -> BundleReport:
    """Recompute every leaf and the root at every checkpoint; check each checkpoint's signature with `key`
    and, when `witnesses` (name -> key) are configured, their cosignatures."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        notes = _notes(directory)
    except (OSError, ValueError) as exc:
        return BundleReport(0, 0, None, f"unreadable bundle: {exc}")
    origin = str(manifest.get("origin", ""))
    declared = int(manifest.get("size", 0))
    signed: dict[int, bytes] = {}
    for size, text in notes.items():
        cp = note.verify(text, origin, key)
        if cp is None or cp.size != size or cp.origin != origin:
            return BundleReport(0, 0, min(size, declared), f"checkpoint {size}: bad signature")
        signed[size] = cp.root
    report = _check_witnesses(notes, witnesses or {}, declared)
    return report if report is not None else _replay(directory, signed, int(manifest.get("size", -1)))


def _replay(directory: Path, signed: dict[int, bytes], declared: int) -> BundleReport:
    frontier, checked = merkle.Frontier(0), 0
    try:
        for entry in _entries(directory / ENTRIES):
            index = frontier.size
            leaf, reason = entry_leaf(entry) if entry.get("index") == index else (None, "entries out of order")
            if leaf is None:
                return BundleReport(index, checked, index, reason)
            frontier, _ = frontier.append(leaf)
            if frontier.size in signed:
                if signed[frontier.size] != frontier.root():
                    return BundleReport(index, checked, _last_good(signed, frontier.size),
                                        f"checkpoint {frontier.size}: root does not match the entries")
                checked += 1
    except (OSError, ValueError) as exc:
        return BundleReport(frontier.size, checked, frontier.size, f"unreadable entries: {exc}")
    size = frontier.size
    if size != declared or checked != len(signed):
        return BundleReport(size, checked, min(size, declared), "entries missing: checkpoints cover more entries")
    if not signed or max(signed) != size:
        return BundleReport(size, checked, max(signed, default=0), "entries after the last signed checkpoint")
    return BundleReport(size, checked)


def _last_good(signed: dict[int, bytes], failing: int) -> int:
    return max((s for s in signed if s < failing), default=0)
