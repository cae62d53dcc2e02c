"""Signed quality assessments on resources (GB/T 36344-2018)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from yaosu.api.deps import ActorDep, SessionDep, VisitorDep
from yaosu.errors import NotFound
from yaosu.quality import service
from yaosu.quality.schemas import AssessmentRead, AssessmentSubmit
from yaosu.resources.service import get_resource

router = APIRouter(tags=["quality"])


class TrendPoint(BaseModel):
    """The overall score of the newest assessment of one version."""

    version: int
    overall: float | None


@router.post("/resources/{resource_id}/quality", status_code=201)
def record_assessment(resource_id: str, data: AssessmentSubmit, session: SessionDep,
                      actor: ActorDep) -> AssessmentRead:
    """Record an assessor's signed assessment of the resource's current version."""
    return AssessmentRead.model_validate(
        service.record_assessment(session=session, actor=actor, resource_id=resource_id, data=data))


@router.get("/resources/{resource_id}/quality/latest")
def latest_assessment(resource_id: str, session: SessionDep, actor: VisitorDep) -> AssessmentRead:
    """The newest signed assessment of a resource the actor may see (404 if none)."""
    resource = get_resource(session=session, actor=actor, resource_id=resource_id)
    row = service.latest_assessment(session, resource.id)
    if row is None:
        raise NotFound("no quality assessment recorded for this resource", field="resource_id")
    return AssessmentRead.model_validate(row)


@router.get("/resources/{resource_id}/quality/trend")
def trend(resource_id: str, session: SessionDep, actor: VisitorDep) -> list[TrendPoint]:
    """The overall score per version, oldest first."""
    resource = get_resource(session=session, actor=actor, resource_id=resource_id)
    return [TrendPoint(version=v, overall=o) for v, o in service.assessment_trend(session, resource.id)]
