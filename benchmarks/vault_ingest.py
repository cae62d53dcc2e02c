"""Ingest throughput and peak RSS of the node vault (encrypt + verify) against a plain pyarrow CSV→Parquet copy.

Generates a CSV (default 1,000,000 rows x 8 mixed columns, GBK-encoded so transcoding is measured
too), then runs each contender in its own process and reads that process's peak RSS with
`os.wait4`. Peer: pyarrow's streaming CSV reader writing an unencrypted Parquet file with no
verification pass (the floor any ingest pays). Prints JSON.

    python benchmarks/vault_ingest.py [--rows N] [--encoding gbk|utf-8] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CITIES = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市", "武汉市", "西安市"]


def make_csv(path: Path, rows: int, encoding: str) -> None:
    """A reproducible CSV of `rows` customer-like rows."""
    rng = random.Random(7)
    with path.open("w", encoding=encoding, newline="") as fh:
        fh.write("编号,姓名,手机号,城市,年龄,余额,注册日期,备注\n")
        for i in range(rows):
            name = rng.choice(SURNAMES) + rng.choice(SURNAMES)
            phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
            age = "" if i % 50 == 0 else str(rng.randrange(18, 90))
            fh.write(f"{i},{name},{phone},{rng.choice(CITIES)},{age},{rng.random() * 1e5:.2f},"
                     f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},客户{i % 997}号\n")


CHILD = {
    "yaosu": """
import sys
from pathlib import Path
from yaosu.ids import new_id
from yaosu.node.readers import open_source
from yaosu.node.vault import Vault
vault = Vault.for_data_dir(Path(sys.argv[2]))
stored = vault.write(new_id(), open_source(sys.argv[1]))
vault.publish(stored)
print(stored.rows, stored.byte_size)
""",
    "pyarrow_plain": """
import sys, pyarrow.csv as c, pyarrow.parquet as pq
from pathlib import Path
reader = c.open_csv(sys.argv[1], read_options=c.ReadOptions(block_size=1 << 22, encoding=sys.argv[3]))
out = Path(sys.argv[2]) / "plain.parquet"
Path(sys.argv[2]).mkdir(parents=True, exist_ok=True)
rows = 0
with pq.ParquetWriter(out, reader.schema, compression="zstd") as w:
    for b in reader:
        w.write_batch(b)
        rows += b.num_rows
print(rows, out.stat().st_size)
""",
}


def run_child(name: str, csv: Path, out: Path, encoding: str) -> dict[str, object]:
    """Run one contender in a fresh process; its wall time, rows and peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD[name], str(csv), str(out), encoding],
                            stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    assert proc.stdout is not None
    rows, size = proc.stdout.read().split()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed")
    return {"seconds": round(seconds, 3), "rows": int(rows), "rows_per_s": round(int(rows) / seconds),
            "bytes_out": int(size), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    """Generate the table, run both contenders, print JSON (and write it to --out if given)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="gbk")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "customers.csv"
        make_csv(csv, args.rows, args.encoding)
        yaosu = run_child("yaosu", csv, Path(tmp) / "node", args.encoding)
        peer = run_child("pyarrow_plain", csv, Path(tmp) / "plain", args.encoding)
        report = {"benchmark": "vault_ingest", "rows": args.rows, "columns": 8, "encoding": args.encoding,
                  "csv_mb": round(csv.stat().st_size / 2**20, 1), "yaosu_vault": yaosu, "peer_pyarrow_plain": peer,
                  "time_ratio_vs_peer": round(float(yaosu["seconds"]) / float(peer["seconds"]), 2)}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
