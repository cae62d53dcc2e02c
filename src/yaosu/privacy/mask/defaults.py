"""Default policies derived from a scan report (the `yaosu scan --json` shape of issue 4).

Every column the scan marks sensitive, or whose entity is a direct identifier, gets a
de-identifying operator — never `keep`. The choice per entity follows GB/T 37964's technique
families (DOMAIN.md §3) and keeps what the data is usually wanted for: the region and the last
digits of an ID number, the carrier prefix of a mobile number, the district of an address, the
year of birth, joinable pseudonyms for names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import SpanFinder
from yaosu.privacy.mask.policy import ColumnRule, Policy

# entity → (operator, params, reason)
DEFAULTS: dict[str, tuple[str, dict[str, Any], str]] = {
    "CN_ID_CARD": ("partial_mask", {"keep_first": 6, "keep_last": 4},
                   "keep the region code and the last 4; the birth date and sequence are masked"),
    "CN_MOBILE": ("partial_mask", {"keep_first": 3, "keep_last": 4}, "keep the carrier prefix and the last 4"),
    "CN_LANDLINE": ("partial_mask", {"keep_first": 4, "keep_last": 2}, "keep the area code and the last 2"),
    "CN_BANK_CARD": ("partial_mask", {"keep_first": 6, "keep_last": 4}, "keep the issuer BIN and the last 4"),
    "CN_PASSPORT": ("tokenize", {"prefix": "PP_"}, "a joinable pseudonym; the number itself is not needed"),
    "CN_HK_MACAO_PERMIT": ("tokenize", {"prefix": "HKM_"}, "a joinable pseudonym"),
    "CN_USCC": ("tokenize", {"prefix": "ORG_"}, "a joinable pseudonym for the organisation"),
    "CN_LICENSE_PLATE": ("partial_mask", {"keep_first": 2}, "keep the province and city letter only"),
    "VEHICLE_VIN": ("tokenize", {"prefix": "VIN_"}, "a joinable pseudonym for the vehicle"),
    "IMEI": ("hash", {}, "device identifiers are only useful for linking: keyed hash"),
    "MAC_ADDRESS": ("hash", {}, "device identifiers are only useful for linking: keyed hash"),
    "IP_ADDRESS": ("hash", {}, "keyed hash keeps linkage without the address"),
    "EMAIL": ("hash", {}, "keyed hash keeps linkage without the address"),
    "PERSON_NAME": ("tokenize", {"prefix": "NAME_"}, "a joinable pseudonym; names are direct identifiers"),
    "ADDRESS": ("generalize_address", {"level": "district"}, "generalise to the district (text up to 区/县)"),
    "DATE_OF_BIRTH": ("generalize_date", {"level": "year"}, "generalise to the year of birth"),
    "GPS_COORDINATE": ("generalize_gps", {"cell": 0.01}, "generalise to a 0.01° grid cell (about 1 km)"),
    "FREE_TEXT": ("replace_spans", {}, "replace the embedded identifiers by <ENTITY> placeholders"),
    "ETHNICITY": ("suppress", {"threshold": 10}, "suppress groups of fewer than 10 (rare values single people out)"),
    "RELIGION": ("redact", {}, "religious belief is sensitive personal information (PIPL Art. 28)"),
    "MEDICAL": ("redact", {}, "medical information is sensitive personal information (PIPL Art. 28)"),
}
# Quasi-identifiers that stay as they are unless the scan marks them sensitive (k-anonymity treats them).
KEEP_UNLESS_SENSITIVE = frozenset({"GENDER", "ORG_NAME"})
FALLBACK: tuple[str, dict[str, Any], str] = ("redact", {}, "sensitive column without a specific default: redacted")


def _rule(column: dict[str, Any]) -> ColumnRule | None:
    """The default rule for one report column, or None for a column left as it is."""
    entity, sensitive = column.get("entity"), bool(column.get("sensitive"))
    if entity in DEFAULTS:
        operator, params, reason = DEFAULTS[entity]
        return ColumnRule(operator=operator, params=params, reason=f"{entity}: {reason}")
    if column.get("embedded") and not entity:
        operator, params, reason = DEFAULTS["FREE_TEXT"]
        return ColumnRule(operator=operator, params=params, reason=f"embedded identifiers: {reason}")
    if sensitive:
        operator, params, reason = FALLBACK
        return ColumnRule(operator=operator, params=params, reason=f"{entity or 'unknown'}: {reason}")
    if entity in KEEP_UNLESS_SENSITIVE:
        return ColumnRule(operator="keep", reason=f"{entity}: a quasi-identifier, not sensitive; kept")
    return None


def default_policy(report: dict[str, Any]) -> Policy:
    """A policy de-identifying every sensitive or identifying column of a scan report; others pass through."""
    columns = report.get("columns")
    if not isinstance(columns, list):
        raise Invalid("scan report has no columns list", field="columns")
    rules: dict[str, ColumnRule] = {}
    for column in columns:
        if not isinstance(column, dict) or not isinstance(column.get("name"), str):
            raise Invalid("every scan report column needs a name", field="columns")
        rule = _rule(column)
        if rule is not None:
            rules[column["name"]] = rule
    return Policy(columns=rules)


def scan_report_for(path: Path) -> dict[str, Any]:
    """Scan and grade `path` with the streaming scanner; the report in the `yaosu scan --json` shape."""
    from yaosu.privacy.grading_rules import load_rules
    from yaosu.privacy.report import report_json, scan_file

    return dict(report_json(scan_file(str(path), load_rules())))


def embedded_span_finder() -> SpanFinder:
    """A function finding every embedded-entity span of a column (yaosu.privacy.embedded), batch-local rows."""
    from yaosu.privacy.embedded import embedded_spans

    def find(values: Any) -> list[Any]:
        return list(embedded_spans(values, limit=1 << 62))
    return find
