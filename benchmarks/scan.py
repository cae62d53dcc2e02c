"""The scan acceptance benchmark (issue 4): a full streaming scan of a mixed table against Presidio.

    python benchmarks/scan.py [--rows 1000000] [--peer-rows 1000] [--repeat 3] [--out docs/privacy-scan.json]

Writes a deterministic table of `--rows` rows and 22 mixed columns (benchmarks/scan_table.py) to
a temporary Parquet file, then times `yaosu.privacy.scan.scan_source` over the whole file (read,
decode, rank, confirm every row with checksum validation; best of `--repeat`) and checks every
column's verdict. Peak RSS is taken right after the scans, before Presidio is imported. Then it
runs Presidio's AnalyzerEngine, pattern-only (benchmarks/presidio_peer.py), over the first
`--peer-rows` rows of the same table and prints one JSON document with both rates and the ratio.
Targets: >= 1,000,000 cells/s, >= 300x Presidio, peak RSS <= 1024 MB.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Collection
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import scan_table
from yaosu.node.readers import open_source
from yaosu.privacy.detect import DETECTORS
from yaosu.privacy.scan import TableScan, scan_source

TARGET_CELLS_PER_S = 1_000_000
TARGET_RATIO = 300
TARGET_RSS_MB = 1024


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def time_scan(path: Path, repeat: int) -> tuple[float, TableScan]:
    """Best-of-`repeat` wall time of a full scan of `path`, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = scan_source(open_source(str(path)))
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def wrong_columns(verdicts: dict[str, str | None], entities: Collection[str] | None = None) -> list[str]:
    """The columns whose verdict differs from the expected entity (restricted to `entities` when given)."""
    def expected(entity: str | None) -> str | None:
        return entity if entities is None or entity in entities else None
    return [name for name, entity in scan_table.EXPECTED.items() if verdicts.get(name) != expected(entity)]


def run_peer(path: Path, peer_rows: int) -> dict[str, Any]:
    """Presidio over the first `peer_rows` rows of the same table: cells/s and whether its verdicts are right."""
    import presidio_peer

    analyzer = presidio_peer.make_analyzer()
    head = pq.ParquetFile(path).iter_batches(batch_size=peer_rows)
    sample = pa.Table.from_batches([next(head)])
    columns = {name: sample.column(name).to_pylist() for name in sample.column_names}
    start = time.perf_counter()
    verdicts = presidio_peer.column_verdicts(analyzer, columns)
    seconds = time.perf_counter() - start
    cells = sample.num_rows * sample.num_columns
    return {"name": "presidio-analyzer AnalyzerEngine, NoOpNlpEngine, Chinese PatternRecognizers",
            "version": metadata.version("presidio-analyzer"),
            "rows": sample.num_rows, "cells": cells, "seconds": round(seconds, 3),
            "cells_per_s": round(cells / seconds), "entities": len(presidio_peer.ENTITIES),
            "wrong_columns": wrong_columns(verdicts, presidio_peer.ENTITIES)}


def run(rows: int, peer_rows: int, repeat: int) -> dict[str, Any]:
    """Generate, scan, compare; the JSON-ready report."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan-bench.parquet"
        start = time.perf_counter()
        columns = scan_table.write_parquet(path, rows)
        generated = time.perf_counter() - start
        seconds, result = time_scan(path, repeat)
        rss = peak_rss_mb()
        ours = {"rows": result.rows, "columns": columns, "cells": result.rows * columns,
                "seconds": round(seconds, 3), "cells_per_s": round(result.rows * columns / seconds),
                "wrong_columns": wrong_columns({c.name: c.entity for c in result.columns}),
                "detectors": len(list(DETECTORS)),
                "file_mb": round(path.stat().st_size / 2**20, 1), "peak_rss_mb": rss}
        peer = run_peer(path, peer_rows)
    ratio = ours["cells_per_s"] / peer["cells_per_s"]
    return {"benchmark": "scan", "machine": platform.machine(), "python": platform.python_version(),
            "pyarrow": pa.__version__, "arrow_threads": pa.cpu_count(),
            "generate_seconds": round(generated, 2), "yaosu": ours, "presidio": peer,
            "ratio": round(ratio, 1), "peak_rss_mb_total": peak_rss_mb(),
            "targets": {"cells_per_s": TARGET_CELLS_PER_S, "ratio": TARGET_RATIO, "peak_rss_mb": TARGET_RSS_MB},
            "met": {"cells_per_s": ours["cells_per_s"] >= TARGET_CELLS_PER_S, "ratio": ratio >= TARGET_RATIO,
                    "peak_rss_mb": rss <= TARGET_RSS_MB, "verdicts": not ours["wrong_columns"]}}


def main() -> None:
    """Parse arguments, run, print JSON (and write it to --out); exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args()
    pa.set_cpu_count(1)  # one core: Arrow's compute and Parquet decoding threads off
    pa.set_io_thread_count(1)
    report = run(args.rows, args.peer_rows, args.repeat)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.exit(0 if all(report["met"].values()) else 1)


if __name__ == "__main__":
    main()
