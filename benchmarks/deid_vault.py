"""Masking a vault dataset into a derived dataset, against masking the same table as a plain Parquet file.

Generates a Parquet table (default 1,000,000 rows x 8 columns: ID number, name, mobile, city, age,
balance, date, note), ingests it into a fresh node (not timed), then runs each contender in its own
process and reads that process's peak RSS with `os.wait4`:

- `yaosu_vault_mask`: `deid.service.mask_dataset` under one explicit policy, end to end: decrypt the
  source, scan it (report "before"), mask batch by batch into the vault writer (encrypt, verify,
  publish), re-scan the stored result (report "after"), lineage row, ledger event, commit.
- peer `yaosu_mask_file`: `privacy.mask.files.mask_file` with the same policy from the plain Parquet
  file to a plain Parquet file (no encryption, no verification, no scans, no database).

The ratio is the vault path's time over the file path's: the cost of doing it inside the vault with
lineage. Prints JSON.

    python benchmarks/deid_vault.py [--rows N] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CITIES = ["北京市", "上海市", "广州市", "深圳市", "杭州市", "成都市", "武汉市", "西安市"]
POLICY = {"columns": {
    "身份证号": {"operator": "partial_mask", "params": {"keep_first": 6, "keep_last": 4}},
    "姓名": {"operator": "tokenize", "params": {"prefix": "NAME_"}},
    "手机号": {"operator": "hash"},
    "年龄": {"operator": "generalize_age"},
    "注册日期": {"operator": "generalize_date", "params": {"level": "month"}},
    "备注": {"operator": "redact"},
}}


def make_table(path: Path, rows: int) -> None:
    """A reproducible Parquet table of `rows` customer-like rows, written in slices."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from stdnum.cn import ric

    rng = random.Random(7)
    writer = None
    for start in range(0, rows, 100_000):
        n = min(100_000, rows - start)
        ids = []
        for _ in range(n):
            body = f"110105{rng.randint(1950, 2005)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(0, 999):03d}"
            ids.append(body + str(ric.calc_check_digit(body + "0")))
        batch = pa.table({
            "身份证号": ids, "姓名": [rng.choice(SURNAMES) + rng.choice(SURNAMES) for _ in range(n)],
            "手机号": [f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" for _ in range(n)],
            "城市": [rng.choice(CITIES) for _ in range(n)], "年龄": [rng.randrange(18, 90) for _ in range(n)],
            "余额": [round(rng.random() * 1e5, 2) for _ in range(n)],
            "注册日期": [f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}" for _ in range(n)],
            "备注": [f"客户{(start + i) % 997}号" for i in range(n)]})
        writer = writer or pq.ParquetWriter(path, batch.schema)
        writer.write_table(batch)
    assert writer is not None
    writer.close()


PREPARE = """
import sys
from pathlib import Path
from yaosu.bootstrap import setup
from yaosu.config import Settings
from yaosu.db.engine import unit_of_work
from yaosu.node.service import add_dataset
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime, system_actor
runtime = Runtime.from_settings(Settings(data_dir=Path(sys.argv[2])))
setup(runtime)
with unit_of_work(runtime.sessions) as s:
    row = add_dataset(session=s, actor=system_actor(s), vault=Vault.for_data_dir(runtime.data_dir),
                      location=sys.argv[1], name="bench")
    print(row.id)
"""

CHILD = {
    "yaosu_vault_mask": """
import json, sys, time
from pathlib import Path
from yaosu.config import Settings
from yaosu.db.engine import unit_of_work
from yaosu.deid.service import mask_dataset
from yaosu.node.vault import Vault
from yaosu.privacy.mask.policy import parse_policy
from yaosu.runtime import Runtime, system_actor
runtime = Runtime.from_settings(Settings(data_dir=Path(sys.argv[2])))
policy = parse_policy(json.loads(sys.argv[3]))
start = time.perf_counter()
with unit_of_work(runtime.sessions) as s:
    lineage = mask_dataset(session=s, actor=system_actor(s), vault=Vault.for_data_dir(runtime.data_dir),
                           dataset_id=sys.argv[1], name="masked", policy=policy)
    rows = lineage.report["after"]["rows"]
print(rows, time.perf_counter() - start)
""",
    "yaosu_mask_file": """
import json, sys, time
from pathlib import Path
from yaosu.privacy.mask.files import mask_file
from yaosu.privacy.mask.policy import parse_policy
policy = parse_policy(json.loads(sys.argv[3]))
start = time.perf_counter()
out = Path(sys.argv[2]) / "masked.parquet"
result = mask_file(Path(sys.argv[1]), out, policy, force=True)
print(result.rows, time.perf_counter() - start)
""",
}


def run(code: str, *args: str) -> tuple[str, float]:
    """Run `code` in a fresh process; its stdout and peak RSS in MB."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    assert proc.stdout is not None
    out = proc.stdout.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark child failed: {args}")
    return out.strip(), usage.ru_maxrss / 1024


def contender(name: str, source: str, where: Path, rows: int) -> dict[str, object]:
    """One contender's rows, seconds (measured inside the child), rows/s and peak RSS."""
    out, rss = run(CHILD[name], source, str(where), json.dumps(POLICY, ensure_ascii=False))
    done, seconds = out.split()[-2:]
    assert int(done) == rows, (name, done)
    return {"seconds": round(float(seconds), 3), "rows": rows, "rows_per_s": round(rows / float(seconds)),
            "peak_rss_mb": round(rss, 1)}


def main() -> None:
    """Generate, ingest, run both contenders, print JSON (and write it to --out if given)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "customers.parquet"
        make_table(table, args.rows)
        node = Path(tmp) / "node"
        dataset_id, _ = run(PREPARE, str(table), str(node))
        vault = contender("yaosu_vault_mask", dataset_id.splitlines()[-1], node, args.rows)
        peer = contender("yaosu_mask_file", str(table), Path(tmp), args.rows)
    report = {"benchmark": "deid_vault", "rows": args.rows, "columns": 8, "masked_columns": len(POLICY["columns"]),
              "yaosu_vault_mask": vault, "peer_yaosu_mask_file": peer,
              "time_ratio_vs_peer": round(float(vault["seconds"]) / float(peer["seconds"]), 2)}
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
