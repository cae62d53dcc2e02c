"""`yaosu anonymize INPUT --out OUTPUT --k 10 --qi age,gender,district`: k-anonymize a CSV or Parquet file."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path
from typing import Any

import typer

from yaosu.errors import Invalid, YaosuError
from yaosu.privacy.anonymize.config import AnonymizeConfig, HierarchySpec
from yaosu.privacy.anonymize.files import anonymize_file
from yaosu.privacy.anonymize.pipeline import AnonymizeReport

MAX_HIERARCHY_BYTES = 20 << 20

MEASURES = [
    ("k", "k 匿名 / k"), ("classes", "等价类 / classes"), ("unique_share", "唯一记录占比 / unique share"),
    ("l_distinct", "l 多样性 / distinct l"), ("l_entropy", "熵 l 多样性 / entropy l"),
    ("t_closeness", "t 接近 / t-closeness"),
]
RISKS = [
    ("prosecutor_max", "检察官风险 最高 / prosecutor max"), ("prosecutor_avg", "检察官风险 平均 / prosecutor avg"),
    ("journalist_max", "记者风险 最高 / journalist max"), ("marketer", "营销者风险 / marketer"),
    ("records_at_risk", "风险记录占比 / records at risk"),
]


def name_values(values: list[str], option: str) -> dict[str, str]:
    """`name=value` options as a dict; a clear error naming the option otherwise."""
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise Invalid(f"expected NAME=VALUE, got {item!r}", field=option)
        out[name.strip()] = value.strip()
    return out


def load_hierarchy(spec: str) -> HierarchySpec:
    """'flat', 'address', or a CSV file of value,parent,grandparent,... rows (no header)."""
    if spec in ("flat", "address"):
        return spec
    path = Path(spec)
    if not path.is_file() or path.stat().st_size > MAX_HIERARCHY_BYTES:
        raise Invalid(f"hierarchy {spec!r} is neither flat, address nor a readable CSV under 20 MiB",
                      field="--hierarchy")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle) if row]
    return {row[0]: [cell for cell in row[1:] if cell] for row in rows}


def _fmt(value: Any) -> str:
    """A number for the report table."""
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a terminal width, counting CJK characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


def render(report: AnonymizeReport) -> str:
    """The before/after table, the information loss and the notes, for people."""
    rows = [("", "之前 / before", "之后 / after")]
    rows += [(label, _fmt(getattr(report.before, key)), _fmt(getattr(report.after, key))) for key, label in MEASURES]
    rows += [(label, _fmt(getattr(report.risk_before, key)), _fmt(getattr(report.risk_after, key)))
             for key, label in RISKS]
    lines = [_pad(a, 36) + _pad(b, 16, True) + _pad(c, 16, True) for a, b, c in rows]
    loss = report.loss
    lines += ["", f"信息损失 / information loss: GCP {loss.gcp:.4f}, discernibility {loss.discernibility:.0f}, "
              f"C_avg {loss.average_class_ratio:.3f}",
              "  NCP " + ", ".join(f"{name} {value:.4f}" for name, value in loss.ncp.items()),
              f"抑制 / suppressed: {loss.suppressed_rows} rows ({loss.suppressed_share:.2%})"]
    lines += [f"注 / note: {note}" for note in report.notes]
    return "\n".join(lines)


KOption = typer.Option(10, "--k", help="Every quasi-identifier combination shared by at least k rows")
QiOption = typer.Option(..., "--qi", help="Quasi-identifier columns, comma-separated")
SensitiveOption = typer.Option(None, "--sensitive", help="Sensitive attribute (for l and t)")
LOption = typer.Option(None, "--l", help="Also enforce distinct l-diversity")
SuppressionOption = typer.Option(0.05, "--max-suppression", help="Share of rows that may be suppressed")
HierarchyOption = typer.Option([], "--hierarchy", help="COLUMN=flat|address|FILE.csv (repeatable)")
BandOption = typer.Option([], "--band", help="COLUMN=WIDTH: publish whole bands, e.g. age=10")


def anonymize(
    input_path: Path = typer.Argument(..., metavar="INPUT", help="CSV or Parquet file"),
    out: Path = typer.Option(..., "--out", help="Output file (.csv or .parquet), written all-or-nothing"),
    k: int = KOption, qi: str = QiOption, sensitive: str | None = SensitiveOption, l_diversity: int | None = LOption,
    max_suppression: float = SuppressionOption, hierarchy: list[str] = HierarchyOption, band: list[str] = BandOption,
    population: Path | None = typer.Option(None, "--population", help="Population file for journalist risk"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """k-anonymize INPUT by Mondrian partitioning; print the before/after risk report and information loss."""
    try:
        bands = {name: int(width) for name, width in name_values(band, "--band").items()}
        config = AnonymizeConfig(
            qi=tuple(c.strip() for c in qi.split(",") if c.strip()), k=k, sensitive=sensitive,
            l_diversity=l_diversity, max_suppression=max_suppression, bands=bands,
            hierarchies={n: load_hierarchy(s) for n, s in name_values(hierarchy, "--hierarchy").items()})
        report = anonymize_file(str(input_path), out, config, str(population) if population else None)
    except ValueError as exc:
        typer.secho(f"error invalid: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    except YaosuError as exc:
        field = f" [{exc.field}]" if exc.field else ""
        typer.secho(f"error {exc.code}{field}: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render(report))
        typer.echo(f"已写出 / written: {out}")
