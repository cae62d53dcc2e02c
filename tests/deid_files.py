"""A synthetic people table for the de-identification integration tests (valid ID numbers, mobiles, QIs)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from stdnum.cn import ric

DISTRICTS = ["北京市海淀区", "北京市朝阳区", "上海市浦东新区", "上海市徐汇区", "广州市天河区", "深圳市南山区"]


def id_card(rng: random.Random) -> str:
    """A checksum-valid resident ID number."""
    born = f"{rng.randint(1950, 2005)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
    body = rng.choice(["110105", "440305", "310104"]) + born + f"{rng.randint(0, 999):03d}"
    return body + str(ric.calc_check_digit(body + "0"))


def people(n: int = 400, seed: int = 7) -> list[dict[str, Any]]:
    """`n` rows: ID number, mobile, age, gender, district and income."""
    rng = random.Random(seed)
    return [{"身份证号": id_card(rng), "手机": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
             "年龄": rng.randint(18, 80), "性别": rng.choice(["男", "女"]), "区县": rng.choice(DISTRICTS),
             "收入": round(rng.uniform(1000, 50000), 2)} for _ in range(n)]


def write_people(path: Path, rows: list[dict[str, Any]] | None = None) -> Path:
    """The people table as Parquet."""
    pq.write_table(pa.Table.from_pylist(rows if rows is not None else people()), path)
    return path
