"""Signed quality assessments on resources: an assessor records one; the resource page and API read them.

The assessor signs the document locally (its private key never reaches the exchange); the service
checks that the document names the resource's current version, its content hash and row count,
and the acting assessor, verifies the Ed25519 signature, stores it, and appends a ledger event
holding the scores only.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import action
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.errors import Invalid
from yaosu.keys import load_public_key
from yaosu.ledger import Event, append
from yaosu.quality.indicators import BY_CODE, INDICATORS, Dimension
from yaosu.quality.models import QualityAssessment
from yaosu.quality.schemas import AssessmentSubmit
from yaosu.quality.signing import DOCUMENT_TYPE, key_id, verify
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.resources.service import load_resource

MAX_DOCUMENT_BYTES = 16_384
SCORE = r"^(?:100\.00|[0-9]{1,2}\.[0-9]{2})$"


def _score(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(SCORE, value):
        raise Invalid(f"{where}: 得分须为 0.00-100.00 / a score is a 0.00-100.00 string", field=f"document.{where}")
    return float(value)


def check_document(doc: dict[str, Any], resource: Resource, assessor_party_id: str) -> float | None:
    """The document's overall score if it names this resource's current version and this assessor; Invalid if not."""
    if len(canonical_json(doc)) > MAX_DOCUMENT_BYTES or doc.get("type") != DOCUMENT_TYPE:
        raise Invalid(f"不是质量评价文档 / not a {DOCUMENT_TYPE} document", field="document")
    version = resource.latest_version()
    expected = {"resource_id": resource.id, "assessor_party_id": assessor_party_id,
                "version": version.number if version else None,
                "content_hash": version.content_hash if version else None,
                "rows": version.row_count if version else None}
    for key, value in expected.items():
        if doc.get(key) != value:
            raise Invalid(f"文档的 {key} 与资源当前版本不符 / the document's {key} does not match the resource's "
                          f"current version (expected {value!r})", field=f"document.{key}")
    dims = doc.get("dimensions")
    if not isinstance(dims, dict) or set(dims) != {d.value for d in Dimension}:
        raise Invalid("须给出六个维度 / the six dimensions are required", field="document.dimensions")
    for name, value in dims.items():
        _score(value, f"dimensions.{name}")
    indicators = doc.get("indicators")
    if not isinstance(indicators, dict) or not set(indicators) <= set(BY_CODE):
        raise Invalid("未知的子指标 / unknown sub-indicators", field="document.indicators")
    return _score(doc.get("overall"), "overall")


@action("quality.record_assessment", roles={Role.ASSESSOR})
def record_assessment(*, session: Session, actor: Actor, resource_id: str,
                      data: AssessmentSubmit) -> QualityAssessment:
    """Record an assessor's signed assessment of the resource's current version (signature verified)."""
    resource = load_resource(session, actor, resource_id)
    if resource.status == ResourceStatus.CANCELLED.value:
        raise Invalid("已注销的资源不接受评价 / a cancelled resource takes no assessments", field="resource_id")
    overall = check_document(data.document, resource, actor.party_id)
    try:
        public_key = load_public_key(data.public_key_pem.encode())
    except ValueError as exc:
        raise Invalid(f"公钥无效 / bad public key: {exc}", field="public_key_pem") from None
    if not verify(data.document, data.signature, public_key):
        raise Invalid("签名验证失败 / the signature does not verify", field="signature", code="bad_signature")
    row = QualityAssessment(resource_id=resource.id, version_number=data.document["version"],
                            assessor_party_id=actor.party_id, rows=data.document["rows"], overall=overall,
                            document=data.document, signature=data.signature,
                            public_key_pem=data.public_key_pem, key_id=key_id(public_key))
    session.add(row)
    session.flush()
    append(session, actor, Event("quality.assessed", "resource", resource.id,
                                 {"assessment_id": row.id, "version": row.version_number, "key_id": row.key_id,
                                  "standard": data.document.get("standard"), "overall": data.document["overall"],
                                  "dimensions": data.document["dimensions"]}))
    return row


def latest_assessment(session: Session, resource_id: str) -> QualityAssessment | None:
    """The newest signed assessment of a resource; call only after the caller was allowed to read the resource."""
    stmt = (select(QualityAssessment).where(QualityAssessment.resource_id == resource_id)
            .order_by(QualityAssessment.created_at.desc(), QualityAssessment.id.desc()).limit(1))
    return session.scalar(stmt)


def assessment_trend(session: Session, resource_id: str) -> list[tuple[int, float | None]]:
    """(version, overall) of the newest assessment of each version, oldest version first (a trend)."""
    stmt = (select(QualityAssessment.version_number, QualityAssessment.overall)
            .where(QualityAssessment.resource_id == resource_id)
            .order_by(QualityAssessment.version_number, QualityAssessment.created_at, QualityAssessment.id))
    newest = {version: overall for version, overall in session.execute(stmt)}
    return sorted(newest.items())


def signed_indicators(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The signed sub-indicators in standard order, with dimension and Chinese name, for display."""
    signed = document.get("indicators", {})
    return [{"code": i.code, "name_zh": i.name_zh, "dimension": i.dimension.value, **signed[i.code]}
            for i in INDICATORS if i.code in signed]
