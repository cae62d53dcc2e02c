"""`yaosu fingerprint` and `yaosu trace`: the delivery code path for operators, and naming a leaked copy's buyer.

The node's watermark key is derived inside the process from the vault master key in the data
directory; it is never printed. Both commands write to the ledger (the delivery; the trace verdict).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from yaosu.cli.context import DataDirOption, resolve_actor, work
from yaosu.errors import Invalid
from yaosu.watermark import service
from yaosu.watermark.service import Declaration, TraceReport

UserOption = typer.Option(None, "--user", "--as", help="Act as this username (default: the local operator)")
ProductOption = typer.Option(..., "--product", help="Product id")


def parse_tolerances(items: list[str]) -> dict[str, float]:
    """`COLUMN=TOLERANCE` pairs as a dict; Invalid naming the bad one."""
    result: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            result[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise Invalid(f"容差写作 列=数值 / write a tolerance as COLUMN=NUMBER, not {item!r}", field="--tolerance")
    return result


def fingerprint(input_path: str = typer.Argument(..., metavar="INPUT", help="CSV, Parquet, XLSX or JSON-lines file"),
                product: str = ProductOption,
                recipient: str = typer.Option(..., "--recipient", help="Recipient party id"),
                out: Path = typer.Option(..., "--out", help="Output file (.csv or .parquet)"),
                tolerance: list[str] = typer.Option([], "--tolerance", help="COLUMN=MAX_CHANGE, once per marked "
                                                    "numeric column (first delivery of a product only)"),
                key: list[str] = typer.Option([], "--key", help="Primary-key column (repeat for a composite key; "
                                              "default: a virtual key of the stable columns)"),
                user: str | None = UserOption, data_dir: Path | None = DataDirOption) -> None:
    """Fingerprint INPUT for one recipient of a product into OUTPUT and record the delivery (operator)."""
    with work(data_dir) as (runtime, session):
        declared = Declaration(parse_tolerances(tolerance), key or None) if tolerance or key else None
        row = service.fingerprint_file(session=session, actor=resolve_actor(session, user),
                                       key_dir=runtime.data_dir / "keys", location=input_path, product_id=product,
                                       recipient=recipient, out=out, declared=declared)
        typer.echo(f"已加水印 / fingerprinted: {out} ({row.rows} 行 / rows)\n"
                   f"交付记录 / delivery: {row.id}\nsha256: {row.file_hash}")


def render(report: TraceReport) -> str:
    """The verdict and the top candidates for people."""
    result = report.result
    verdict = ", ".join(result.accused) if result.accused else "无 / none"
    lines = [f"可疑文件 / suspect sha256: {report.suspect_sha256}",
             f"读取 / read: {result.rows} 行 / rows, {result.cells} 个水印位 / marked cells",
             f"认定泄露方 (p < 1e-10) / accused: {verdict}"]
    lines += [f"  {c.recipient}  p={c.p_value:.3g}  {c.matches}/{c.checked}" for c in result.candidates[:10]]
    return "\n".join(lines)


def trace(suspect: str = typer.Argument(..., metavar="SUSPECT", help="CSV, Parquet, XLSX or JSON-lines file"),
          product: str = ProductOption, as_json: bool = typer.Option(False, "--json", help="Print JSON"),
          user: str | None = UserOption, data_dir: Path | None = DataDirOption) -> None:
    """Name the buyer(s) a leaked copy came from (p < 1e-10), with the evidence; the verdict goes to the ledger."""
    with work(data_dir) as (runtime, session):
        report = service.trace_file(session=session, actor=resolve_actor(session, user),
                                    key_dir=runtime.data_dir / "keys", location=suspect, product_id=product)
        typer.echo(json.dumps(report.result.to_json(), ensure_ascii=False) if as_json else render(report))
