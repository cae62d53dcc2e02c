"""A scan report: the streaming scan of a table plus its grading, and its one JSON shape.

The JSON holds column names, entity codes, categories, levels and counts, never a value from the
table, so it can go into the ledger and onto a resource page as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.node.readers import BATCH_ROWS, TableSource, open_source
from yaosu.privacy.grading import ColumnGrade, DatasetGrade, grade_table
from yaosu.privacy.grading_rules import Rules
from yaosu.privacy.scan import ColumnScan, Progress, TableScan, error_line, scan_source


@dataclass(frozen=True)
class ScanReport:
    """A scanned and graded table: the detection verdicts and the grading, column for column."""

    scan: TableScan
    grading: DatasetGrade

    def rows(self) -> list[tuple[ColumnScan, ColumnGrade]]:
        """Each column's detection verdict beside its grading, in schema order."""
        return list(zip(self.scan.columns, self.grading.columns, strict=True))


def build_report(scan: TableScan, rules: Rules, declared: str | None = None) -> ScanReport:
    """Grade a finished scan under `rules`."""
    columns = [(c.name, c.entity, c.embedded) for c in scan.columns]
    return ScanReport(scan, grade_table(rules, columns, scan.rows, declared))


def scan_file(location: str, rules: Rules, *, progress: Progress | None = None,
              batch_rows: int = BATCH_ROWS, declared: str | None = None,
              on_open: Callable[[TableSource], None] | None = None) -> ScanReport:
    """Open, scan and grade a table file in one streaming pass; an unreadable file raises `Invalid`.

    `on_open` sees the opened source first (e.g. to size a progress bar from `rows_hint`).
    """
    try:
        source = open_source(location, batch_rows=batch_rows)
    except pa.ArrowException as exc:
        raise Invalid(f"cannot read {location}: {error_line(exc)}", field="path") from exc
    if on_open is not None:
        on_open(source)
    return build_report(scan_source(source, progress=progress), rules, declared)


def column_json(scan: ColumnScan, grade: ColumnGrade) -> dict[str, Any]:
    """One column of the report's JSON shape."""
    return {"name": scan.name, "entity": scan.entity, "category": grade.category, "level": grade.level,
            "sensitive": grade.sensitive, "confidence": float(scan.confidence),
            "match_ratio": float(scan.match_ratio), "embedded": {k: int(v) for k, v in scan.embedded.items()}}


def report_json(report: ScanReport) -> dict[str, Any]:
    """Exactly {dataset, rows, columns: [...], classification, grade}: the `yaosu scan --json` shape."""
    return {"dataset": report.scan.dataset, "rows": report.scan.rows,
            "columns": [column_json(s, g) for s, g in report.rows()],
            "classification": report.grading.classification.value, "grade": report.grading.grade.value}


def report_reasons(report: ScanReport) -> dict[str, Any]:
    """The rule ids behind the report's decisions, and the rules version (kept beside the JSON)."""
    return {"rules_version": report.grading.rules_version,
            "classification_rule": report.grading.classification.rule,
            "grade_rule": report.grading.grade.rule,
            "column_rules": {g.name: g.rule for g in report.grading.columns if g.rule}}
