"""`anonymize_table`: enforce k (and l) by Mondrian plus suppression, and report risk and loss before and after."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa

from yaosu.errors import PolicyViolation
from yaosu.privacy.anonymize.build import BoolArray, dimensions, ungeneralizable
from yaosu.privacy.anonymize.config import AnonymizeConfig, validate
from yaosu.privacy.anonymize.dims import Dim, NumericDim
from yaosu.privacy.anonymize.encode import IntArray
from yaosu.privacy.anonymize.measures import Measures, measure, sensitive_codes
from yaosu.privacy.anonymize.mondrian import Diversity, Partitioning, partition
from yaosu.privacy.anonymize.recode import InformationLoss, generalize, information_loss, partition_ncp
from yaosu.privacy.anonymize.risk import Risk, risk

NO_POPULATION = ("journalist risk: no population table was given, so the sample stands in for it "
                 "(F = f); this is an upper bound because a population class is never smaller")


@dataclass(frozen=True)
class AnonymizeReport:
    """Measures and re-identification risk before and after, the information loss, and notes."""

    k: int
    l_diversity: int | None
    qi: tuple[str, ...]
    sensitive: str | None
    before: Measures
    after: Measures
    risk_before: Risk
    risk_after: Risk
    loss: InformationLoss
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data."""
        return asdict(self)


def _diversity(table: pa.Table, config: AnonymizeConfig) -> Diversity | None:
    """The l-diversity requirement, checked first on the whole table (no cut can create diversity)."""
    if config.l_diversity is None or config.sensitive is None:
        return None
    codes, cardinality, _ = sensitive_codes(table, config.sensitive)
    if np.unique(codes).size < config.l_diversity:
        raise PolicyViolation(f"the table holds fewer than l={config.l_diversity} distinct sensitive values",
                              field="l_diversity")
    return Diversity(codes, cardinality, config.l_diversity)


def _outliers(dims: list[Dim], parts: Partitioning, budget: int, threshold: float) -> IntArray:
    """Partitions to suppress: those whose range on some numeric QI covers more than `threshold` of its domain
    (extreme values drag a partition's range wide), widest first, while their rows fit the budget.
    Text QIs are left out: a partition mixing two leaves of a flat hierarchy is not an outlier."""
    numeric = [j for j, d in enumerate(dims) if isinstance(d, NumericDim)]
    if not numeric or budget <= 0:
        return np.zeros(0, dtype=np.int64)
    widest = partition_ncp(dims, parts)[numeric].max(axis=0)
    sizes = np.bincount(parts.ids, minlength=parts.count)
    order = np.argsort(-widest, kind="stable")
    order = order[widest[order] > threshold]
    fits = np.cumsum(sizes[order]) <= budget
    chosen: IntArray = order[: int(np.argmin(fits)) if not fits.all() else order.size]
    return chosen


def _drop(parts: Partitioning, drop: IntArray) -> tuple[Partitioning, BoolArray]:
    """The partitioning without partitions `drop`, renumbered, and the mask of rows kept."""
    keep_part = np.ones(parts.count, dtype=bool)
    keep_part[drop] = False
    renumber = np.cumsum(keep_part) - 1
    rows = keep_part[parts.ids]
    return Partitioning(renumber[parts.ids[rows]], parts.lo[:, keep_part], parts.hi[:, keep_part]), rows


def _enforce(table: pa.Table, config: AnonymizeConfig) -> tuple[pa.Table, list[Dim], Partitioning, int]:
    """Suppress what cannot be generalized, partition the rest, suppress outlier partitions within the budget."""
    budget = int(np.floor(config.max_suppression * table.num_rows))
    bad = ungeneralizable(table, config)
    if int(bad.sum()) > budget:
        raise PolicyViolation(f"{int(bad.sum())} rows have a missing or unlisted quasi-identifier value, more than "
                              f"the suppression limit allows ({budget})", field="max_suppression")
    kept = table.filter(pa.array(~bad)) if bad.any() else table
    if kept.num_rows < config.k:
        raise PolicyViolation(f"only {kept.num_rows} rows remain; k={config.k} cannot be met", field="k")
    dims = dimensions(kept, config)
    parts = partition(dims, config.k, _diversity(kept, config))
    drop = _outliers(dims, parts, budget - int(bad.sum()), config.outlier_ncp)
    parts, rows = _drop(parts, drop)
    if drop.size:
        kept = kept.filter(pa.array(rows))
        dims = [_subset(d, rows) for d in dims]
    return kept, dims, parts, table.num_rows - kept.num_rows


def _subset(dim: Dim, rows: BoolArray) -> Dim:
    """The dimension restricted to the kept rows (ranges are unchanged)."""
    return replace(dim, codes=dim.codes[rows])


def anonymize_table(table: pa.Table, config: AnonymizeConfig,
                    population: pa.Table | None = None) -> tuple[pa.Table, AnonymizeReport]:
    """The k-anonymous (and l-diverse) version of `table` and the before/after report (DOMAIN.md §3)."""
    validate(config, table)
    qi = list(config.qi)
    before = measure(table, qi, config.sensitive)
    risk_before = risk(table, qi, threshold=config.threshold, population=population)
    kept, dims, parts, suppressed = _enforce(table, config)
    output = generalize(kept, dims, parts)
    notes = [NO_POPULATION] if population is None else [
        "journalist risk after anonymization uses the sample (the population is not generalized): an upper bound"]
    loss = information_loss(output, dims, parts, partition_ncp(dims, parts), original_rows=table.num_rows,
                            suppressed=suppressed, k=config.k)
    report = AnonymizeReport(k=config.k, l_diversity=config.l_diversity, qi=config.qi, sensitive=config.sensitive,
                             before=before,
                             after=measure(output, qi, config.sensitive),
                             risk_before=risk_before, risk_after=risk(output, qi, threshold=config.threshold),
                             loss=loss, notes=tuple(notes))
    return output, report
