"""Re-identification risk as ARX defines it: prosecutor, journalist and marketer models (DOMAIN.md §3).

Prosecutor: the attacker knows the person is in the sample; a record's risk is 1 / its class size.
Journalist: the attacker links against a population; a record's risk is 1 / the matching population
class size F. Without a population table we say so and use the sample (F = f), which is the upper
bound because F >= f. Marketer: the expected share of records re-identified, (1/n) * sum(f / F),
which is classes / records when the sample stands in for the population (and equals the average
journalist risk per record, so it is reported once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.privacy.anonymize.encode import Classes, IntArray, classes, column


@dataclass(frozen=True)
class Risk:
    """Re-identification risks of one table (all in [0, 1]) and where the population counts came from."""

    rows: int
    prosecutor_max: float
    prosecutor_avg: float
    journalist_max: float
    marketer: float
    records_at_risk: float
    threshold: float
    population: str


def population_sizes(sample: pa.Table, population: pa.Table, qi: list[str], cls: Classes) -> IntArray:
    """F per sample class: how many population records share the class's quasi-identifier values."""
    try:
        pop = pa.table({name: column(population, name).cast(column(sample, name).type) for name in qi})
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise Invalid(f"population columns do not match the sample: {exc}", field="population") from None
    both = pa.concat_tables([sample.select(qi), pop])
    joint = classes(both, qi)
    in_pop = np.bincount(joint.ids[sample.num_rows:], minlength=joint.count)
    sample_joint = joint.ids[: sample.num_rows]
    per_class = np.zeros(cls.count, dtype=np.int64)
    per_class[cls.ids] = in_pop[sample_joint]
    # The sample is assumed drawn from the population; a thinner population cannot lower F below f.
    return np.maximum(per_class, cls.sizes)


def risk(table: pa.Table, qi: list[str], *, threshold: float, population: pa.Table | None = None) -> Risk:
    """Prosecutor, journalist and marketer risk of `table` on `qi`; records at risk are those above `threshold`."""
    if not 0.0 <= threshold <= 1.0:
        raise Invalid("the risk threshold must lie in [0, 1]", field="threshold")
    rows = table.num_rows
    if rows == 0:
        return Risk(0, 0.0, 0.0, 0.0, 0.0, 0.0, threshold, "sample")
    cls = classes(table, qi)
    f = cls.sizes
    big_f = f if population is None else population_sizes(table, population, qi, cls)
    at_risk = float(f[1.0 / f > threshold].sum()) / rows
    return Risk(rows=rows, prosecutor_max=float(1.0 / f.min()), prosecutor_avg=cls.count / rows,
                journalist_max=float(1.0 / big_f.min()),
                marketer=float((f / big_f).sum()) / rows, records_at_risk=at_risk, threshold=threshold,
                population="sample" if population is None else "population")
