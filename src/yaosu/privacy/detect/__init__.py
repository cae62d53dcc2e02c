"""Column detectors: the registry, the base class and the built-in detectors."""

from yaosu.privacy.detect import detectors as _builtin  # noqa: F401  (fills DETECTORS)
from yaosu.privacy.detect import people as _people  # noqa: F401
from yaosu.privacy.detect import text as _text  # noqa: F401
from yaosu.privacy.detect.base import DETECTORS, ColumnFinding, Detector, Explanation, ratio

__all__ = ["DETECTORS", "ColumnFinding", "Detector", "Explanation", "ratio"]
