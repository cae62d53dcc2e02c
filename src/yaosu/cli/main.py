"""`yaosu`: serve the exchange, migrate, and act on parties, resources, rights and certificates."""

from __future__ import annotations

from pathlib import Path

import typer

from yaosu.cli import catalog, db, party, resource
from yaosu.cli.context import DataDirOption, make_runtime

app = typer.Typer(name="yaosu", help="Yaosu 要素数据交易所 — a trusted data-element exchange.",
                  no_args_is_help=True, add_completion=False)
app.add_typer(db.app, name="db")
app.add_typer(party.app, name="party")
app.add_typer(resource.app, name="resource")
app.add_typer(catalog.app, name="catalog")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
          port: int = typer.Option(8000, help="Port"),
          demo: bool = typer.Option(False, "--demo", help="Load demonstration data on first start"),
          data_dir: Path | None = DataDirOption) -> None:
    """Migrate the database, set up the operator on first start, and serve the portal and API."""
    import uvicorn

    from yaosu.api.app import create_app
    from yaosu.bootstrap import setup

    runtime = make_runtime(data_dir)
    result = setup(runtime)
    if result.created:
        typer.echo(f"首次启动: 管理员账号 admin, 密码保存在 {result.admin_password_file} (mode 0600)")
        typer.echo(f"First start: the admin password is in {result.admin_password_file}")
    if demo:
        from yaosu.demo import load_demo_data

        loaded = load_demo_data(runtime)
        if loaded:
            typer.echo("已加载演示数据 / demonstration data loaded: " + ", ".join(loaded))
    typer.echo(f"Yaosu 门户与 API: http://{host}:{port}/  (API 文档 /api/v1/docs)")
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="info")
