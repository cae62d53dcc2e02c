"""`yaosu resource`: describe and inspect data resources."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.resources import service
from yaosu.resources.schemas import ResourceCreate, ResourceRead

app = typer.Typer(help="Data resources in the registry.", no_args_is_help=True)


@app.command("create")
def create(spec: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON file shaped as the API body"),
           as_user: str = typer.Option(..., "--as", help="The provider's username"),
           data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """Describe a new resource from a JSON file (the same shape as POST /api/v1/resources)."""
    if spec.stat().st_size > 1_000_000:
        raise typer.BadParameter("the JSON file is larger than 1 MB", param_hint="SPEC")
    data = ResourceCreate.model_validate(json.loads(spec.read_text(encoding="utf-8")))
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = ResourceRead.model_validate(service.create_resource(session=session, actor=actor, data=data))
    emit(row.model_dump(mode="json"), json_out, lambda r: f"resource {r['id']}  {r['title']}  ({r['status']})")


@app.command("show")
def show(resource_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Print one resource as JSON."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = ResourceRead.model_validate(service.get_resource(session=session, actor=actor, resource_id=resource_id))
    emit(row.model_dump(mode="json"), True)
