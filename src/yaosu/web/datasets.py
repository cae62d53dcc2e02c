"""The owner's dataset pages: a vault dataset with its lineage (policy or anonymization config, the
before/after risk report), the datasets derived from it, and its privacy budget and releases."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yaosu.deid.budget_service import get_budget
from yaosu.deid.service import get_lineage
from yaosu.node.service import get_dataset
from yaosu.web.rendering import WebRoute, render, runtime_of, work
from yaosu.web.security import require_login

router = APIRouter(route_class=WebRoute)

MEASURES = ["k", "classes", "unique_share", "l_distinct", "l_entropy", "t_closeness"]
RISKS = ["prosecutor_max", "prosecutor_avg", "journalist_max", "marketer", "records_at_risk"]


@router.get("/datasets/{dataset_id}")
def dataset_page(request: Request, dataset_id: str) -> Response:
    """One vault dataset for its owner or the operator: metadata, lineage, derived datasets, DP budget."""
    with work(request) as (session, actor):
        require_login(actor)
        dataset = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
        view = get_lineage(session=session, actor=actor, dataset_id=dataset.id)
        budget = get_budget(session=session, actor=actor, dataset_id=dataset.id,
                            default_epsilon=runtime_of(request).settings.dp_default_epsilon)
        names = {d.dataset_id: get_dataset(session=session, actor=actor, dataset_id=d.dataset_id).name
                 for d in view.derived}
        return render(request, "dataset.html", {
            "dataset": dataset, "lineage": view.lineage, "derived": view.derived, "names": names,
            "budget": budget, "measures": MEASURES, "risks": RISKS})
