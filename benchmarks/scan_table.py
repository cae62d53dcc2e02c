"""A deterministic mixed table for the scan benchmark: 22 columns of identifiers, hard negatives and plain data.

Each column draws from a pool of distinct generated values (python-stdnum computes check digits),
resampled with a seeded NumPy generator, so a million rows take seconds to build and the same
seed always gives the same table. `EXPECTED` says which entity each column must be found as.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from stdnum import luhn
from stdnum.cn import ric

from yaosu.identifiers import USCC_ALPHABET, uscc_check_char
from yaosu.privacy.detect import DETECTORS

POOL = 5_000
CHUNK = 100_000
Maker = Callable[[random.Random], str]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _id_card(rng: random.Random) -> str:
    body = rng.choice(["110105", "310104", "440305", "510107"]) + (
        f"{rng.randint(1940, 2008)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{_digits(rng, 3)}")
    return body + ric.calc_check_digit(body + "0")


def _order_no(rng: random.Random) -> str:
    value = "2024" + _digits(rng, 14)  # 18 digits, a hard negative: fails the ID card date check
    return value


def _bank_card(rng: random.Random) -> str:
    body = rng.choice(["622202", "621700", "436742"]) + _digits(rng, 9)
    return body + luhn.calc_check_digit(body)


def _imei(rng: random.Random) -> str:
    body = "86" + _digits(rng, 12)
    return body + luhn.calc_check_digit(body)


def _uscc(rng: random.Random) -> str:
    body = "91" + rng.choice(["110108", "440300", "310115"]) + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
_CITIES = ["北京市海淀区", "上海市浦东新区", "广州市天河区", "深圳市南山区", "成都市武侯区", "杭州市西湖区"]
_PROVINCE_PLATES = "京沪粤川浙苏"

MAKERS: dict[str, Maker] = {
    "name": lambda r: r.choice(_SURNAMES) + "".join(r.choice(_GIVEN) for _ in range(r.randint(1, 2))),
    "id_card": _id_card,
    "mobile": lambda r: f"1{r.choice('3589')}{r.randint(0, 999_999_999):09d}",
    "landline": lambda r: f"0{r.choice(['10', '21', '755', '28'])}-{r.randint(2, 8)}{_digits(r, 7)}",
    "email": lambda r: f"user{r.randint(0, 10**6)}@{r.choice(['example.cn', 'mail.com', 'corp.com.cn'])}",
    "bank_card": _bank_card,
    "company_uscc": _uscc,
    "order_no": _order_no,
    "ip": lambda r: ".".join(str(r.randint(1, 254)) for _ in range(4)),
    "mac": lambda r: ":".join(f"{r.randint(0, 255):02X}" for _ in range(6)),
    "imei": _imei,
    "plate": lambda r: r.choice(_PROVINCE_PLATES) + r.choice("ABCDE") + "".join(
        r.choice("0123456789ABCDEFGHJK") for _ in range(5)),
    "passport": lambda r: "E" + _digits(r, 8),
    "gps": lambda r: f"{r.uniform(18, 53):.6f},{r.uniform(73, 135):.6f}",
    "address": lambda r: f"{r.choice(_CITIES)}{r.choice('中山人民建设解放')}路{r.randint(1, 999)}号",
    "remark": lambda r: r.choice(["已发货", "请尽快联系", "客户要求改期", "", "VIP", "退款处理中"]),
    "status": lambda r: r.choice(["paid", "shipped", "refunded", "open"]),
    "sku": lambda r: f"SKU-{_digits(r, 6)}",
}

def _if_registered(entity: str) -> str | None:
    """Names and addresses are expected only once their detectors exist (another slice of issue 4)."""
    return entity if entity in DETECTORS else None


EXPECTED: dict[str, str | None] = {
    "row_id": None, "name": _if_registered("PERSON_NAME"), "id_card": "CN_ID_CARD", "mobile": "CN_MOBILE",
    "landline": "CN_LANDLINE", "email": "EMAIL", "bank_card": "CN_BANK_CARD", "company_uscc": "CN_USCC",
    "order_no": None, "ip": "IP_ADDRESS", "mac": "MAC_ADDRESS", "imei": "IMEI", "plate": "CN_LICENSE_PLATE",
    "passport": "CN_PASSPORT", "gps": "GPS_COORDINATE", "address": _if_registered("ADDRESS"), "remark": None,
    "status": None, "sku": None, "amount": None, "quantity": None, "created_at": None,
}


def _pools(seed: int) -> dict[str, pa.Array]:
    return {name: pa.array([make(random.Random(f"{seed}:{name}:{i}")) for i in range(POOL)], pa.string())
            for name, make in MAKERS.items()}


def _chunk(pools: dict[str, pa.Array], start: int, rows: int, rng: np.random.Generator) -> pa.RecordBatch:
    columns: dict[str, pa.Array] = {"row_id": pa.array(np.arange(start, start + rows, dtype=np.int64))}
    for name, pool in pools.items():
        columns[name] = pool.take(pa.array(rng.integers(0, POOL, rows)))
    columns["amount"] = pa.array(np.round(rng.gamma(2.0, 150.0, rows), 2))
    columns["quantity"] = pa.array(rng.integers(1, 50, rows, dtype=np.int32))
    seconds = 1_700_000_000 + rng.integers(0, 86_400 * 365, rows)
    columns["created_at"] = pa.array(seconds * 1_000_000, pa.timestamp("us"))
    return pa.RecordBatch.from_pydict({name: columns[name] for name in EXPECTED})


def batches(rows: int, seed: int = 7) -> Iterator[pa.RecordBatch]:
    """The table's rows, `CHUNK` at a time, the same for the same `rows` and `seed`."""
    pools, rng = _pools(seed), np.random.default_rng(seed)
    for start in range(0, rows, CHUNK):
        yield _chunk(pools, start, min(CHUNK, rows - start), rng)


def write_parquet(path: Path, rows: int, seed: int = 7) -> int:
    """Write the table to `path` (row groups of `CHUNK` rows); returns the number of columns."""
    writer: pq.ParquetWriter | None = None
    for batch in batches(rows, seed):
        if writer is None:
            writer = pq.ParquetWriter(path, batch.schema)
        writer.write_batch(batch)
    if writer is not None:
        writer.close()
    return len(EXPECTED)
