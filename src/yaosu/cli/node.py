"""`yaosu node`: ingest tables into the data node's encrypted vault, list and show datasets."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import typer

from yaosu.cli.context import DataDirOption, emit, resolve_actor, work
from yaosu.node import service
from yaosu.node.schemas import DatasetRead
from yaosu.node.vault import Vault

app = typer.Typer(help="数据节点 The data node: ingest tables into the encrypted vault.", no_args_is_help=True)

UserOption = typer.Option(None, "--user", "--as", help="Act as this username (default: the local operator)")
JsonOption = typer.Option(False, "--json", help="Print JSON")


def _progress(rows: int) -> None:
    typer.echo(f"\r已导入 / ingested {rows:,} rows", err=True, nl=False)


def _summary(d: dict[str, object]) -> str:
    return (f"数据集 / dataset {d['id']}  {d['name']}\n  rows {d['rows']:,}  columns {d['columns']}\n"
            f"  content hash (yaosu-dataset-v1) {d['content_hash']}")


@app.command("add")
def add(location: str = typer.Argument(..., metavar="PATH_OR_URL",
                                       help="A CSV/TSV/Parquet/JSONL/XLSX file, or a SQLAlchemy URL"),
        table: str | None = typer.Option(None, "--table", help="Table (database URL) or sheet (xlsx)"),
        name: str | None = typer.Option(None, "--name", help="Dataset name (default: the file or table name)"),
        as_user: str | None = UserOption, json_out: bool = JsonOption,
        data_dir: Path | None = DataDirOption) -> None:
    """Ingest a table into the vault (encrypted at rest) and print its id, rows, columns and content hash."""
    try:
        with work(data_dir) as (runtime, session):
            actor = resolve_actor(session, as_user)
            row = service.add_dataset(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                                      location=location, table=table, name=name, progress=_progress)
            summary = service.dataset_summary(row)
    except (pa.ArrowException, OSError, UnicodeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        typer.secho(f"\nerror unreadable: 无法读取 / cannot read: {first}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    finally:
        typer.echo("", err=True)
    emit(summary, json_out, _summary)


@app.command("list")
def list_(as_user: str | None = UserOption, json_out: bool = JsonOption, data_dir: Path | None = DataDirOption) -> None:
    """List the datasets the user's party owns (every dataset for the operator)."""
    with work(data_dir) as (_, session):
        rows = service.list_datasets(session=session, actor=resolve_actor(session, as_user), limit=200)
        items = [service.dataset_summary(r) for r in rows]
    emit(items, json_out, lambda xs: "\n".join(
        f"{x['id']}  {x['rows']:>12,} rows  {x['columns']:>4} cols  {x['name']}" for x in xs) or "(无 / none)")


@app.command("show")
def show(dataset_id: str, as_user: str | None = UserOption, data_dir: Path | None = DataDirOption) -> None:
    """Print one dataset's metadata as JSON (never its values)."""
    with work(data_dir) as (_, session):
        row = service.get_dataset(session=session, actor=resolve_actor(session, as_user), dataset_id=dataset_id)
        data = DatasetRead.model_validate(row).model_dump(mode="json")
    emit(data, True)


@app.command("verify")
def verify(dataset_id: str, as_user: str | None = UserOption, data_dir: Path | None = DataDirOption) -> None:
    """Decrypt a dataset and recompute its content hash; exit 1 if it differs from the recorded one."""
    with work(data_dir) as (runtime, session):
        result = service.verify_dataset(session=session, actor=resolve_actor(session, as_user),
                                        vault=Vault.for_data_dir(runtime.data_dir), dataset_id=dataset_id)
    if result.ok:
        typer.secho(f"完整 / intact: {result.dataset_id} {result.computed}", fg="green")
        return
    typer.secho(f"不一致 / MISMATCH: {result.dataset_id} recorded {result.recorded}, stored file {result.computed}",
                fg="red", err=True)
    raise typer.Exit(1)
