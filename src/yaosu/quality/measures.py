"""What a check returns (a Measure: A over B for one sub-indicator), the check registry and the check context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from yaosu.quality.indicators import indicator
from yaosu.quality.spec import QualitySpec
from yaosu.registry import Registry

EXAMPLES = 3  # failing examples kept per measure, always masked


@dataclass(frozen=True)
class Measure:
    """One evaluated requirement: sub-indicator, check, column(s), A and B, masked failing examples.

    A counts elements meeting the requirement, except for lower-is-better indicators (duplicate and
    dirty-data rates) where A counts the bad elements (shared/DOMAIN.md §4).
    """

    indicator: str
    check: str
    column: str | None
    a: int
    b: int
    examples: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        indicator(self.indicator)
        if not 0 <= self.a <= self.b:
            raise ValueError(f"{self.check}: A={self.a} must lie in [0, B={self.b}]")

    @property
    def ratio(self) -> float | None:
        """A/B, or None when nothing was checked."""
        return self.a / self.b if self.b else None


@dataclass(frozen=True)
class ReadStats:
    """How reading went: rows read, rows the source declared up front (if it did), batches."""

    rows: int
    rows_declared: int | None
    batches: int


@dataclass
class Context:
    """Everything a check may look at: the table in DuckDB (as `t`), the spec, column entities, the clock."""

    con: duckdb.DuckDBPyConnection
    table: pa.Table
    spec: QualitySpec
    entities: Mapping[str, str]
    today: date
    read: ReadStats
    references: Mapping[str, str] = field(default_factory=dict)  # foreign table file -> registered name
    baseline: pa.Schema | None = None

    def scalar(self, sql: str) -> int:
        """The first value of a one-row query as int (NULL → 0)."""
        values = self.row(sql)
        return values[0] if values else 0

    def row(self, sql: str) -> tuple[int, ...]:
        """The values of a one-row query as ints (NULL → 0)."""
        rows = self.con.execute(sql).fetchall()  # fetchall: DuckDB keeps a half-read result open otherwise
        return tuple(int(v) if v is not None else 0 for v in (rows[0] if rows else ()))

    def column_of(self, entity: str) -> str | None:
        """The first column (schema order) holding `entity`, or None."""
        return next((c for c in self.table.column_names if self.entities.get(c) == entity), None)


Check = Callable[[Context], list[Measure]]
CHECKS: Registry[Check] = Registry("quality check")
ARROW_ONLY: set[Check] = set()  # checks that compute with Arrow alone (no DuckDB): they run on a second thread


def arrow_only(check: Check) -> Check:
    """Mark a check as Arrow-only, so the assessment may run it beside the DuckDB checks."""
    ARROW_ONLY.add(check)
    return check
