"""What an anonymization run is asked to do, validated before any work starts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.privacy.anonymize.encode import column, is_numeric

# "flat": value -> "*"; "address": district -> city -> province -> "*"; or value -> [parent, grandparent, ...].
HierarchySpec = str | Mapping[str, Sequence[str]]
MAX_K = 1_000_000


@dataclass(frozen=True)
class AnonymizeConfig:
    """k (and optionally l) on quasi-identifiers `qi`, suppression budget, hierarchies and age-style bands."""

    qi: tuple[str, ...]
    k: int = 10
    sensitive: str | None = None
    l_diversity: int | None = None
    max_suppression: float = 0.05
    hierarchies: Mapping[str, HierarchySpec] = field(default_factory=dict)
    bands: Mapping[str, int] = field(default_factory=dict)
    outlier_ncp: float = 0.5  # suppress partitions (within the budget) wider than this on a numeric QI
    risk_threshold: float | None = None

    @property
    def threshold(self) -> float:
        """The per-record risk above which a record counts as at risk (default 1 / k)."""
        return self.risk_threshold if self.risk_threshold is not None else 1.0 / self.k


def validate(config: AnonymizeConfig, table: pa.Table) -> None:
    """Raise Invalid, naming the setting, for anything the run cannot honour on `table`."""
    _check_numbers(config)
    if not config.qi or len(set(config.qi)) != len(config.qi):
        raise Invalid("give one or more distinct quasi-identifiers", field="qi")
    for name in config.qi:
        array = column(table, name)
        if not (is_numeric(array) or pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
                or pa.types.is_boolean(array.type) or pa.types.is_dictionary(array.type)):
            raise Invalid(f"quasi-identifier {name!r} has type {array.type}; cast it to a number or text first",
                          field="qi")
    for name, width in config.bands.items():
        if name not in config.qi or not pa.types.is_integer(column(table, name).type):
            raise Invalid(f"bands apply to integer quasi-identifiers; {name!r} is not one", field="bands")
        if width < 1:
            raise Invalid("a band width must be at least 1", field="bands")
    for name in config.hierarchies:
        if name not in config.qi or is_numeric(column(table, name)):
            raise Invalid(f"hierarchies apply to text quasi-identifiers; {name!r} is not one", field="hierarchies")
    if config.sensitive is not None:
        column(table, config.sensitive)
        if config.sensitive in config.qi:
            raise Invalid("the sensitive attribute cannot also be a quasi-identifier", field="sensitive")


def _check_numbers(config: AnonymizeConfig) -> None:
    """Bounds on k, l, the suppression budget and the thresholds."""
    if not 1 <= config.k <= MAX_K:
        raise Invalid(f"k must lie in 1..{MAX_K}", field="k")
    if config.l_diversity is not None and (config.l_diversity < 1 or config.sensitive is None):
        raise Invalid("l needs a sensitive attribute and must be at least 1", field="l_diversity")
    if not 0.0 <= config.max_suppression <= 1.0:
        raise Invalid("max-suppression is a share in [0, 1]", field="max_suppression")
    if not 0.0 <= config.outlier_ncp <= 1.0:
        raise Invalid("outlier-ncp is a share in [0, 1]", field="outlier_ncp")
    if config.risk_threshold is not None and not 0.0 <= config.risk_threshold <= 1.0:
        raise Invalid("the risk threshold is a share in [0, 1]", field="risk_threshold")
