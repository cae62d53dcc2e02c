"""`yaosu db`: migrations."""

from __future__ import annotations

from pathlib import Path

import typer

from yaosu.cli.context import DataDirOption, make_runtime

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command()
def upgrade(data_dir: Path | None = DataDirOption) -> None:
    """Migrate the database to the newest schema and create the operator on first run."""
    from yaosu.bootstrap import setup

    runtime = make_runtime(data_dir)
    try:
        result = setup(runtime)
    finally:
        runtime.dispose()
    typer.echo("database is at the newest schema")
    if result.created:
        typer.echo(f"operator created; admin password in {result.admin_password_file}")


@app.command()
def current(data_dir: Path | None = DataDirOption) -> None:
    """Print the schema revision of the database."""
    from yaosu.db.migrate import current as current_revision

    runtime = make_runtime(data_dir)
    try:
        typer.echo(current_revision(runtime.settings.resolved_database_url()) or "(not migrated)")
    finally:
        runtime.dispose()
