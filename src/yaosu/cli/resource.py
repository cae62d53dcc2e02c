"""`yaosu resource`: describe and inspect data resources."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.cli.scan import DatasetOption, RulesOption
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


@app.command("register")
def register(dataset_id: str = typer.Argument(..., help="A dataset in the node's vault (yaosu node list)"),
             spec: Path = typer.Argument(..., exists=True, dir_okay=False,
                                         help="JSON file with the resource's metadata (the API body without version)"),
             as_user: str = typer.Option(..., "--as", help="The provider's username"),
             rules: list[Path] | None = RulesOption,
             data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """Register a vault dataset as a resource: hash, rows and schema from the vault, its scan stored on it."""
    from yaosu.node.client import LocalNode
    from yaosu.node.vault import Vault
    from yaosu.privacy.grading_rules import load_rules
    from yaosu.resources.from_dataset import register_dataset
    from yaosu.resources.schemas import DatasetRegistration, ResourceDraft

    if spec.stat().st_size > 1_000_000:
        raise typer.BadParameter("the JSON file is larger than 1 MB", param_hint="SPEC")
    draft = ResourceDraft.model_validate(json.loads(spec.read_text(encoding="utf-8")))
    with work(data_dir) as (runtime, session):
        actor = resolve_actor(session, as_user)
        typer.echo("扫描数据集 / scanning the dataset on the node …", err=True)
        node = LocalNode(Vault.for_data_dir(runtime.settings.data_dir), load_rules(rules or []))
        row = ResourceRead.model_validate(register_dataset(
            session=session, actor=actor, node=node,
            data=DatasetRegistration(dataset_id=dataset_id, resource=draft)))
    emit(row.model_dump(mode="json"), json_out, lambda r: f"resource {r['id']}  {r['title']}  ({r['status']}), "
                                                           "scan recorded")


@app.command("show")
def show(resource_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Print one resource as JSON."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = ResourceRead.model_validate(service.get_resource(session=session, actor=actor, resource_id=resource_id))
    emit(row.model_dump(mode="json"), True)


@app.command("scan")
def scan(resource_id: str,
         path: Path | None = typer.Argument(None, help="The resource's current content as a table file"),
         dataset: str | None = DatasetOption, as_user: str | None = AsOption, rules: list[Path] | None = RulesOption,
         data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """Scan the resource's content (a file or a vault dataset) and record the report on it; values never leave."""
    from yaosu.cli.scan import fail, run_scan, scan_vault_dataset
    from yaosu.errors import Invalid, YaosuError
    from yaosu.privacy.grading_rules import load_rules
    from yaosu.privacy.report import build_report, report_json, report_reasons
    from yaosu.resources.scan_schemas import ScanRecord
    from yaosu.resources.scan_service import record_scan

    try:
        if (path is None) == (dataset is None):
            raise Invalid("给出文件路径或 --dataset 之一 / give either PATH or --dataset ID", field="path")
        scanned = run_scan(path, rules).scan if path is not None else None
        grading = load_rules(rules or [])
    except YaosuError as exc:
        raise fail(exc) from None
    with work(data_dir) as (runtime, session):
        actor = resolve_actor(session, as_user)
        declared = service.get_resource(session=session, actor=actor, resource_id=resource_id).classification
        if scanned is None:
            assert dataset is not None
            scanned = scan_vault_dataset(session, runtime, actor, dataset)
        report = build_report(scanned, grading, declared)  # graded with the declared classification
        data = ScanRecord.model_validate({"report": report_json(report), "reasons": report_reasons(report)})
        row = record_scan(session=session, actor=actor, resource_id=resource_id, data=data)
        out = {"scan_id": row.id, "resource_id": row.resource_id, "version": row.version_number,
               "classification": row.classification, "grade": row.grade, "rules_version": row.rules_version}
    emit(out, json_out, lambda r: f"scan {r['scan_id']} recorded on resource {r['resource_id']} v{r['version']}: "
                                  f"{r['classification']}, {r['grade']}")
