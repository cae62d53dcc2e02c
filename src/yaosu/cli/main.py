"""`yaosu`: serve the exchange, migrate, and act on parties, resources, rights and certificates."""

from __future__ import annotations

from pathlib import Path

import typer

from yaosu.cli import (
    anonymize,
    catalog,
    cert,
    db,
    deid,
    ledger,
    market,
    mask,
    node,
    party,
    registration,
    release,
    resource,
    right,
    sandbox,
    trading,
)
from yaosu.cli import quality as quality_cli
from yaosu.cli import scan as scan_cli
from yaosu.cli import watermark as watermark_cli
from yaosu.cli.context import DataDirOption, make_runtime

app = typer.Typer(name="yaosu", help="Yaosu 要素数据交易所 — a trusted data-element exchange.",
                  no_args_is_help=True, add_completion=False)
app.add_typer(db.app, name="db")
app.add_typer(party.app, name="party")
app.add_typer(resource.app, name="resource")
app.add_typer(right.app, name="right")
app.add_typer(registration.app, name="registration")
app.add_typer(cert.app, name="cert")
app.add_typer(catalog.app, name="catalog")
app.add_typer(ledger.app, name="ledger")
app.add_typer(node.app, name="node")
app.add_typer(market.product_app, name="product")
app.add_typer(market.order_app, name="order")
app.add_typer(market.account_app, name="account")
app.add_typer(release.app, name="release")
app.add_typer(trading.negotiation_app, name="negotiation")
app.add_typer(trading.auction_app, name="auction")
market.product_app.command("prices")(trading.product_prices)
market.account_app.command("statement")(trading.account_statement)
app.add_typer(sandbox.app, name="sandbox")
app.command("query")(sandbox.query)
app.command("verify-record")(sandbox.verify_record)
node.app.command("mask")(deid.mask)
node.app.command("anonymize")(deid.anonymize)
node.app.command("lineage")(deid.lineage)
app.command("anonymize")(anonymize.anonymize)
app.command("scan")(scan_cli.scan)
app.command("mask")(mask.mask)
app.command("quality")(quality_cli.quality)
app.command("fingerprint")(watermark_cli.fingerprint)
app.command("trace")(watermark_cli.trace)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
          port: int = typer.Option(8000, help="Port"),
          demo: bool = typer.Option(False, "--demo", help="Load demonstration data on first start"),
          data_dir: Path | None = DataDirOption) -> None:
    """Migrate the database, set up the operator on first start, and serve the portal and API."""
    import uvicorn

    from yaosu.api.app import create_app
    from yaosu.bootstrap import setup
    from yaosu.ledger.checkpoints import CheckpointPublisher

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
    publisher = CheckpointPublisher(runtime.sessions, runtime.keys, runtime.settings.exchange_origin)
    publisher.start()
    try:
        uvicorn.run(create_app(runtime), host=host, port=port, log_level="info")
    finally:
        publisher.stop()


@app.command()
def demo(data_dir: Path = typer.Option(..., "--data-dir", help="An empty directory for the demonstration exchange"),
         ) -> None:
    """Run the scripted journey on a fresh data dir: parties, registrations, a licence, certificates, verification."""
    from yaosu.config import Settings
    from yaosu.demo import DEMO_PASSWORD, run_demo
    from yaosu.errors import YaosuError
    from yaosu.runtime import Runtime

    if data_dir.exists() and any(data_dir.iterdir()):
        typer.secho(f"error: {data_dir} is not empty; the demo needs a fresh data directory", fg="red", err=True)
        raise typer.Exit(2)
    runtime = Runtime.from_settings(Settings(data_dir=data_dir))
    try:
        typer.echo("要素数据交易所 演示 / Yaosu demonstration")
        summary = run_demo(runtime, progress=lambda step: typer.echo(f"  ✓ {step}"))
    except YaosuError as exc:
        typer.secho(f"error {exc.code}: {exc.message}", fg="red", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.dispose()
    typer.echo("\n摘要 / Summary")
    for username, party_id in summary.parties.items():
        typer.echo(f"  {username:<10} party {party_id}  (demo password: {DEMO_PASSWORD})")
    typer.echo(f"  certificates: {', '.join(summary.certificates)}")
    typer.echo(f"  certificate file: {summary.certificate_file}")
    typer.echo(f"  verify offline: yaosu cert verify {summary.certificate_file} "
               f"--public-key {data_dir / 'keys' / 'exchange-ed25519.pub.pem'}")
    if not summary.verified:
        typer.secho("certificate verification FAILED", fg="red", err=True)
        raise typer.Exit(1)
    typer.secho("演示完成 / demo complete", fg="green")
