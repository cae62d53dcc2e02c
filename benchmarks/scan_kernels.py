"""Micro-benchmark of the vectorized privacy kernels against a per-value python-stdnum loop.

    python benchmarks/scan_kernels.py [--rows 1000000] [--peer-rows 20000] [--repeat 3]

For each checksum kernel and for `classify_column`, times the kernel over `--rows` generated
values (half corrupted for the kernels, one in ten for
`classify_column` so that the column is confirmed; a pool of distinct values resampled to size) and the same
verdict computed by a plain Python loop with python-stdnum over `--peer-rows` of them, and prints
one JSON document: cells/s for both, their ratio, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
from stdnum import imei, luhn
from stdnum.cn import ric, uscc

from yaosu.identifiers import USCC_ALPHABET, uscc_check_char
from yaosu.privacy import checksums
from yaosu.privacy.classify import classify_column
from yaosu.privacy.detect import DETECTORS

POOL = 20_000
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_VALUE = {c: (int(c) if c.isdigit() else v) for c, v in zip(
    VIN_CHARS, [*range(10), 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9], strict=True)}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CELL_PEER = "python loop per cell: all registered detectors' patterns with re, stdnum validation"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _corrupt(value: str, rng: random.Random) -> str:
    i = rng.randrange(len(value))
    return value[:i] + str((int(value[i]) + 1) % 10 if value[i].isdigit() else 7) + value[i + 1:]


def _id(rng: random.Random) -> str:
    body = "110105" + f"{rng.randint(1930, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + _digits(rng, 3)
    return body + ric.calc_check_digit(body + "0")


def _uscc(rng: random.Random) -> str:
    tail = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    body = rng.choice("159") + rng.choice("123") + _digits(rng, 6) + tail
    return body + uscc_check_char(body)


def _card(rng: random.Random) -> str:
    body = "62" + _digits(rng, rng.randint(13, 16))
    return body + luhn.calc_check_digit(body)


def _imei(rng: random.Random) -> str:
    body = "35" + _digits(rng, 12)
    return body + luhn.calc_check_digit(body)


def vin_check(vin: str) -> str:
    """ISO 3779 check digit of a 17-character VIN (python-stdnum has no VIN module)."""
    return "0123456789X"[sum(VIN_VALUE[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True)) % 11]


def _vin(rng: random.Random) -> str:
    vin = "".join(rng.choice(VIN_CHARS) for _ in range(17))
    return vin[:8] + vin_check(vin) + vin[9:]


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + _digits(rng, 9)


def column(make: Callable[[random.Random], str], rows: int, seed: int, corrupt_every: int) -> pa.Array:
    """`rows` values resampled from a pool of distinct ones, one in `corrupt_every` corrupted by one digit."""
    rng = random.Random(seed)
    pool = [_corrupt(make(rng), rng) if i % corrupt_every == 0 else make(rng) for i in range(POOL)]
    picks = np.random.default_rng(seed).integers(0, len(pool), rows)
    return pa.array(pool, pa.string()).take(pa.array(picks))


def best_seconds(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of `repeat` timed runs of `fn`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def python_regex(pattern: str) -> re.Pattern[str]:
    """An RE2 pattern in Python's `re` dialect (\\p{Han} and \\p{L} spelled as ranges)."""
    han = "\u4e00-\u9fff"
    return re.compile(pattern.replace("[\\p{Han}", f"[{han}").replace("\\p{Han}", f"[{han}]")
                      .replace("\\p{L}", "[^\\W\\d_]"))


PATTERNS = [(cls.entity, [python_regex(p) for p in cls.patterns]) for _, cls in DETECTORS.items()]
STDNUM_CHECKS: dict[str, Callable[[str], bool]] = {
    "CN_ID_CARD": ric.is_valid, "CN_USCC": uscc.is_valid, "IMEI": imei.is_valid, "CN_BANK_CARD": luhn.is_valid}


def cell_by_cell(value: str) -> list[str]:
    """What a per-cell scanner does: every detector's patterns with `re`, then stdnum validation."""
    value = value.strip()
    return [entity for entity, patterns in PATTERNS
            if any(p.fullmatch(value) for p in patterns) and STDNUM_CHECKS.get(entity, bool)(value)]


def _classify(values: pa.Array) -> str | None:
    finding = classify_column(values, "remark")
    return finding.entity if finding else None


CASES: list[tuple[str, Callable[[random.Random], str], Callable[[pa.Array], Any], str, Callable[[str], Any]]] = [
    ("cn_id_card_valid", _id, checksums.cn_id_card_valid, "stdnum.cn.ric.is_valid", ric.is_valid),
    ("uscc_valid", _uscc, checksums.uscc_valid, "stdnum.cn.uscc.is_valid", uscc.is_valid),
    ("luhn_valid", _card, checksums.luhn_valid, "stdnum.luhn.is_valid", luhn.is_valid),
    ("imei_valid", _imei, checksums.imei_valid, "stdnum.imei.is_valid", imei.is_valid),
    ("vin_valid", _vin, checksums.vin_valid, "python loop (ISO 3779; stdnum has no VIN)",
     lambda v: vin_check(v) == v[8]),
    ("classify_column[CN_ID_CARD]", _id, _classify, CELL_PEER, cell_by_cell),
    ("classify_column[CN_MOBILE]", _mobile, _classify, CELL_PEER, cell_by_cell),
]


def run(rows: int, peer_rows: int, repeat: int) -> dict[str, Any]:
    """Time every case and return the JSON-ready report."""
    results = []
    for seed, (name, make, kernel, peer_name, peer) in enumerate(CASES):
        classify = name.startswith("classify")
        values = column(make, rows, seed, corrupt_every=10 if classify else 2)
        sample = values.slice(0, peer_rows).to_pylist()
        ours = best_seconds(lambda k=kernel, c=values: k(c), repeat)  # type: ignore[misc]
        theirs = best_seconds(lambda p=peer, s=sample: [p(v) for v in s], 1)  # type: ignore[misc]
        results.append({"kernel": name, "rows": rows, "seconds": round(ours, 4),
                        "cells_per_second": round(rows / ours), "peer": peer_name, "peer_rows": peer_rows,
                        "peer_cells_per_second": round(peer_rows / theirs),
                        "ratio": round((rows / ours) / (peer_rows / theirs), 1),
                        **({"found": kernel(values)} if classify else {})})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"benchmark": "scan_kernels", "python": sys.version.split()[0], "pyarrow": pa.__version__,
            "numpy": np.__version__, "results": results, "peak_rss_mb": round(peak_mb, 1)}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.rows, args.peer_rows, args.repeat), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
