"""Plain helpers for derived datasets: scan summaries, JSON-safe reports, parameter hashes, lineage rows."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.canonical import canonical_json, sha256_hex
from yaosu.deid.models import DatasetLineage
from yaosu.ledger import Event, append
from yaosu.node.models import Dataset
from yaosu.node.readers import TableSource
from yaosu.privacy.anonymize.config import AnonymizeConfig


def scan_report(source: TableSource) -> dict[str, Any]:
    """Scan and grade an opened table: the report in the `yaosu scan --json` shape (names, entities, no values)."""
    from yaosu.privacy.grading_rules import load_rules
    from yaosu.privacy.report import build_report, report_json
    from yaosu.privacy.scan import scan_source

    return dict(report_json(build_report(scan_source(source), load_rules())))


def scan_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What lineage keeps of a scan: classification, grade, and the columns still found identifying or sensitive."""
    columns = report.get("columns", [])
    return {"rows": report.get("rows"), "classification": report.get("classification"), "grade": report.get("grade"),
            "entities": {c["name"]: c["entity"] for c in columns if c.get("entity")},
            "sensitive_columns": [c["name"] for c in columns if c.get("sensitive")],
            "embedded_columns": [c["name"] for c in columns if c.get("embedded")]}


def jsonable(value: Any) -> Any:
    """`value` with tuples as lists and non-finite floats as None (JSON columns and RFC 8785 refuse NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def config_json(config: AnonymizeConfig) -> dict[str, Any]:
    """An anonymization config as plain JSON data (what lineage records and hashes)."""
    data: dict[str, Any] = jsonable(asdict(config))
    return data


def parameters_hash(parameters: dict[str, Any]) -> str:
    """SHA-256 hex of the parameters' RFC 8785 canonical JSON."""
    return sha256_hex(canonical_json(parameters))


def register_version(session: Session, actor: Actor, derived: Dataset, resource_id: str) -> int:
    """Record `derived` as a new version of the actor's resource `resource_id`; the version number."""
    from yaosu.resources.schemas import SchemaField, VersionCreate
    from yaosu.resources.service import add_version

    fields = [SchemaField(name=f["name"][:128], type=str(f["type"])[:64]) for f in derived.schema_fields]
    data = VersionCreate(content_hash=derived.content_hash, schema_fields=fields, row_count=derived.row_count)
    return add_version(session=session, actor=actor, resource_id=resource_id, data=data).number


def record_lineage(session: Session, actor: Actor, derived: Dataset, source: Dataset, *, operation: str,
                   parameters: dict[str, Any], digest: str, report: dict[str, Any], key_id: str | None,
                   summary: dict[str, Any], resource_id: str | None = None) -> DatasetLineage:
    """Insert the lineage row of `derived` and its ledger event `dataset.<operation>ed` (hashes and parameters);
    with `resource_id`, first register `derived` as a new version of that resource."""
    version = register_version(session, actor, derived, resource_id) if resource_id else None
    row = DatasetLineage(dataset_id=derived.id, source_dataset_id=source.id, source_content_hash=source.content_hash,
                         operation=operation, parameters_hash=digest, parameters=parameters,
                         report=jsonable(report), key_id=key_id, resource_id=resource_id, resource_version=version,
                         actor_party_id=actor.party_id, actor_user_id=actor.user_id)
    session.add(row)
    session.flush()
    verb = {"mask": "dataset.masked", "anonymize": "dataset.anonymized"}[operation]
    append(session, actor, Event(verb, "dataset", derived.id, jsonable({
        "lineage_id": row.id, "source_dataset_id": source.id, "source_content_hash": source.content_hash,
        "content_hash": derived.content_hash, "rows": derived.row_count, "parameters_hash": digest,
        "key_id": key_id, "resource_id": resource_id, "resource_version": version, **summary})))
    return row
