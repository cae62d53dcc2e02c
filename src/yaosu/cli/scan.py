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

from yaosu.errors import Invalid, YaosuError
from yaosu.node.readers import TableSource
from yaosu.privacy.grading_rules import load_rules
from yaosu.privacy.report import ScanReport, report_json, report_reasons, scan_file
from yaosu.resources.enums import Classification

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


DeclaredOption = typer.Option(None, "--declared", help="The holder's declared classification (rules may use it)")


def run_scan(path: Path, rules_files: list[Path] | None, declared: str | None = None) -> ScanReport:
    """Load the rules, then scan and grade `path` with a progress bar; problems raise YaosuError."""
    rules = load_rules(rules_files or [])
    try:
        with progress_bar(f"扫描 / scanning {path.name}") as bar:
            return scan_file(str(path), rules, progress=bar.rows, declared=declared, on_open=bar.opened)
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror or exc}", field="path") from exc


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


def scan(path: Path = typer.Argument(..., help="A table file (Parquet, CSV, ...)"),
         json_out: bool = typer.Option(False, "--json", help="Print the report as JSON"),
         html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML report here"),
         rules: list[Path] | None = RulesOption, declared: Classification | None = DeclaredOption) -> None:
    """Scan a table: the entity in every column, its category, level and sensitivity, the dataset's grade."""
    try:
        report = run_scan(path, rules, declared.value if declared else None)
        if html is not None:
            write_html(report, html)
    except YaosuError as exc:
        raise fail(exc) from None
    if json_out:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False))
    else:
        console = Console()
        render_table(report, console if console.is_terminal else Console(width=160))
