"""`yaosu scan PATH`: find the personal information in a table, grade it, print a table, JSON or an HTML report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.cli.context import AsOption, DataDirOption, resolve_actor, work
from yaosu.errors import Invalid, YaosuError
from yaosu.node.readers import TableSource
from yaosu.privacy.grading_rules import load_rules
from yaosu.privacy.report import ScanReport, build_report, report_json, report_reasons, scan_file
from yaosu.privacy.scan import TableScan, scan_source
from yaosu.resources.enums import Classification
from yaosu.runtime import Runtime

RulesOption = typer.Option(None, "--rules", help="Extra grading rules (YAML), e.g. an industry catalogue; repeatable")


def fail(exc: YaosuError) -> typer.Exit:
    """Print a YaosuError as one red line on stderr; the caller raises the returned exit (code 2)."""
    field = f" [{exc.field}]" if exc.field else ""
    typer.secho(f"error {exc.code}{field}: {exc.message}", fg=typer.colors.RED, err=True)
    return typer.Exit(2)


@dataclass
class RowsBar:
    """A rich progress bar on stderr counting rows (drawn only on a terminal)."""

    bar: Progress
    task: TaskID

    def opened(self, source: TableSource) -> None:
        """Size the bar from the row count the file declares, if it does (Parquet)."""
        self.bar.update(self.task, total=source.rows_hint)

    def rows(self, done: int) -> None:
        """Move the bar to `done` rows."""
        self.bar.update(self.task, completed=done)


@contextmanager
def progress_bar(label: str) -> Iterator[RowsBar]:
    """A transient row-counting progress bar on stderr, disabled when stderr is not a terminal."""
    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
    with bar:
        yield RowsBar(bar, bar.add_task(label, total=None))


DatasetOption = typer.Option(None, "--dataset", help="Scan a vault dataset by id instead of a file")
DeclaredOption = typer.Option(None, "--declared", help="The holder's declared classification (rules may use it)")


def run_scan(path: Path, rules_files: list[Path] | None, declared: str | None = None) -> ScanReport:
    """Load the rules, then scan and grade `path` with a progress bar; problems raise YaosuError."""
    rules = load_rules(rules_files or [])
    try:
        with progress_bar(f"扫描 / scanning {path.name}") as bar:
            return scan_file(str(path), rules, progress=bar.rows, declared=declared, on_open=bar.opened)
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror or exc}", field="path") from exc


def scan_vault_dataset(session: Session, runtime: Runtime, actor: Actor, dataset_id: str) -> TableScan:
    """Scan a vault dataset, decrypted batch by batch (its owner or the operator); nothing is written out."""
    from yaosu.node import service as node_service
    from yaosu.node.vault import Vault

    source = node_service.read_dataset(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                                       dataset_id=dataset_id)
    with progress_bar(f"扫描 / scanning {source.name}") as bar:
        bar.opened(source)
        return scan_source(source, progress=bar.rows)


def run_dataset_scan(dataset_id: str, rules_files: list[Path] | None, declared: str | None,
                     as_user: str | None, data_dir: Path | None) -> ScanReport:
    """Scan and grade a vault dataset; a YaosuError prints one line and exits 2 (as every data-dir command)."""
    rules = load_rules(rules_files or [])
    with work(data_dir) as (runtime, session):
        scanned = scan_vault_dataset(session, runtime, resolve_actor(session, as_user), dataset_id)
    return build_report(scanned, rules, declared)


def render_table(report: ScanReport, console: Console) -> None:
    """Print the per-column table and the dataset's classification and grade with their rules."""
    table = Table(title=f"{report.scan.dataset}: {report.scan.rows:,} 行 / rows")
    for header in ("列 / column", "实体 / entity", "类别 / category", "级别 / level", "敏感 / sensitive",
                   "置信度 / confidence", "匹配率 / match", "规则 / rule"):
        table.add_column(header)
    for scan, grade in report.rows():
        table.add_row(scan.name, scan.entity or "—", grade.category or "—", str(grade.level or "—"),
                      "[red]是 / yes[/red]" if grade.sensitive else "否 / no", f"{scan.confidence:.2f}",
                      f"{scan.match_ratio:.1%}", " · ".join(x for x in (grade.rule, scan.note) if x) or "—")
    console.print(table)
    reasons = report_reasons(report)
    console.print(f"数据分类 / classification: [bold]{report.grading.classification.value}[/bold]"
                  f" ({reasons['classification_rule']})")
    console.print(f"数据分级 / grade: [bold]{report.grading.grade.value}[/bold] ({reasons['grade_rule']})")
    console.print(f"规则 / rules: {reasons['rules_version']}")


def write_html(report: ScanReport, target: Path) -> None:
    """Write the self-contained HTML report (whole file or nothing)."""
    from yaosu.privacy.report_html import render_html

    html = render_html(report)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(html, encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise Invalid(f"cannot write {target}: {exc.strerror or exc}", field="--html") from exc


def scan(path: Path | None = typer.Argument(None, help="A table file (Parquet, CSV, ...)"),
         json_out: bool = typer.Option(False, "--json", help="Print the report as JSON"),
         html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML report here"),
         rules: list[Path] | None = RulesOption, declared: Classification | None = DeclaredOption,
         dataset: str | None = DatasetOption, as_user: str | None = AsOption,
         data_dir: Path | None = DataDirOption) -> None:
    """Scan a table: the entity in every column, its category, level and sensitivity, the dataset's grade."""
    label = declared.value if declared else None
    try:
        if (path is None) == (dataset is None):
            raise Invalid("给出文件路径或 --dataset 之一 / give either PATH or --dataset ID", field="path")
        if dataset is not None:
            report = run_dataset_scan(dataset, rules, label, as_user, data_dir)
        else:
            assert path is not None
            report = run_scan(path, rules, label)
        if html is not None:
            write_html(report, html)
    except YaosuError as exc:
        raise fail(exc) from None
    if json_out:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False))
    else:
        console = Console()
        render_table(report, console if console.is_terminal else Console(width=160))
