"""Scan reports on resources: record one (holder or operator), read the latest for the resource page.

A report holds column names, entity codes, categories, levels and counts: never a value from the
data. The ledger event carries a summary of it.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import action
from yaosu.auth.roles import Role
from yaosu.errors import Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import ResourceScan
from yaosu.resources.service import PROVIDERS, load_resource

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


def summary(report: ScanReportIn) -> dict[str, Any]:
    """The ledger's view of a report: counts of entities, sensitive columns, classification, grade."""
    entities = Counter(c.entity for c in report.columns if c.entity)
    return {"rows": report.rows, "columns": len(report.columns), "entities": dict(sorted(entities.items())),
            "sensitive_columns": sum(c.sensitive for c in report.columns),
            "classification": report.classification, "grade": report.grade}


@action("resource.record_scan", roles=PROVIDERS | {Role.OPERATOR})
def record_scan(*, session: Session, actor: Actor, resource_id: str, data: ScanRecord) -> ResourceScan:
    """Record a scan of the resource's current version (its holder or the operator)."""
    resource = load_resource(session, actor, resource_id)
    if resource.holder_party_id != actor.party_id and not actor.has(Role.OPERATOR):
        raise NotFound("no such resource", field="resource_id")
    if resource.status == ResourceStatus.CANCELLED.value:
        raise Invalid("a cancelled resource takes no scan reports", field="resource_id")
    version = resource.latest_version()
    if version is None or version.row_count != data.report.rows:
        expected = version.row_count if version else 0
        raise Invalid(f"the scanned table has {data.report.rows} rows but version v{resource.current_version} "
                      f"has {expected}: scan the resource's current content", field="report.rows")
    scan = ResourceScan(resource_id=resource.id, version_number=version.number,
                        recorded_by_party_id=actor.party_id, dataset=data.report.dataset, rows=data.report.rows,
                        classification=data.report.classification, grade=data.report.grade,
                        rules_version=data.reasons.rules_version, report=data.report.model_dump(mode="json"),
                        reasons=data.reasons.model_dump(mode="json"))
    session.add(scan)
    session.flush()
    append(session, actor, Event("resource.scanned", "resource", resource.id,
                                 {"scan_id": scan.id, "version": version.number,
                                  "rules_version": scan.rules_version, **summary(data.report)}))
    return scan


def latest_scan(session: Session, resource_id: str) -> ResourceScan | None:
    """The newest scan of a resource; call only after the caller was allowed to read the resource."""
    stmt = (select(ResourceScan).where(ResourceScan.resource_id == resource_id)
            .order_by(ResourceScan.created_at.desc(), ResourceScan.id.desc()).limit(1))
    return session.scalar(stmt)
