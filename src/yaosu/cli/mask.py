"""`yaosu mask`: de-identify a CSV or Parquet file by a policy (or the defaults derived from a scan)."""

from __future__ import annotations

from pathlib import Path

import typer

from yaosu.errors import YaosuError
from yaosu.privacy.mask.defaults import default_policy, scan_report_for
from yaosu.privacy.mask.files import MaskSummary, mask_file
from yaosu.privacy.mask.policy import Policy, load_policy


def _summary(result: MaskSummary, as_json: bool) -> None:
    if as_json:
        import json

        typer.echo(json.dumps({"output": str(result.output), "rows": result.rows, "policy_hash": result.policy_hash,
                               "operators": result.operators, "key_file": str(result.key_file),
                               "key_generated": result.key_generated}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"已脱敏 / masked: {result.rows} 行 rows → {result.output}")
    typer.echo(f"策略哈希 / policy hash: {result.policy_hash}")
    for name, operator in result.operators.items():
        typer.echo(f"  {name}: {operator}")
    if result.key_generated:
        typer.echo(f"新密钥 / new key (mode 0600, keep it to re-run with the same pseudonyms): {result.key_file}")
    else:
        typer.echo(f"密钥 / key file: {result.key_file}")


def mask(source: Path = typer.Argument(..., help="Input CSV or Parquet file"),
         out: Path = typer.Option(..., "--out", help="Output file, .csv or .parquet"),
         policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML/JSON (default: from a scan)"),
         key_file: Path | None = typer.Option(None, "--key-file", help="Product key: a file of ≥ 32 random bytes "
                                                                       "(default: a new one at OUTPUT.key)"),
         force: bool = typer.Option(False, "--force", help="Replace OUTPUT if it exists"),
         as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON")) -> None:
    """De-identify INPUT into OUTPUT column by column (脱敏), streaming and all or nothing."""
    try:
        policy: Policy = load_policy(policy_file) if policy_file else default_policy(scan_report_for(source))
        result = mask_file(source, out, policy, key_file=key_file, force=force)
    except YaosuError as exc:
        field = f" [{exc.field}]" if exc.field else ""
        typer.secho(f"error {exc.code}{field}: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    _summary(result, as_json)
