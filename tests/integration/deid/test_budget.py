"""DP budgets per dataset: releases spend it in the same transaction; one beyond it is refused, nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.deid_files import people
from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.deid import budget_service as budgets
from yaosu.deid.models import DpRelease, PrivacyBudget
from yaosu.errors import BudgetExceeded, Invalid, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.privacy.dp.release import ReleaseSpec

DEFAULT = 1.0


def _release(session: Session, actor: Actor, vault: Vault, ds: Dataset, spec: ReleaseSpec) -> DpRelease:
    return budgets.release_dataset(session=session, actor=actor, vault=vault, dataset_id=ds.id, spec=spec,
                                   default_epsilon=DEFAULT)


def _count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_releases_spend_the_default_budget_until_it_is_exhausted(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    first = _release(session, provider, vault, people_ds, ReleaseSpec("count", 0.5))
    mean = _release(session, provider, vault, people_ds,
                    ReleaseSpec("mean", 0.4, column="收入", bounds=(0.0, 60000.0)))
    assert first.epsilon == pytest.approx(0.5, rel=1e-6) and first.mechanism == "discrete Laplace"
    assert abs(first.value["value"] - 400) <= first.accuracy * 3  # a release far outside its accuracy is a bug
    true_mean = sum(r["收入"] for r in people()) / 400
    assert abs(mean.value["value"] - true_mean) <= mean.accuracy * 3
    view = budgets.get_budget(session=session, actor=provider, dataset_id=people_ds.id, default_epsilon=DEFAULT)
    assert view.spent_epsilon == pytest.approx(0.9, rel=1e-6) and [r.id for r in view.releases] == [mean.id, first.id]
    events, releases = _count(session, LedgerEvent), _count(session, DpRelease)
    with pytest.raises(BudgetExceeded) as err:
        _release(session, provider, vault, people_ds, ReleaseSpec("count", 0.2))
    assert err.value.field == "epsilon"
    assert (_count(session, LedgerEvent), _count(session, DpRelease)) == (events, releases)
    after = budgets.get_budget(session=session, actor=provider, dataset_id=people_ds.id, default_epsilon=DEFAULT)
    assert after.spent_epsilon == view.spent_epsilon


def test_a_first_release_beyond_the_default_writes_no_budget_row(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    with pytest.raises(BudgetExceeded):
        _release(session, provider, vault, people_ds, ReleaseSpec("count", 2.0))
    assert (_count(session, PrivacyBudget), _count(session, DpRelease)) == (0, 0)


def test_owner_sets_the_total_not_below_what_is_spent_and_the_ledger_has_each_release(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset) -> None:
    budgets.set_budget(session=session, actor=provider, dataset_id=people_ds.id, epsilon=3.0, default_epsilon=DEFAULT)
    hist = _release(session, provider, vault, people_ds,
                    ReleaseSpec("histogram", 2.0, column="性别", categories=("男", "女")))
    assert set(hist.value["value"]) == {"男", "女", "__other__"}
    with pytest.raises(Invalid):
        budgets.set_budget(session=session, actor=provider, dataset_id=people_ds.id, epsilon=1.5,
                           default_epsilon=DEFAULT)
    view = budgets.set_budget(session=session, actor=provider, dataset_id=people_ds.id, epsilon=2.5,
                              default_epsilon=DEFAULT)
    assert (view.epsilon, view.explicit) == (2.5, True)
    assert view.remaining_epsilon == pytest.approx(0.5, rel=1e-6)
    event = session.scalars(select(LedgerEvent).where(LedgerEvent.type == "dataset.released")).one()
    payload = json.loads(event.payload)
    assert payload["spec"]["categories"] == ["男", "女"] and payload["value"] == hist.value["value"]
    assert payload["epsilon"] == pytest.approx(2.0, rel=1e-6)


def test_another_party_can_neither_see_nor_spend_the_budget(
        session: Session, factory: Factory, vault: Vault, people_ds: Dataset, operator: Actor) -> None:
    other = factory.actor(Role.PROVIDER)
    with pytest.raises(NotFound):
        _release(session, other, vault, people_ds, ReleaseSpec("count", 0.1))
    with pytest.raises(NotFound):
        budgets.get_budget(session=session, actor=other, dataset_id=people_ds.id, default_epsilon=DEFAULT)
    with pytest.raises(NotFound):
        budgets.set_budget(session=session, actor=other, dataset_id=people_ds.id, epsilon=5.0,
                           default_epsilon=DEFAULT)
    assert _count(session, DpRelease) == 0
    assert _release(session, operator, vault, people_ds, ReleaseSpec("count", 0.1)).actor_party_id == operator.party_id


@pytest.mark.parametrize("spec", [ReleaseSpec("sum", 0.1, column="收入"), ReleaseSpec("sum", 0.1, column="nope",
                                                                                       bounds=(0, 1)),
                                  ReleaseSpec("count", 0.0)])
def test_bad_specs_are_refused_and_spend_nothing(
        session: Session, provider: Actor, vault: Vault, people_ds: Dataset, spec: ReleaseSpec) -> None:
    with pytest.raises(Invalid):
        _release(session, provider, vault, people_ds, spec)
    assert (_count(session, PrivacyBudget), _count(session, DpRelease)) == (0, 0)
