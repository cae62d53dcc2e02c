"""`yaosu quality DATASET`: assess a table on the six GB/T 36344 dimensions; a table, JSON or an HTML report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from yaosu.cli.context import AsOption, DataDirOption, resolve_actor, work
from yaosu.cli.scan import fail, progress_bar
from yaosu.errors import Invalid, YaosuError
from yaosu.node.readers import TableSource, is_database_url, open_source
from yaosu.quality.assess import Assessment, assess_source, materialize
from yaosu.quality.report import report_json
from yaosu.quality.spec import QualitySpec, load_spec

MAX_REFERENCE_ROWS = 10_000_000
VAULT_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")  # a ULID: a vault dataset id rather than a path


def _source(dataset: str, as_user: str | None, data_dir: Path | None, run: Any) -> Assessment:
    """Open DATASET (a file, a database URL or a vault dataset id) and hand its TableSource to `run`."""
    if not VAULT_ID.match(dataset) or is_database_url(dataset) or Path(dataset).exists():
        return run(open_source(dataset))  # type: ignore[no-any-return]
    from yaosu.node import service as node_service
    from yaosu.node.vault import Vault

    with work(data_dir) as (runtime, session):
        source = node_service.read_dataset(session=session, actor=resolve_actor(session, as_user),
                                           vault=Vault.for_data_dir(runtime.data_dir), dataset_id=dataset)
        return run(source)  # type: ignore[no-any-return]


def _references(spec: QualitySpec, rules_file: Path | None) -> dict[str, pa.Table]:
    """The foreign-key tables the spec names, read from files beside the spec (bounded)."""
    out: dict[str, pa.Table] = {}
    base = rules_file.parent if rules_file else Path.cwd()
    for fk in spec.foreign_keys:
        if fk.table is None or fk.table in out:
            continue
        path = (base / fk.table).resolve()
        if not path.is_relative_to(base.resolve()):
            raise Invalid(f"外键表须在规则文件目录下 / a referenced table must sit beside the rules: {fk.table}",
                          field="rules.foreign_keys")
        table, read = materialize(open_source(str(path)))
        if read.rows > MAX_REFERENCE_ROWS:
            raise Invalid(f"{fk.table}: 参考表过大 / reference table too large", field="rules.foreign_keys")
        out[fk.table] = table
    return out


def run_assessment(dataset: str, rules: Path | None, baseline: Path | None, as_user: str | None,
                   data_dir: Path | None) -> Assessment:
    """Load the spec, references and baseline, then assess DATASET with a progress bar."""
    spec = load_spec(rules) if rules else QualitySpec()
    references = _references(spec, rules)
    base_schema = open_source(str(baseline)).schema if baseline else None

    def run(source: TableSource) -> Assessment:
        with progress_bar(f"评估 / assessing {source.name}") as bar:
            bar.opened(source)
            return assess_source(source, spec=spec, progress=bar.rows, references=references, baseline=base_schema)

    return _source(dataset, as_user, data_dir, run)


def render_table(report: dict[str, Any], console: Console) -> None:
    """Print the six dimension scores, the overall score and every assessed sub-indicator."""
    table = Table(title=f"{report['dataset']}: {report['rows']:,} 行 / rows — {report['standard']}")
    for header in ("维度 / dimension", "子指标 / indicator", "A", "B", "得分 / score"):
        table.add_column(header)
    for ind in report["indicators"]:
        if ind["b"]:
            table.add_row(report["dimension_labels_zh"][ind["dimension"]], f"{ind['name_zh']} ({ind['code']})",
                          f"{ind['a']:,}", f"{ind['b']:,}", f"{ind['score']:.2f}")
    console.print(table)
    dims = " · ".join(f"{report['dimension_labels_zh'][d]} {v:.2f}" if v is not None else
                      f"{report['dimension_labels_zh'][d]} —" for d, v in report["dimensions"].items())
    console.print(dims)
    overall = report["overall"]
    console.print(f"总分 / overall: [bold]{overall:.2f}[/bold]" if overall is not None else "总分 / overall: —")
    if "recorded" in report:
        done = report["recorded"]
        console.print(f"已签名记录 / signed and recorded: {done['assessment_id']} on {done['resource_id']} "
                      f"v{done['version']} (key {done['key_id']})")


def write_html(report: dict[str, Any], target: Path) -> None:
    """Write the self-contained HTML report (whole file or nothing)."""
    from yaosu.quality.report_html import render_html

    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(render_html(report), encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise Invalid(f"cannot write {target}: {exc.strerror or exc}", field="--html") from exc


def record_signed(report: dict[str, Any], resource_id: str, key_file: Path, as_user: str | None,
                  data_dir: Path | None) -> dict[str, Any]:
    """Sign the report for the resource's current version with the assessor's key and record it."""
    from yaosu.keys import load_private_key, public_key_pem
    from yaosu.quality.schemas import AssessmentSubmit
    from yaosu.quality.service import record_assessment
    from yaosu.quality.signing import assessment_document, sign
    from yaosu.resources.service import get_resource

    try:
        key = load_private_key(key_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise Invalid(f"无法读取签名私钥 / cannot load the Ed25519 key {key_file}: {exc}", field="--key") from None
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        version = get_resource(session=session, actor=actor, resource_id=resource_id).latest_version()
        if version is None:
            raise Invalid("资源没有版本 / the resource has no version", field="--record")
        doc = assessment_document(report, resource_id=resource_id, version=version.number,
                                  content_hash=version.content_hash, assessor_party_id=actor.party_id)
        data = AssessmentSubmit(document=doc, signature=sign(doc, key), public_key_pem=public_key_pem(key.public_key()))
        row = record_assessment(session=session, actor=actor, resource_id=resource_id, data=data)
        return {"assessment_id": row.id, "resource_id": row.resource_id, "version": row.version_number,
                "overall": row.overall, "key_id": row.key_id}


def quality(dataset: str = typer.Argument(..., help="A table file, a database URL, or a vault dataset id"),
            rules: Path | None = typer.Option(None, "--rules", help="Quality spec (YAML): schema, keys, rules"),
            json_out: bool = typer.Option(False, "--json", help="Print the report as JSON"),
            html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML report here"),
            baseline: Path | None = typer.Option(None, "--baseline", help="Previous version, for schema stability"),
            record: str | None = typer.Option(None, "--record", help="Sign and record on this resource (assessor)"),
            key: Path | None = typer.Option(None, "--key", help="The assessor's Ed25519 private key (PEM)"),
            as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Assess data quality on the six GB/T 36344-2018 dimensions (scores 0-100)."""
    try:
        if (record is None) != (key is None):
            raise Invalid("--record 与 --key 须同时给出 / give --record and --key together", field="--key")
        report = report_json(run_assessment(dataset, rules, baseline, as_user, data_dir))
        if html is not None:
            write_html(report, html)
        if record is not None and key is not None:
            report["recorded"] = record_signed(report, record, key, as_user, data_dir)
    except YaosuError as exc:
        raise fail(exc) from None
    if json_out:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        console = Console()
        render_table(report, console if console.is_terminal else Console(width=160))
