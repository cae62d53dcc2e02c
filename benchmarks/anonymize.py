"""Benchmark k-anonymization: Mondrian on 1M rows x 5 quasi-identifiers (k = 10) and two peers in the same run.

    python benchmarks/anonymize.py [--rows 1000000] [--k 10] [--peer-rows 20000] [--out FILE.json]

Quasi-identifiers: age, gender, district (address hierarchy), a 6-digit zip-like code, year of birth.
(default output: docs/privacy-anonymization-bench.json).
Reports time, rows/s (also with distinct l = 5 enforced), peak RSS (taken right after our first run,
before any peer is loaded) and information loss.
Peers, when installed (neither can be a declared dependency, see docs/libraries.md):
- pyCANON `k_anonymity` measuring the same published table: ratio = its seconds / our `measure` seconds.
- ANJANA `k_anonymity` (full-domain generalization over pandas) enforcing k on the first `--peer-rows`
  rows with equivalent hierarchies: ratio = our rows/s / ANJANA rows/s on that same sample.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from yaosu.privacy.anonymize import AnonymizeConfig, anonymize_table, measure
from yaosu.privacy.anonymize.encode import classes

QI = ("age", "gender", "district", "zip", "yob")
PLACES = {
    "浙江省": {"杭州市": ["西湖区", "上城区", "拱墅区", "滨江区"], "宁波市": ["鄞州区", "海曙区", "北仑区"],
              "温州市": ["鹿城区", "瓯海区"]},
    "广东省": {"广州市": ["天河区", "越秀区", "海珠区", "番禺区"], "深圳市": ["南山区", "福田区", "宝安区"]},
    "四川省": {"成都市": ["武侯区", "锦江区", "青羊区"], "绵阳市": ["涪城区", "游仙区"]},
    "北京市": {"北京市": ["海淀区", "朝阳区", "东城区", "西城区", "丰台区"]},
    "上海市": {"上海市": ["浦东新区", "徐汇区", "静安区", "黄浦区"]},
}


def districts() -> list[tuple[str, str, str]]:
    """(full district, city, province) for every synthetic district."""
    out = []
    for province, cities in PLACES.items():
        for city, names in cities.items():
            prefix = province if city == province else province + city
            out += [(prefix + name, prefix, province) for name in names]
    return out


def people(rows: int, seed: int = 7) -> pa.Table:
    """Synthetic microdata: skewed ages, a zip code tied to the district, a sensitive diagnosis."""
    rng = np.random.default_rng(seed)
    places = districts()
    where = rng.integers(0, len(places), rows)
    age = np.clip(rng.normal(42, 18, rows), 0, 99).astype(np.int64)
    return pa.table({
        "age": age,
        "gender": rng.choice(np.array(["男", "女"]), rows),
        "district": np.array([p[0] for p in places])[where],
        "zip": 100000 + where * 20000 + rng.integers(0, 2000, rows) * 7,
        "yob": 2025 - age - rng.integers(0, 2, rows),
        "diagnosis": rng.choice(np.array(["J11", "J45", "E11", "I10", "K29", "M54", "F32", "N39"]), rows),
    })


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / (1 << 20)


def ours(table: pa.Table, k: int, ell: int | None = None) -> tuple[pa.Table, dict[str, Any]]:
    """Time `anonymize_table` (k, and distinct l when given) and the report's key numbers."""
    config = AnonymizeConfig(qi=QI, k=k, sensitive="diagnosis", l_diversity=ell, hierarchies={"district": "address"})
    start = time.perf_counter()
    out, report = anonymize_table(table, config)
    seconds = time.perf_counter() - start
    return out, {
        "seconds": round(seconds, 3), "rows_per_s": round(table.num_rows / seconds),
        "k_after": report.after.k, "l_after": report.after.l_distinct, "classes": report.after.classes,
        "gcp": round(report.loss.gcp, 5),
        "ncp": {n: round(v, 5) for n, v in report.loss.ncp.items()},
        "discernibility": report.loss.discernibility, "average_class_ratio": round(report.loss.average_class_ratio, 4),
        "suppressed_rows": report.loss.suppressed_rows,
        "prosecutor_max_before": report.risk_before.prosecutor_max,
        "prosecutor_max_after": report.risk_after.prosecutor_max,
        "records_at_risk_before": round(report.risk_before.records_at_risk, 5),
        "unique_share_before": round(report.before.unique_share, 5),
    }


def pycanon_measure(out: pa.Table) -> dict[str, Any]:
    """pyCANON's k on our published table vs our `measure` on it."""
    try:
        from pycanon import anonymity
    except ImportError:
        return {"installed": False}
    start = time.perf_counter()
    our_k = measure(out, list(QI)).k
    our_s = time.perf_counter() - start
    frame = out.select(list(QI)).to_pandas()
    start = time.perf_counter()
    their_k = anonymity.k_anonymity(frame, list(QI))
    their_s = time.perf_counter() - start
    return {"installed": True, "k_pycanon": int(their_k), "k_ours": our_k, "pycanon_seconds": round(their_s, 3),
            "ours_seconds": round(our_s, 3), "ratio": round(their_s / our_s, 2),
            "ratio_denominator": "our measure() seconds on the same published table"}


def _bands(values: np.ndarray, widths: tuple[int, ...]) -> dict[int, Any]:
    """ANJANA hierarchy levels for an integer column: the values, then bands of each width, then '*'."""
    levels: dict[int, Any] = {0: values}
    for i, width in enumerate(widths, start=1):
        low = values // width * width
        levels[i] = np.array([f"{a}-{a + width - 1}" for a in low])
    levels[len(widths) + 1] = np.array(["*"] * values.size)
    return levels


def anjana_hierarchies(sample: pa.Table) -> dict[str, dict[int, Any]]:
    """Hierarchies equivalent to ours: bands for age / year of birth, prefixes for zip, the address tree."""
    zips = np.unique(sample.column("zip").to_numpy())
    zip_levels: dict[int, Any] = {0: zips}
    for i, keep in enumerate((5, 4, 3, 2), start=1):
        zip_levels[i] = np.array([str(z)[:keep] + "*" * (6 - keep) for z in zips])
    zip_levels[5] = np.array(["*"] * zips.size)
    tree = {full: (city, province) for full, city, province in districts()}
    names = np.unique(sample.column("district").to_numpy(zero_copy_only=False))
    genders = np.unique(sample.column("gender").to_numpy(zero_copy_only=False))
    return {
        "age": _bands(np.unique(sample.column("age").to_numpy()), (5, 10, 20)),
        "yob": _bands(np.unique(sample.column("yob").to_numpy()), (5, 10, 20)),
        "zip": zip_levels,
        "gender": {0: genders, 1: np.array(["*"] * genders.size)},
        "district": {0: names, 1: np.array([tree[n][0] for n in names]), 2: np.array([tree[n][1] for n in names]),
                     3: np.array(["*"] * names.size)},
    }


def anjana_peer(sample: pa.Table, k: int) -> dict[str, Any]:
    """ANJANA enforcing k on `sample` next to ours on the same rows; ratio = our rows/s / its rows/s."""
    try:
        from anjana.anonymity import k_anonymity
    except ImportError:
        return {"installed": False}
    frame = sample.to_pandas()
    hierarchies = anjana_hierarchies(sample)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        published = k_anonymity(frame, [], list(QI), k, 5, hierarchies)
    their_s = time.perf_counter() - start
    _, mine = ours(sample, k)
    kept = pa.Table.from_pandas(published[list(QI)].astype(str), preserve_index=False)
    sizes = classes(kept, list(QI)).sizes.astype(np.float64) if kept.num_rows else np.zeros(0)
    suppressed = sample.num_rows - kept.num_rows
    return {"installed": True, "rows": sample.num_rows, "anjana_seconds": round(their_s, 3),
            "ours_seconds": mine["seconds"], "ratio": round(their_s / mine["seconds"], 1),
            "ratio_denominator": "ANJANA rows/s on the same sample (ours rows/s / ANJANA rows/s)",
            "anjana_k": int(sizes.min()) if sizes.size else 0, "anjana_suppressed_rows": suppressed,
            "anjana_discernibility": float((sizes ** 2).sum() + suppressed * sample.num_rows),
            "ours_discernibility": mine["discernibility"], "ours_suppressed_rows": mine["suppressed_rows"]}


def main() -> None:
    """Run the benchmark and print (and save) one JSON document."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("docs/privacy-anonymization-bench.json"))
    args = parser.parse_args()
    table = people(args.rows)
    out, result = ours(table, args.k)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    doc = {"benchmark": "anonymize", "rows": args.rows, "k": args.k, "qi": list(QI),
           "python": platform.python_version(), "machine": platform.machine(), "mondrian": result,
           "budget_seconds": 60, "within_budget": result["seconds"] <= 60,
           "mondrian_l5": ours(table, args.k, 5)[1],
           "pycanon_measure": pycanon_measure(out),
           "anjana_enforce": anjana_peer(table.slice(0, args.peer_rows), args.k)}
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
