"""The peer for benchmarks/scan.py: Presidio's AnalyzerEngine, pattern-only, with Chinese pattern recognizers.

No NLP model is loaded or downloaded: the analyzer runs on presidio-analyzer's `NoOpNlpEngine`
(empty NLP artifacts) with a registry holding only the recognizers below. They are equivalent to
Yaosu's identifier detectors: one `PatternRecognizer` per detector in `ENTITIES` with the same
patterns, and the same checksums done the Presidio way, a scalar `validate_result` per match
(python-stdnum).
Presidio analyses text cell by cell; a column's verdict is the entity found in >= 60% of its
non-blank cells, as Yaosu's threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine
from stdnum import imei, luhn
from stdnum.cn import ric, uscc

from scan_kernels import vin_check
from yaosu.privacy.detect import DETECTORS

LANGUAGE = "zh"
THRESHOLD = 0.6
# The identifier detectors: a pattern plus, where one exists, a checksum. Yaosu's attribute detectors
# (names, addresses, genders, ...) rest on reference lists and column-level checks that have no
# Presidio pattern-recognizer equivalent, so the peer does not get them (Yaosu still runs them all).
ENTITIES = ("CN_ID_CARD", "CN_MOBILE", "CN_LANDLINE", "EMAIL", "CN_BANK_CARD", "CN_USCC", "IMEI", "VEHICLE_VIN",
            "IP_ADDRESS", "MAC_ADDRESS", "CN_LICENSE_PLATE", "CN_PASSPORT", "CN_HK_MACAO_PERMIT", "GPS_COORDINATE")
CHECKS: dict[str, Callable[[str], bool]] = {
    "CN_ID_CARD": ric.is_valid, "CN_USCC": uscc.is_valid, "IMEI": imei.is_valid,
    "CN_BANK_CARD": lambda v: luhn.is_valid(v) or v.startswith("62"),
    "VEHICLE_VIN": lambda v: vin_check(v) == v[8],
}


class ChineseRecognizer(PatternRecognizer):  # type: ignore[misc]
    """A Presidio pattern recognizer whose matches are confirmed by a scalar checksum when one applies."""

    def __init__(self, entity: str, patterns: list[str], check: Callable[[str], bool] | None) -> None:
        super().__init__(supported_entity=entity, supported_language=LANGUAGE, name=f"zh_{entity.lower()}",
                         patterns=[Pattern(f"{entity}_{i}", p, 0.6) for i, p in enumerate(patterns)],
                         global_regex_flags=0)
        self.check = check

    def validate_result(self, pattern_text: str) -> bool | None:
        """Presidio's hook: True confirms a match (score 1.0), False drops it, None leaves it."""
        return None if self.check is None else self.check(pattern_text)


def make_analyzer() -> AnalyzerEngine:
    """An AnalyzerEngine with no NLP model and only the Chinese pattern recognizers."""
    nlp = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}])
    registry = RecognizerRegistry(supported_languages=[LANGUAGE], global_regex_flags=0)
    for entity in ENTITIES:
        cls = DETECTORS.get(entity)
        registry.add_recognizer(ChineseRecognizer(entity, list(cls.patterns), CHECKS.get(entity)))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=[LANGUAGE])


def column_verdicts(analyzer: AnalyzerEngine, columns: dict[str, list[Any]]) -> dict[str, str | None]:
    """Analyse every cell of every column; a column's entity is the one found in >= 60% of its non-blank cells."""
    verdicts: dict[str, str | None] = {}
    for name, cells in columns.items():
        found: Counter[str] = Counter()
        present = 0
        for cell in cells:
            text = "" if cell is None else str(cell).strip()
            if not text:
                continue
            present += 1
            found.update({r.entity_type for r in analyzer.analyze(text=text, language=LANGUAGE)})
        best = found.most_common(1)
        verdicts[name] = best[0][0] if best and present and best[0][1] / present >= THRESHOLD else None
    return verdicts
