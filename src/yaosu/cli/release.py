"""`yaosu release`: differentially private aggregates of a vault dataset, spending its privacy budget."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, cast

import typer

from yaosu.cli.context import DataDirOption, emit, resolve_actor, work
from yaosu.deid import budget_service as budgets
from yaosu.deid.budget_service import BudgetView
from yaosu.deid.models import DpRelease
from yaosu.errors import Invalid
from yaosu.node.vault import Vault
from yaosu.privacy.dp.release import KINDS, Kind, ReleaseSpec

app = typer.Typer(help="差分隐私发布 Differentially private releases against a per-dataset budget.",
                  no_args_is_help=True)

UserOption = typer.Option(None, "--user", "--as", help="Act as this username (default: the local operator)")
JsonOption = typer.Option(False, "--json", help="Print JSON")


def release_json(row: DpRelease) -> dict[str, Any]:
    """A recorded release as JSON: spec, epsilon, scale, accuracy and the noisy value."""
    return {"id": row.id, "dataset_id": row.dataset_id, "kind": row.kind, "column": row.column, "spec": row.spec,
            "epsilon": row.epsilon, "scale": row.scale, "accuracy": row.accuracy, "alpha": row.alpha,
            "mechanism": row.mechanism, "value": row.value["value"], "actor_party_id": row.actor_party_id,
            "created_at": row.created_at.isoformat()}


def budget_json(view: BudgetView) -> dict[str, Any]:
    """A budget with its releases as JSON."""
    return {"dataset_id": view.dataset_id, "epsilon": view.epsilon, "spent_epsilon": view.spent_epsilon,
            "remaining_epsilon": view.remaining_epsilon, "explicit": view.explicit,
            "releases": [release_json(r) for r in view.releases]}


def parse_spec(kind: str, epsilon: float, column: str | None, bounds: str | None, categories: str | None,
               contributions: int = 1) -> ReleaseSpec:
    """A release spec from command-line text (bounds `L,U`, categories `a,b,c`)."""
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="--kind")
    pair: tuple[float, float] | None = None
    if bounds:
        parts = bounds.split(",")
        try:
            low, high = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
        except ValueError:
            low = high = math.nan
        if math.isnan(low) or math.isnan(high):
            raise Invalid("bounds are two numbers L,U", field="--bounds")
        pair = (low, high)
    cats = tuple(c.strip() for c in categories.split(",") if c.strip()) if categories else ()
    return ReleaseSpec(cast(Kind, kind), epsilon, column=column, bounds=pair, categories=cats,
                       contributions=contributions)


def _release_text(data: dict[str, Any]) -> str:
    return (f"{data['kind']}{'(' + data['column'] + ')' if data['column'] else ''} = {data['value']}\n"
            f"  epsilon {data['epsilon']:.4g}, {data['mechanism']} scale {data['scale']:.4g}, "
            f"±{data['accuracy']:.4g} with probability {1 - data['alpha']:.0%}")


@app.command("aggregate")
def aggregate(dataset_id: str = typer.Argument(..., help="Vault dataset id"),
              kind: str = typer.Option(..., "--kind", help="count | sum | mean | histogram"),
              epsilon: float = typer.Option(..., "--epsilon", help="Privacy cost of this release"),
              column: str | None = typer.Option(None, "--column", help="Column (sum, mean, histogram)"),
              bounds: str | None = typer.Option(None, "--bounds", help="L,U clamp bounds (sum, mean)"),
              categories: str | None = typer.Option(None, "--categories", help="a,b,c public categories"),
              contributions: int = typer.Option(1, "--contributions", help="Rows one person may have"),
              as_user: str | None = UserOption, json_out: bool = JsonOption,
              data_dir: Path | None = DataDirOption) -> None:
    """Release a DP count, sum, mean or histogram; refused (exit 2) once the dataset's budget is spent."""
    with work(data_dir) as (runtime, session):
        spec = parse_spec(kind, epsilon, column, bounds, categories, contributions)
        row = budgets.release_dataset(session=session, actor=resolve_actor(session, as_user),
                                      vault=Vault.for_data_dir(runtime.data_dir), dataset_id=dataset_id, spec=spec,
                                      default_epsilon=runtime.settings.dp_default_epsilon)
        data = release_json(row)
    emit(data, json_out, _release_text)


def _budget_text(data: dict[str, Any]) -> str:
    head = (f"隐私预算 / privacy budget of {data['dataset_id']}: epsilon {data['epsilon']:g}"
            f"{'' if data['explicit'] else ' (default)'}, spent {data['spent_epsilon']:.4g}, "
            f"remaining {data['remaining_epsilon']:.4g}")
    lines = [f"  {r['created_at'][:19]}  {r['kind']:<9} {r['column'] or '':<12} eps {r['epsilon']:.4g}  "
             f"→ {r['value']}" for r in data["releases"]]
    return "\n".join([head, *lines])


@app.command("budget")
def budget(dataset_id: str = typer.Argument(..., help="Vault dataset id"),
           set_epsilon: float | None = typer.Option(None, "--set", help="Set the dataset's total epsilon"),
           as_user: str | None = UserOption, json_out: bool = JsonOption,
           data_dir: Path | None = DataDirOption) -> None:
    """Show (or with --set, change) a dataset's privacy budget and list its releases."""
    with work(data_dir) as (runtime, session):
        actor, default = resolve_actor(session, as_user), runtime.settings.dp_default_epsilon
        if set_epsilon is None:
            view = budgets.get_budget(session=session, actor=actor, dataset_id=dataset_id, default_epsilon=default)
        else:
            view = budgets.set_budget(session=session, actor=actor, dataset_id=dataset_id, epsilon=set_epsilon,
                                      default_epsilon=default)
        data = budget_json(view)
    emit(data, json_out, _budget_text)
