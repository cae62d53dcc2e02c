"""Normativity (规范性) checks: data standards, the declared model, metadata and authoritative reference data.

shared/DOMAIN.md §4; the identifier rules are those of §8 as implemented by the privacy detectors.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy import reference
from yaosu.privacy.checksums import PROVINCE_CODES
from yaosu.privacy.classify import non_blank
from yaosu.privacy.detect import DETECTORS
from yaosu.quality.columns import examples, mask, present, type_family
from yaosu.quality.measures import CHECKS, EXAMPLES, Context, Measure, arrow_only
from yaosu.quality.sql import quote

GENERIC_NAME = re.compile(r"^(?:unnamed.*|col(?:umn)?[ _]?\d+|field[ _]?\d+|f\d+|_?c\d+|\d+|\s*)$", re.IGNORECASE)
COMPATIBLE = {"float": {"float", "integer"}, "timestamp": {"timestamp", "date"}}


def _failing(values: pa.Array, ok: pa.BooleanArray) -> tuple[str, ...]:
    bad = values.filter(pc.invert(ok)).slice(0, EXAMPLES).to_pylist()
    return tuple(mask(v) for v in bad)


def _entity_column(ctx: Context, column: str, entity: str) -> list[Measure]:
    """Shape (format compliance) and full standard (shape + checksum/validation) of one entity column."""
    detector = DETECTORS.get(entity)()
    values = pc.utf8_trim_whitespace(non_blank(ctx.table.column(column)))
    matches = detector.pattern_matches(values)
    shaped = matches[0]
    for more in matches[1:]:
        shaped = pc.or_(shaped, more)
    ok = pc.and_(shaped, pc.fill_null(detector.validate(values, shaped), False))
    n, a_shape, a_ok = len(values), int(pc.sum(shaped).as_py() or 0), int(pc.sum(ok).as_py() or 0)
    return [Measure("format_compliance", "entity_format", column, a_shape, n,
                    _failing(values, shaped) if a_shape < n else (), note=entity),
            Measure("data_standard", "entity_standard", column, a_ok, n,
                    _failing(values, ok) if a_ok < n else (), note=entity)]


@CHECKS.register("entities")
@arrow_only
def entities(ctx: Context) -> list[Measure]:
    """Per column with a detected or declared entity: values with its shape, and values passing its standard."""
    return [m for column, entity in ctx.entities.items() if entity in DETECTORS and entity != "FREE_TEXT"
            for m in _entity_column(ctx, column, entity)]


@CHECKS.register("declared_model")
def declared_model(ctx: Context) -> list[Measure]:
    """Per declared column: present in the table with a compatible type (1/1) or not (0/1)."""
    types = {f.name: type_family(f.type) for f in ctx.table.schema}
    out = []
    for column, spec in ctx.spec.columns.items():
        actual = types.get(column)
        ok = actual is not None and (spec.type is None or actual in COMPATIBLE.get(spec.type, {spec.type}))
        note = "missing" if actual is None else f"declared {spec.type or 'any'}, found {actual}"
        out.append(Measure("data_model", "declared_model", column, int(ok), 1, note=note))
    return out


@CHECKS.register("column_names")
def column_names(ctx: Context) -> list[Measure]:
    """Columns whose names are meaningful (not blank, not `Unnamed: 0`, `col3`, `f12`)."""
    names = ctx.table.column_names
    bad = [n for n in names if GENERIC_NAME.match(n)]
    return [Measure("metadata", "column_names", None, len(names) - len(bad), len(names),
                    tuple(mask(n) for n in bad[:EXAMPLES]))]


@CHECKS.register("code_lists")
def code_lists(ctx: Context) -> list[Measure]:
    """Per column with a declared value list: present values that are in the list."""
    out = []
    for column, spec in ctx.spec.columns.items():
        if spec.values is None or column not in ctx.table.column_names:
            continue
        text = f"CAST({quote(column)} AS VARCHAR)"
        allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in spec.values) or "NULL"
        failing = f"{text} NOT IN ({allowed})"
        has = present(column, ctx.table.schema.field(column).type)
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {text} IN ({allowed})), count(*) FROM t WHERE {has}")  # noqa: S608
        out.append(Measure("authoritative_reference", "code_lists", column, a, b,
                           examples(ctx, column, f"{has} AND {failing}") if a < b else ()))
    return out


@CHECKS.register("reference_data")
def reference_data(ctx: Context) -> list[Measure]:
    """ID numbers opening with a GB/T 2260 province code; ethnicity values among the 56 groups."""
    out = []
    ids = ctx.column_of("CN_ID_CARD")
    if ids is not None:
        values = non_blank(ctx.table.column(ids))
        prefix = pc.utf8_slice_codeunits(values, 0, 2)
        digits = pc.match_substring_regex(prefix, "^[0-9]{2}$")
        codes = np.where(digits.to_numpy(zero_copy_only=False),
                         pc.cast(pc.if_else(digits, prefix, "0"), pa.int32()).to_numpy(zero_copy_only=False), 0)
        ok = pa.array(np.isin(codes, sorted(PROVINCE_CODES)))
        a = int(np.count_nonzero(ok.to_numpy(zero_copy_only=False)))
        out.append(Measure("authoritative_reference", "id_region_code", ids, a, len(values),
                           _failing(values, ok) if a < len(values) else (), note="GB/T 2260"))
    ethnic = ctx.column_of("ETHNICITY")
    if ethnic is not None:
        values = non_blank(ctx.table.column(ethnic))
        ok = pc.is_in(pc.utf8_lower(values), value_set=reference.value_set("ethnic_groups"))
        a = int(pc.sum(ok).as_py() or 0)
        out.append(Measure("authoritative_reference", "ethnic_groups", ethnic, a, len(values),
                           _failing(values, ok) if a < len(values) else (), note="GB 3304"))
    return out
