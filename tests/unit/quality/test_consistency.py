"""Planted contradictions between an ID number and other columns are counted exactly."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from tests.unit.quality.tables import ab, assess, id_number, measures

N = 40


def people() -> dict[str, list[object]]:
    """40 consistent people (Beijing and Guangdong IDs), then contradictions planted in known rows."""
    ids, dobs, genders, addresses = [], [], [], []
    for i in range(N):
        region, province = ("110105", "北京市朝阳区建国路") if i % 2 else ("440106", "广东省广州市天河路")
        birth = date(1960 + i, 1 + i % 12, 1 + i % 28)
        seq = 100 + i  # odd sequence digit → male
        ids.append(id_number(region, birth.strftime("%Y%m%d"), seq))
        dobs.append(birth.isoformat())
        genders.append("男" if seq % 2 else "女")
        addresses.append(f"{province}{i + 1}号")
    return {"身份证号": ids, "出生日期": dobs, "性别": genders, "住址": addresses}


def test_id_birth_date_against_dob_column() -> None:
    table = people()
    for row in (3, 7, 11):
        table["出生日期"][row] = "1999-09-09"
    table["出生日期"][20] = None  # missing: not compared
    assert ab(assess(table), "id_birth_date") == (N - 1 - 3, N - 1)


def test_dob_in_other_formats_is_parsed() -> None:
    table = people()
    table["出生日期"] = [d.replace("-", "") if i % 2 else d.replace("-", "/") for i, d in enumerate(table["出生日期"])]
    assert ab(assess(table), "id_birth_date") == (N, N)


def test_id_sex_digit_against_gender_column() -> None:
    table = people()
    for row in (0, 5, 9, 30):
        table["性别"][row] = "女" if table["性别"][row] == "男" else "男"
    table["性别"][12] = "未知"  # unstated: not compared
    assert ab(assess(table), "id_gender") == (N - 1 - 4, N - 1)


def test_id_region_against_address_province() -> None:
    table = people()
    table["住址"][2] = "上海市黄浦区南京东路1号"
    table["住址"][4] = "浙江省杭州市西湖路2号"
    table["住址"][6] = "建国路88号"  # no province named: not compared
    assert ab(assess(table), "id_region_province") == (N - 1 - 2, N - 1)


def test_all_consistent_scores_100_and_examples_are_masked() -> None:
    table = people()
    result = assess(table)
    assert result.scores.dimensions["consistency"] == 100.0
    table["性别"][0] = "男"  # row 0 has an even sequence digit: female
    (m,) = measures(assess(table), "id_gender")
    assert m.examples == (table["身份证号"][0][:3] + "*" * 13 + table["身份证号"][0][-2:],)


def test_date_typed_dob_column_is_compared() -> None:
    table = people()
    dobs = [date.fromisoformat(str(d)) for d in table["出生日期"]]
    dobs[1] = date(2001, 1, 1)
    columns = {**table, "出生日期": pa.array(dobs, pa.date32())}
    result = assess({k: list(v) if not isinstance(v, pa.Array) else v.to_pylist() for k, v in columns.items()},
                    {"columns": {"出生日期": {"entity": "DATE_OF_BIRTH"}}})
    assert ab(result, "id_birth_date") == (N - 1, N)
