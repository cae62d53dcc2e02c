"""Run a full assessment: materialize the table as Arrow, detect entities, run every check and custom rule, score.

The table is read batch by batch from a `TableSource` into one Arrow table (about the size of its
Arrow columns in memory: 1M rows x 20 columns is roughly 0.2-0.4 GB) and registered in a locked,
file-less DuckDB connection (`yaosu.quality.sql.sandbox`) as `t`; checks are vectorized SQL or
Arrow compute over whole columns.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from yaosu import clock
from yaosu.errors import Invalid
from yaosu.node.readers import TableSource
from yaosu.privacy.classify import classify_column
from yaosu.quality import checks_accuracy, checks_norm, checks_time, consistency  # noqa: F401  (fill CHECKS)
from yaosu.quality.columns import is_text
from yaosu.quality.measures import ARROW_ONLY, CHECKS, Check, Context, Measure, ReadStats
from yaosu.quality.rules import compile_rules, run_rule
from yaosu.quality.scores import Scores, score
from yaosu.quality.spec import QualitySpec
from yaosu.quality.sql import sandbox

SAMPLE = 4000  # values per text column used to detect its entity
MAX_ROWS = 50_000_000  # one assessment holds the table in memory

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Assessment:
    """The result: dataset, size, entities per column, every measure, the scores, the spec used and the date."""

    dataset: str
    rows: int
    columns: tuple[str, ...]
    entities: Mapping[str, str]
    measures: tuple[Measure, ...]
    scores: Scores
    spec_name: str
    spec_version: str
    assessed_on: date


def materialize(source: TableSource, progress: Progress | None = None) -> tuple[pa.Table, ReadStats]:
    """All batches of `source` as one Arrow table, with read statistics; Invalid past MAX_ROWS."""
    batches, rows = [], 0
    for batch in source.batches:
        batches.append(batch)
        rows += batch.num_rows
        if rows > MAX_ROWS:
            raise Invalid(f"表超过 {MAX_ROWS:,} 行 / table larger than {MAX_ROWS:,} rows", field="path")
        if progress is not None:
            progress(rows)
    table = pa.Table.from_batches(batches, schema=source.schema)
    return table, ReadStats(rows=rows, rows_declared=source.rows_hint, batches=len(batches))


def detect_entities(table: pa.Table, spec: QualitySpec) -> dict[str, str]:
    """Column → entity code: declared in the spec, else (unless the spec turns detection off) detected on an evenly
    spaced sample of each text column."""
    out = {}
    for field in table.schema:
        declared = spec.columns.get(field.name)
        if declared is not None and declared.entity is not None:
            out[field.name] = declared.entity
            continue
        if not spec.detect or not is_text(field.type) or table.num_rows == 0:
            continue
        picks = np.unique(np.linspace(0, table.num_rows - 1, min(SAMPLE, table.num_rows)).astype(np.int64))
        finding = classify_column(table.column(field.name).take(pa.array(picks)), header=field.name)
        if finding is not None:
            out[field.name] = finding.entity
    return out


def _run_checks(ctx: Context, checks: list[Check]) -> list[Measure]:
    """Every check's measures in registry order; the Arrow-only checks run on a second thread meanwhile (Arrow
    releases the GIL), the DuckDB checks on this one (one connection is used by one thread at a time)."""
    side = [c for c in checks if c in ARROW_ONLY]
    results: dict[Check, list[Measure]] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="quality-arrow") as pool:
        futures = {c: pool.submit(c, ctx) for c in side}
        for check in checks:
            if check not in ARROW_ONLY:
                results[check] = check(ctx)
        for check, future in futures.items():
            results[check] = future.result()
    return [m for check in checks for m in results[check]]


def assess_table(table: pa.Table, *, name: str, spec: QualitySpec | None = None, read: ReadStats | None = None,
                 references: Mapping[str, pa.Table] | None = None, baseline: pa.Schema | None = None,
                 today: date | None = None, only: Collection[str] | None = None) -> Assessment:
    """Assess an Arrow table on the six dimensions (`only`: a subset of check names); refused rules raise first."""
    spec = spec or QualitySpec()
    rules = compile_rules(spec.rules, table.column_names)
    refs = {f"ref_{i}": t for i, t in enumerate((references or {}).values())}
    con = sandbox({"t": table, **refs})
    try:
        ctx = Context(con=con, table=table, spec=spec, entities=detect_entities(table, spec),
                      today=today or clock.now().date(),
                      read=read or ReadStats(rows=table.num_rows, rows_declared=table.num_rows, batches=1),
                      references=dict(zip(references or {}, refs, strict=True)), baseline=baseline)
        measures = _run_checks(ctx, [check for name, check in CHECKS.items() if only is None or name in only])
        measures += [run_rule(ctx, rule, sql) for rule, sql in rules]
    finally:
        con.close()
    scores = score(measures, dimension_weights=spec.weights.dimensions, indicator_weights=spec.weights.indicators)
    return Assessment(dataset=name, rows=table.num_rows, columns=tuple(table.column_names), entities=ctx.entities,
                      measures=tuple(measures), scores=scores, spec_name=spec.name, spec_version=spec.version,
                      assessed_on=ctx.today)


def assess_source(source: TableSource, *, spec: QualitySpec | None = None, progress: Progress | None = None,
                  references: Mapping[str, pa.Table] | None = None, baseline: pa.Schema | None = None,
                  only: Collection[str] | None = None) -> Assessment:
    """Read `source` completely and assess it."""
    table, read = materialize(source, progress)
    return assess_table(table, name=source.name, spec=spec, read=read, references=references, baseline=baseline,
                        only=only)
