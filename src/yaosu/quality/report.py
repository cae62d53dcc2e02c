"""The assessment as JSON: overall, six dimension scores, every sub-indicator and its measures (examples masked)."""

from __future__ import annotations

from typing import Any

from yaosu.quality.assess import Assessment
from yaosu.quality.indicators import DIMENSION_LABELS_ZH
from yaosu.quality.measures import Measure

STANDARD = "GB/T 36344-2018"


def measure_json(m: Measure) -> dict[str, Any]:
    """One measure: check, column, A, B, ratio and masked failing examples."""
    return {"check": m.check, "column": m.column, "a": m.a, "b": m.b,
            "ratio": round(m.ratio, 6) if m.ratio is not None else None,
            "examples": list(m.examples), "note": m.note}


def report_json(assessment: Assessment) -> dict[str, Any]:
    """The report: `overall`, `dimensions` (0-100 or null when nothing was assessable) and `indicators`."""
    s = assessment.scores
    indicators = [{"code": i.indicator.code, "name_zh": i.indicator.name_zh, "dimension": i.indicator.dimension.value,
                   "lower_is_better": i.indicator.lower_is_better, "a": i.a, "b": i.b, "score": i.score,
                   "measures": [measure_json(m) for m in assessment.measures if m.indicator == i.indicator.code]}
                  for i in s.indicators]
    return {"standard": STANDARD, "dataset": assessment.dataset, "rows": assessment.rows,
            "columns": len(assessment.columns), "assessed_on": assessment.assessed_on.isoformat(),
            "spec": {"name": assessment.spec_name, "version": assessment.spec_version},
            "entities": dict(assessment.entities), "overall": s.overall,
            "dimensions": {d.value: v for d, v in s.dimensions.items()},
            "dimension_labels_zh": {d.value: DIMENSION_LABELS_ZH[d] for d in s.dimensions},
            "indicators": indicators}


def score_summary(report: dict[str, Any]) -> dict[str, Any]:
    """Scores only (never values or examples): what a ledger event or a catalog entry may carry."""
    return {"overall": report["overall"], "dimensions": report["dimensions"],
            "indicators": {i["code"]: i["score"] for i in report["indicators"]},
            "rows": report["rows"], "standard": report["standard"]}
