"""Publish a partitioning: each quasi-identifier value replaced by its partition's generalized value,
and the information loss that costs (NCP / GCP after Xu et al. 2006, discernibility after Bayardo & Agrawal 2005).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from yaosu.privacy.anonymize.dims import Dim, FloatArray
from yaosu.privacy.anonymize.encode import classes
from yaosu.privacy.anonymize.mondrian import Partitioning


@dataclass(frozen=True)
class InformationLoss:
    """GCP (0 = nothing lost, 1 = everything generalized to "*" or suppressed), per-QI NCP, DM, suppression."""

    gcp: float
    ncp: dict[str, float]
    discernibility: float
    average_class_ratio: float
    partitions: int
    classes: int
    suppressed_rows: int
    suppressed_share: float


def partition_ncp(dims: list[Dim], parts: Partitioning) -> FloatArray:
    """NCP of every partition per dimension (dims x partitions)."""
    return np.stack([d.ncp(lo, hi) for d, lo, hi in zip(dims, parts.lo, parts.hi, strict=True)])


def generalize(table: pa.Table, dims: list[Dim], parts: Partitioning) -> pa.Table:
    """`table` with every quasi-identifier column replaced by its partition's label (string column)."""
    ids = pa.array(parts.ids)
    for d, lo, hi in zip(dims, parts.lo, parts.hi, strict=True):
        position = table.column_names.index(d.name)
        table = table.set_column(position, d.name, d.label(lo, hi).take(ids))
    return table


def information_loss(output: pa.Table, dims: list[Dim], parts: Partitioning, ncp: FloatArray, *,
                     original_rows: int, suppressed: int, k: int) -> InformationLoss:
    """Information loss of a published table; suppressed rows count as fully generalized (NCP 1)."""
    sizes = np.bincount(parts.ids, minlength=parts.count).astype(np.float64)
    kept = int(sizes.sum())
    per_dim = {d.name: float((ncp[j] * sizes).sum() + suppressed) / original_rows for j, d in enumerate(dims)}
    gcp = float(sum(per_dim.values()) / len(dims)) if dims else 0.0
    cls = classes(output, [d.name for d in dims]) if kept else None
    dm = float((cls.sizes.astype(np.float64) ** 2).sum()) if cls else 0.0
    n_classes = cls.count if cls else 0
    return InformationLoss(
        gcp=gcp, ncp=per_dim, discernibility=dm + float(suppressed) * original_rows,
        average_class_ratio=(kept / n_classes) / k if n_classes else 0.0, partitions=parts.count,
        classes=n_classes, suppressed_rows=suppressed, suppressed_share=suppressed / original_rows)
