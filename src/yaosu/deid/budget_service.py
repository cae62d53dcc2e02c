"""A dataset's differential-privacy budget and its releases: each release checks and spends the budget
in the same transaction as it is recorded; one beyond the budget is refused and nothing is written.

Composition is basic sequential composition of pure epsilon-DP releases (yaosu.privacy.dp.budget);
the budget row is locked (SELECT ... FOR UPDATE on PostgreSQL) while a release spends it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.deid.lineage import jsonable
from yaosu.deid.models import DpRelease, PrivacyBudget
from yaosu.errors import Invalid
from yaosu.ledger import Event, append
from yaosu.node.models import Dataset
from yaosu.node.service import get_dataset
from yaosu.node.vault import Vault
from yaosu.privacy.dp.budget import Budget
from yaosu.privacy.dp.release import ReleaseSpec, release

MAX_TOTAL_EPSILON = 100.0


@dataclass(frozen=True)
class BudgetView:
    """A dataset's total and spent epsilon, and its releases newest first."""

    dataset_id: str
    epsilon: float
    spent_epsilon: float
    remaining_epsilon: float
    explicit: bool  # False while the settings' default applies
    releases: list[DpRelease]


def _budget(session: Session, dataset: Dataset, default_epsilon: float, *, lock: bool) -> tuple[Budget, bool]:
    row = session.get(PrivacyBudget, dataset.id, with_for_update=lock)
    if row is None:
        return Budget(default_epsilon), False
    return Budget(row.epsilon, 0.0, row.spent_epsilon), True


@action("dataset.budget", roles=ANY_ROLE)
def get_budget(*, session: Session, actor: Actor, dataset_id: str, default_epsilon: float) -> BudgetView:
    """The dataset's privacy budget and releases (owner or operator)."""
    dataset = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    budget, explicit = _budget(session, dataset, default_epsilon, lock=False)
    releases = session.scalars(select(DpRelease).where(DpRelease.dataset_id == dataset.id)
                               .order_by(DpRelease.created_at.desc(), DpRelease.id.desc()).limit(200)).all()
    return BudgetView(dataset.id, budget.epsilon, budget.spent_epsilon, budget.remaining_epsilon, explicit,
                      list(releases))


def _save(session: Session, actor: Actor, dataset: Dataset, epsilon: float, spent: float) -> PrivacyBudget:
    row = session.get(PrivacyBudget, dataset.id)
    if row is None:
        row = PrivacyBudget(dataset_id=dataset.id, epsilon=epsilon, spent_epsilon=spent,
                            set_by_party_id=actor.party_id)
        session.add(row)
    else:
        row.epsilon, row.spent_epsilon, row.updated_at = epsilon, spent, clock.now()
    session.flush()
    return row


@action("dataset.set_budget", roles=ANY_ROLE)
def set_budget(*, session: Session, actor: Actor, dataset_id: str, epsilon: float,
               default_epsilon: float) -> BudgetView:
    """Set the dataset's total epsilon (owner or operator); it cannot fall below what is already spent."""
    dataset = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    if not 0 < epsilon <= MAX_TOTAL_EPSILON:
        raise Invalid(f"总预算须在 (0, {MAX_TOTAL_EPSILON:g}] / the total epsilon must be in "
                      f"(0, {MAX_TOTAL_EPSILON:g}]", field="epsilon")
    budget, _ = _budget(session, dataset, default_epsilon, lock=True)
    if epsilon < budget.spent_epsilon:
        raise Invalid(f"已花费 {budget.spent_epsilon:.4g},总预算不能更小 / {budget.spent_epsilon:.4g} is already "
                      "spent; the total cannot be set below it", field="epsilon")
    _save(session, actor, dataset, epsilon, budget.spent_epsilon)
    append(session, actor, Event("dataset.budget_set", "dataset", dataset.id,
                                 {"epsilon": epsilon, "previous_epsilon": budget.epsilon,
                                  "spent_epsilon": budget.spent_epsilon}))
    return get_budget(session=session, actor=actor, dataset_id=dataset.id, default_epsilon=default_epsilon)


def _column(vault: Vault, dataset: Dataset, spec: ReleaseSpec) -> pa.Array | None:
    """The one column the release reads (None for a count of rows), decrypted from the vault."""
    if spec.column is None:
        return None
    source = vault.open(dataset.id, dataset.name, columns=[spec.column])
    chunks = [batch.column(0) for batch in source.batches]
    field = source.schema.field(0)
    return pa.concat_arrays(chunks) if chunks else pa.array([], field.type)


def _check(spec: ReleaseSpec, dataset: Dataset, vault: Vault) -> None:
    """Refuse, before anything is locked or written, a spec that cannot run on this dataset."""
    spec.check()
    if spec.column is not None and spec.column not in {f["name"] for f in dataset.schema_fields}:
        raise Invalid(f"数据集没有列 {spec.column!r} / the dataset has no column {spec.column!r}", field="column")
    if dataset.master_key_id != vault.crypto.master.key_id:
        raise Invalid("数据集由另一主密钥加密 / the dataset was encrypted under another master key",
                      field="master_key", code="vault_wrong_key")


def _claim(session: Session, actor: Actor, dataset: Dataset, default_epsilon: float, needed: float) -> Budget:
    """The dataset's budget, its row locked for this transaction (created with the default total if missing,
    race-free: INSERT ... ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE); BudgetExceeded if `needed`
    does not fit, checked before the row is created so a refused release writes nothing."""
    budget, explicit = _budget(session, dataset, default_epsilon, lock=True)
    budget.spend(needed)
    if explicit:
        return budget
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(PrivacyBudget).values(
        dataset_id=dataset.id, epsilon=default_epsilon, spent_epsilon=0.0, set_by_party_id=actor.party_id,
        updated_at=clock.now()).on_conflict_do_nothing())
    budget, _ = _budget(session, dataset, default_epsilon, lock=True)  # another transaction may have won
    budget.spend(needed)
    return budget


def spec_json(spec: ReleaseSpec) -> dict[str, Any]:
    """A release spec as plain JSON data."""
    data: dict[str, Any] = jsonable(asdict(spec))
    return data


@action("dataset.release", roles=ANY_ROLE)
def release_dataset(*, session: Session, actor: Actor, vault: Vault, dataset_id: str, spec: ReleaseSpec,
                    default_epsilon: float) -> DpRelease:
    """A differentially private aggregate of the dataset, spending its budget; BudgetExceeded if it does not fit."""
    dataset = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    _check(spec, dataset, vault)
    budget = _claim(session, actor, dataset, default_epsilon, spec.epsilon)
    result = release(_column(vault, dataset, spec), dataset.row_count, spec)
    after = budget.spend(result.epsilon)
    _save(session, actor, dataset, budget.epsilon, after.spent_epsilon)
    row = DpRelease(dataset_id=dataset.id, kind=result.kind, column=result.column, spec=spec_json(spec),
                    epsilon=result.epsilon, delta=result.delta, scale=result.scale, accuracy=result.accuracy,
                    alpha=result.alpha, mechanism=result.mechanism, value={"value": jsonable(result.value)},
                    actor_party_id=actor.party_id, actor_user_id=actor.user_id)
    session.add(row)
    session.flush()
    append(session, actor, Event("dataset.released", "dataset", dataset.id, jsonable({
        "release_id": row.id, "spec": row.spec, "epsilon": row.epsilon, "scale": row.scale,
        "accuracy": row.accuracy, "alpha": row.alpha, "mechanism": row.mechanism, "value": row.value["value"],
        "spent_epsilon": after.spent_epsilon, "total_epsilon": budget.epsilon})))
    return row
