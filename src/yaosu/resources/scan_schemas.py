"""Scan report shapes at the edges: what `resource.record_scan` takes and what the API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,39}$")]
RuleId = Annotated[str, Field(max_length=64)]
MAX_COLUMNS = 4096


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanColumn(_Strict):
    """One column of a scan report (the `yaosu scan --json` column shape)."""

    name: str = Field(max_length=200)
    entity: Code | None
    category: str | None = Field(max_length=40)
    level: int | None = Field(ge=1, le=4)
    sensitive: bool
    confidence: float = Field(ge=0, le=1)
    match_ratio: float = Field(ge=0, le=1)
    embedded: dict[Code, Annotated[int, Field(ge=0)]] = Field(max_length=64)


class ScanReportIn(_Strict):
    """A whole scan report, exactly the `yaosu scan --json` shape."""

    dataset: str = Field(max_length=200)
    rows: int = Field(ge=0)
    columns: list[ScanColumn] = Field(max_length=MAX_COLUMNS)
    classification: Literal["personal", "enterprise", "public"]
    grade: str = Field(pattern=r"^(core|important|general-[1-4])$")


class ScanReasons(_Strict):
    """The rule ids behind a report's decisions and the version of the rules in force."""

    rules_version: str = Field(max_length=200)
    classification_rule: RuleId
    grade_rule: RuleId
    column_rules: dict[Annotated[str, Field(max_length=200)], RuleId] = Field(max_length=MAX_COLUMNS)


class ScanRecord(_Strict):
    """What `resource.record_scan` takes: the report and its reasons."""

    report: ScanReportIn
    reasons: ScanReasons


class ScanRead(BaseModel):
    """A recorded scan as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    resource_id: str
    version_number: int
    recorded_by_party_id: str
    dataset: str
    rows: int
    classification: str
    grade: str
    rules_version: str
    report: ScanReportIn
    reasons: ScanReasons
    created_at: datetime
