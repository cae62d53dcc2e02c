"""Speed of the attribute detectors and of `count_embedded` over 1M-value columns, against a per-cell Python peer.

    python benchmarks/scan_detectors.py [--rows 1000000] [--peer-rows 20000] [--repeat 3]

For each detector (PERSON_NAME ... FREE_TEXT) a column of `--rows` values is resampled from a pool
of the benchmark's own generated values (`accuracy_data`, one in ten replaced by a hard negative).
Ours: `Detector.detect` over the whole column. Peer: a plain Python loop over `--peer-rows` of the
same values doing what a per-cell scanner does, the detector's patterns with `re` plus the same
list lookups in a Python set. Prints JSON with cells/s, the ratio, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from stdnum.cn import ric

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accuracy_data as gen
from scan_kernels import best_seconds, python_regex
from yaosu.privacy import reference
from yaosu.privacy.detect import DETECTORS
from yaosu.privacy.embedded import count_embedded

POOL = 20_000
MAKERS: dict[str, gen.Gen] = {
    "PERSON_NAME": gen.person_name, "ADDRESS": gen.address, "DATE_OF_BIRTH": gen.birth_date,
    "GENDER": gen.pick(["男", "女"]), "ETHNICITY": gen.pick(["汉族", "回族", "壮族"]), "ORG_NAME": gen.org_name,
    "MEDICAL": gen.medical, "RELIGION": gen.pick(["佛教", "无宗教信仰"]), "FREE_TEXT": lambda r: gen.prose(r, 0.3),
}
LISTS = {name: set(reference.value_set(name).to_pylist())
         for name in ("diagnoses", "ethnic_groups", "religions", "divisions")}


def column(make: gen.Gen, rows: int, seed: int) -> pa.Array:
    """`rows` values resampled from a pool of generated ones, one in ten an order number."""
    rng = random.Random(seed)
    pool = [gen.order_number(rng) if i % 10 == 0 else make(rng) for i in range(POOL)]
    picks = np.random.default_rng(seed).integers(0, len(pool), rows)
    return pa.array(pool, pa.string()).take(pa.array(picks))


def peer_for(entity: str) -> Callable[[str], bool]:
    """Per-cell equivalent: the detector's patterns with `re`, then lookups in the reference sets."""
    patterns = [python_regex(p) for p in DETECTORS.get(entity).patterns]
    listed = set().union(*LISTS.values())

    def check(value: str) -> bool:
        value = value.strip()
        return any(p.search(value) for p in patterns) and value.lower() not in listed
    return check


_TOKEN = re.compile(r"[0-9A-Za-z@._%+\-:]{6,}")
_MOBILE = re.compile(r"(?:\+?86)?1[3-9][0-9]{9}")


def _embedded_peer(value: str) -> int:
    """Per cell: identifier-shaped tokens with `re`, ID check digit by stdnum, mobiles by pattern (a light peer)."""
    found = 0
    for match in _TOKEN.finditer(value):
        token = match.group().strip(".:-")
        if len(token) == 18 and token[:17].isdigit():
            found += ric.calc_check_digit(token) == token[-1].upper()  # stdnum's MOD 11-2, no county table
        else:
            found += bool(_MOBILE.fullmatch(token))
    return found


def run(rows: int, peer_rows: int, repeat: int) -> dict[str, Any]:
    """Time every detector and `count_embedded`; return the JSON-ready report."""
    results = []
    for seed, (entity, make) in enumerate(MAKERS.items()):
        values = column(make, rows, seed)
        detector = DETECTORS.get(entity)()
        sample = values.slice(0, peer_rows).to_pylist()
        peer = peer_for(entity)
        ours = best_seconds(lambda d=detector, v=values: d.detect(v), repeat)  # type: ignore[misc]
        theirs = best_seconds(lambda p=peer, s=sample: [p(x) for x in s], 1)  # type: ignore[misc]
        results.append(_row(f"detect[{entity}]", rows, ours, "python re + set lookups per cell", peer_rows, theirs))
    prose = column(MAKERS["FREE_TEXT"], rows, 99)
    sample = prose.slice(0, peer_rows).to_pylist()
    ours = best_seconds(lambda: count_embedded(prose), repeat)
    theirs = best_seconds(lambda: [_embedded_peer(x) for x in sample], 1)
    results.append(_row("count_embedded[prose]", rows, ours, "python re.finditer per cell + stdnum MOD 11-2 / mobile",
                        peer_rows, theirs))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"benchmark": "scan_detectors", "python": sys.version.split()[0], "pyarrow": pa.__version__,
            "results": results, "peak_rss_mb": round(peak_mb, 1)}


def _row(name: str, rows: int, ours: float, peer: str, peer_rows: int, theirs: float) -> dict[str, Any]:
    return {"kernel": name, "rows": rows, "seconds": round(ours, 4), "cells_per_second": round(rows / ours),
            "peer": peer, "peer_rows": peer_rows, "peer_cells_per_second": round(peer_rows / theirs),
            "ratio": round((rows / ours) / (peer_rows / theirs), 1)}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.rows, args.peer_rows, args.repeat), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
