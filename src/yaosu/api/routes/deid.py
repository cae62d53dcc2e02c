"""De-identification of vault datasets: mask, anonymize, lineage; DP releases and budgets."""

from __future__ import annotations

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep
from yaosu.deid import budget_service as budgets
from yaosu.deid import service
from yaosu.deid.schemas import (
    AnonymizeRequest,
    BudgetRead,
    BudgetSet,
    LineageRead,
    LineageView,
    MaskRequest,
    ReleaseRead,
    ReleaseRequest,
)
from yaosu.node.vault import Vault
from yaosu.privacy.mask.policy import parse_policy

router = APIRouter(tags=["de-identification"])


@router.post("/datasets/{dataset_id}/mask", status_code=201)
def mask(dataset_id: str, data: MaskRequest, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> LineageRead:
    """Mask a vault dataset into a new derived dataset (policy default: from a scan); its lineage."""
    policy = parse_policy(data.policy) if data.policy is not None else None
    row = service.mask_dataset(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                               dataset_id=dataset_id, name=data.name, policy=policy, key_label=data.key_label,
                               resource_id=data.resource_id)
    return LineageRead.model_validate(row)


@router.post("/datasets/{dataset_id}/anonymize", status_code=201)
def anonymize(dataset_id: str, data: AnonymizeRequest, session: SessionDep, actor: ActorDep,
              runtime: RuntimeDep) -> LineageRead:
    """k-anonymize a vault dataset into a new derived dataset; its lineage with the before/after risk report."""
    row = service.anonymize_dataset(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                                    dataset_id=dataset_id, name=data.name, config=data.config(),
                                    resource_id=data.resource_id)
    return LineageRead.model_validate(row)


@router.get("/datasets/{dataset_id}/lineage")
def lineage(dataset_id: str, session: SessionDep, actor: ActorDep) -> LineageView:
    """Where a dataset came from and what was derived from it (owner or operator)."""
    view = service.get_lineage(session=session, actor=actor, dataset_id=dataset_id)
    return LineageView(dataset_id=view.dataset.id,
                       lineage=LineageRead.model_validate(view.lineage) if view.lineage else None,
                       derived=[LineageRead.model_validate(d) for d in view.derived])


@router.post("/datasets/{dataset_id}/releases", status_code=201)
def release(dataset_id: str, data: ReleaseRequest, session: SessionDep, actor: ActorDep,
            runtime: RuntimeDep) -> ReleaseRead:
    """A differentially private aggregate, spending the dataset's budget (429 budget_exceeded once spent)."""
    row = budgets.release_dataset(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                                  dataset_id=dataset_id, spec=data.spec(),
                                  default_epsilon=runtime.settings.dp_default_epsilon)
    return ReleaseRead.model_validate(row)


@router.get("/datasets/{dataset_id}/budget")
def budget(dataset_id: str, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> BudgetRead:
    """The dataset's privacy budget and its releases (owner or operator)."""
    view = budgets.get_budget(session=session, actor=actor, dataset_id=dataset_id,
                              default_epsilon=runtime.settings.dp_default_epsilon)
    return BudgetRead.model_validate(view)


@router.put("/datasets/{dataset_id}/budget")
def set_budget(dataset_id: str, data: BudgetSet, session: SessionDep, actor: ActorDep,
               runtime: RuntimeDep) -> BudgetRead:
    """Set the dataset's total epsilon (not below what is spent)."""
    view = budgets.set_budget(session=session, actor=actor, dataset_id=dataset_id, epsilon=data.epsilon,
                              default_epsilon=runtime.settings.dp_default_epsilon)
    return BudgetRead.model_validate(view)
