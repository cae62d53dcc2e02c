"""`yaosu ledger`: verify the log, sign a checkpoint, prove an entry, export a bundle and verify it offline."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.keys import load_public_key
from yaosu.ledger import service
from yaosu.ledger.bundle import verify_bundle

app = typer.Typer(help="存证账本 The tamper-evident ledger: verify, checkpoint, prove, export.", no_args_is_help=True)

JsonOption = typer.Option(False, "--json", help="Print JSON")


@app.command()
def verify(as_user: str | None = AsOption, as_json: bool = JsonOption, data_dir: Path | None = DataDirOption) -> None:
    """Recompute every leaf, subtree and signed checkpoint; exit 1 and name the first bad index on a mismatch."""
    with work(data_dir) as (runtime, session):
        report = service.verify_ledger(session=session, actor=resolve_actor(session, as_user),
                                       public_key=runtime.keys.public_key, origin=runtime.settings.exchange_origin)
    if as_json:
        emit({"ok": report.ok, **asdict(report)}, True)
    elif report.ok:
        typer.secho(f"账本完整 / ledger intact: {report.size} entries, {report.checkpoints} checkpoints verified",
                    fg="green")
    else:
        typer.secho(f"账本被篡改 / ledger MISMATCH at index {report.first_bad_index}: {report.reason}",
                    fg="red", err=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def checkpoint(as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Sign a checkpoint of the current tree now and print the signed note."""
    with work(data_dir) as (runtime, session):
        cp = service.sign_checkpoint(session=session, actor=resolve_actor(session, as_user), keys=runtime.keys,
                                     origin=runtime.settings.exchange_origin)
        typer.echo(cp.note, nl=False)


@app.command()
def prove(index: int = typer.Argument(..., help="Leaf index (0-based)"),
          tree_size: int | None = typer.Option(None, "--tree-size", help="Prove to this checkpoint size"),
          as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Print a receipt for entry INDEX: leaf hash, inclusion proof and the signed checkpoint (JSON)."""
    with work(data_dir) as (_, session):
        receipt = service.get_entry_proof(session=session, actor=resolve_actor(session, as_user), index=index,
                                          tree_size=tree_size)
        emit(asdict(receipt), True)


@app.command()
def export(directory: Path = typer.Argument(..., help="An empty or new directory for the bundle"),
           as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Sign a checkpoint of the current tree, then write every entry and checkpoint to DIRECTORY."""
    if directory.exists() and any(directory.iterdir()):
        typer.secho(f"error: {directory} is not empty", fg="red", err=True)
        raise typer.Exit(2)
    with work(data_dir) as (runtime, session):
        count = service.export_bundle(session=session, actor=resolve_actor(session, as_user), directory=directory,
                                      keys=runtime.keys, origin=runtime.settings.exchange_origin)
    typer.echo(f"已导出 / exported {count} entries to {directory}")


def _key(path: Path) -> Ed25519PublicKey:
    try:
        return load_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        typer.secho(f"error: {path}: not an Ed25519 public key in PEM form ({exc})", fg="red", err=True)
        raise typer.Exit(2) from None


@app.command("verify-bundle")
def verify_bundle_command(directory: Path = typer.Argument(..., help="A bundle written by `yaosu ledger export`"),
                          public_key: Path = typer.Option(..., "--public-key", help="The exchange's PEM public key"),
                          witness: list[str] = typer.Option([], "--witness",
                                                            help="NAME=PEMFILE of a witness that must co-sign"),
                          ) -> None:
    """Verify a bundle offline with nothing but its files and the public key; exit 1 on any mismatch."""
    key = _key(public_key)
    witnesses = {name: _key(Path(path)) for name, _, path in (w.partition("=") for w in witness)}
    report = verify_bundle(directory, key, witnesses)
    if report.ok:
        typer.secho(f"验证通过 / bundle valid: {report.entries} entries, {report.checkpoints} signed checkpoints",
                    fg="green")
        return
    typer.secho(f"验证失败 / bundle INVALID at index {report.first_bad_index}: {report.reason}", fg="red", err=True)
    raise typer.Exit(1)
