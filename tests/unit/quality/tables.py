"""Small hand-made tables for the quality tests, with valid and deliberately broken ID numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from yaosu.quality.assess import Assessment, assess_table
from yaosu.quality.measures import Measure
from yaosu.quality.spec import QualitySpec, parse_spec

TODAY = date(2026, 11, 23)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(region: str, birth: str, seq: int) -> str:
    """A valid 18-digit resident ID (GB 11643): region, YYYYMMDD birth, 3-digit sequence, MOD 11-2 check."""
    first17 = f"{region}{birth}{seq:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def assess(columns: dict[str, list[Any]], spec: dict[str, Any] | None = None, **kw: Any) -> Assessment:
    """Assess a table given as column lists, with an optional spec document."""
    parsed = parse_spec(spec) if spec is not None else QualitySpec()
    return assess_table(pa.table(columns), name="t", spec=parsed, today=TODAY, **kw)


def measures(result: Assessment, check: str) -> list[Measure]:
    """The measures one check produced."""
    return [m for m in result.measures if m.check == check]


def ab(result: Assessment, check: str, column: str | None = None) -> tuple[int, int]:
    """A and B of the one measure of `check` (on `column` if given)."""
    found = [m for m in measures(result, check) if column is None or m.column == column]
    assert len(found) == 1, found
    return found[0].a, found[0].b
