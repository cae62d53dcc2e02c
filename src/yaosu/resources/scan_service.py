"""Scan reports on resources: record one (holder or operator), read the latest for the resource page.

A report holds column names, entity codes, categories, levels and counts: never a value from the
data. The ledger event carries a summary of it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import action
from yaosu.auth.roles import Role
from yaosu.errors import Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import ResourceScan
from yaosu.resources.scan_schemas import ScanRecord, ScanReportIn
from yaosu.resources.service import PROVIDERS, load_resource


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
