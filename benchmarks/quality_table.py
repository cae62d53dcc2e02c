"""A deterministic 20-column table for the quality benchmark, with planted problems at known rates.

Built with NumPy over whole columns. Planted: 1% blank names, 0.5% broken ID check characters,
0.3% birth-date columns contradicting the ID, 0.2% gender contradictions, 0.2% address provinces
contradicting the ID region, 1% negative amounts, 0.5% unknown status codes, 0.5% end before
start, 0.1% duplicated order ids, 0.2% placeholder notes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))
REGIONS = np.array(["110105", "310104", "440106", "330106", "510107"])
PROVINCES = np.array(["北京市朝阳区", "上海市徐汇区", "广东省广州市天河区", "浙江省杭州市西湖区", "四川省成都市武侯区"])
STATUSES = np.array(["paid", "shipped", "refunded", "cancelled"])
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
GIVEN = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"))


def _digits(strings: npt.NDArray[np.str_], width: int) -> npt.NDArray[np.int64]:
    raw = np.frombuffer(strings.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(-1, width)
    return (raw - ord("0")).astype(np.int64)


def _id_numbers(rng: np.random.Generator, n: int) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.int64],
                                                         npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    region = rng.integers(0, len(REGIONS), n)
    birth = np.datetime64("1950-01-01") + rng.integers(0, 365 * 55, n).astype("timedelta64[D]")
    seq = rng.integers(0, 1000, n)
    ymd = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    first17 = np.char.add(np.char.add(REGIONS[region], ymd), np.char.zfill(seq.astype(str), 3))
    check = (_digits(first17, 17) * WEIGHTS).sum(axis=1) % 11
    broken = _plant(rng, n, 0.005)
    check[broken] = (check[broken] + 1) % 11  # right shape, wrong MOD 11-2 check character
    return np.char.add(first17, CHECK[check]), region, birth.astype("datetime64[D]").astype(np.int64), seq


def _plant(rng: np.random.Generator, n: int, rate: float) -> npt.NDArray[np.int64]:
    return rng.choice(n, int(n * rate), replace=False)


def build(rows: int, seed: int = 36344) -> pa.Table:
    """The benchmark table: 20 columns, `rows` rows."""
    rng = np.random.default_rng(seed)
    ids, region, birth_days, seq = _id_numbers(rng, rows)
    dob = np.datetime_as_string(birth_days.astype("datetime64[D]"), unit="D")
    dob[_plant(rng, rows, 0.003)] = "1999-09-09"
    gender = np.where(seq % 2 == 1, "男", "女")
    flip = _plant(rng, rows, 0.002)
    gender[flip] = np.where(gender[flip] == "男", "女", "男")
    province = region.copy()
    moved = _plant(rng, rows, 0.002)
    province[moved] = (province[moved] + 1) % len(REGIONS)
    address = np.char.add(PROVINCES[province], np.char.add(rng.integers(1, 999, rows).astype(str), "号"))
    name = np.char.add(SURNAMES[rng.integers(0, len(SURNAMES), rows)], GIVEN[rng.integers(0, len(GIVEN), rows)])
    name[_plant(rng, rows, 0.01)] = ""
    order_id = np.arange(rows, dtype=np.int64)
    dup = _plant(rng, rows, 0.001)
    order_id[dup] = order_id[(dup + 1) % rows]
    amount = np.round(rng.gamma(2.0, 150.0, rows), 2)
    amount[_plant(rng, rows, 0.01)] *= -1
    status = STATUSES[rng.integers(0, len(STATUSES), rows)]
    status[_plant(rng, rows, 0.005)] = "unknown"
    start = np.datetime64("2025-01-01T00:00:00") + rng.integers(0, 300 * 86400, rows).astype("timedelta64[s]")
    end = start + rng.integers(60, 7 * 86400, rows).astype("timedelta64[s]")
    late = _plant(rng, rows, 0.005)
    end[late] = start[late] - np.timedelta64(3600, "s")
    mobile = np.char.add("13", np.char.zfill(rng.integers(0, 10**9, rows).astype(str), 9))
    note = np.where(rng.random(rows) < 0.5, "正常", "加急").astype("U8")
    note[_plant(rng, rows, 0.002)] = "N/A"
    return pa.table({
        "order_id": order_id, "身份证号": ids, "姓名": name, "出生日期": dob, "性别": gender, "住址": address,
        "手机号": mobile, "amount": amount, "quantity": rng.integers(1, 20, rows), "status": status,
        "created_at": pa.array(start.astype("datetime64[us]")), "shipped_at": pa.array(end.astype("datetime64[us]")),
        "warehouse": rng.integers(1, 50, rows).astype(str), "discount": np.round(rng.random(rows) * 0.3, 3),
        "channel": np.array(["web", "app", "store"])[rng.integers(0, 3, rows)], "score": rng.integers(1, 6, rows),
        "weight_kg": np.round(rng.random(rows) * 30, 2), "coupon": rng.random(rows) < 0.2,
        "note": note, "region_code": REGIONS[region],
    })
