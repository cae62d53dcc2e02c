"""`yaosu ledger`: verify the log, sign a checkpoint, prove an entry, export a bundle and verify it offline."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import typer
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yaosu import clock
from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.keys import create_private_key_file, load_private_key, load_public_key
from yaosu.ledger import note, service
from yaosu.ledger import witness as witness_kernel
from yaosu.ledger.bundle import verify_bundle

app = typer.Typer(help="存证账本 The tamper-evident ledger: verify, checkpoint, prove, export.", no_args_is_help=True)

JsonOption = typer.Option(False, "--json", help="Print JSON")


@app.command()
def verify(as_user: str | None = AsOption, as_json: bool = JsonOption, data_dir: Path | None = DataDirOption) -> None:
    """Recompute every leaf, subtree and signed checkpoint; exit 1 and name the first bad index on a mismatch."""
    with work(data_dir) as (runtime, session):
        report = service.verify_ledger(session=session, actor=resolve_actor(session, as_user),
                                       public_key=runtime.keys.public_key, origin=runtime.settings.exchange_origin,
                                       witnesses=runtime.settings.witness_keys())
    if as_json:
        emit({"ok": report.ok, **asdict(report)}, True)
    elif report.ok:
        typer.secho(f"账本完整 / ledger intact: {report.size} entries, {report.checkpoints} checkpoints verified",
                    fg="green")
        for name, size in sorted(report.witnessed.items()):
            typer.echo(f"  见证 / witness {name}: cosigned up to size {size}")
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


def _fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: {exc}")


@app.command("witness-init")
def witness_init(name: str = typer.Option(..., "--name", help="The witness's name, e.g. regulator.example/w1"),
                 key: Path = typer.Option(..., "--key", help="Where to write the new private key (0600)")) -> None:
    """Create a witness key pair and print the verifier key the exchange configures (YAOSU_LEDGER_WITNESSES)."""
    if key.exists():
        _fail(f"{key} exists; a witness key is never overwritten")
    private = create_private_key_file(key)
    typer.echo(note.cosigner_vkey(name, private.public_key()))


@app.command()
def witness(checkpoint_file: Path = typer.Argument(..., help="The checkpoint note, as served by the exchange"),
            log_key: Path = typer.Option(..., "--log-key", help="The exchange's PEM public key"),
            origin: str = typer.Option("yaosu.local/exchange", "--origin", help="The log's origin line"),
            name: str = typer.Option(..., "--name", help="This witness's name"),
            key: Path = typer.Option(..., "--key", help="This witness's PEM private key"),
            state: Path = typer.Option(..., "--state", help="This witness's state file (created on first use)"),
            proof: Path | None = typer.Option(None, "--proof", help="Consistency proof JSON from the last "
                                              "cosigned size (GET /api/v1/ledger/consistency)")) -> None:
    """Check a checkpoint extends the one this witness last cosigned, then print a cosignature line (offline)."""
    try:
        private = load_private_key(_read(key).encode())
        previous = witness_kernel.load_state(_read(state)) if state.exists() else None
        hashes = [bytes.fromhex(h) for h in json.loads(_read(proof))["proof"]] if proof else []
        line, new_state = witness_kernel.cosign_checkpoint(
            signed_note=_read(checkpoint_file), origin=origin, log_key=_key(log_key), name=name, key=private,
            previous=previous, proof=hashes, now=int(clock.now().timestamp()))
    except (ValueError, TypeError, KeyError, UnsupportedAlgorithm) as exc:
        typer.secho(f"拒绝见证 / refused: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None
    partial = state.with_suffix(".tmp")
    partial.write_text(json.dumps(new_state.to_json()), encoding="utf-8")
    partial.replace(state)
    typer.echo(line, nl=False)


@app.command()
def cosign(size: int = typer.Argument(..., help="The checkpoint's tree size"),
           line: str = typer.Argument(..., help="The witness's cosignature line (or @FILE)"),
           as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Store a configured witness's cosignature on checkpoint SIZE (operator, regulator or auditor)."""
    text = _read(Path(line[1:])) if line.startswith("@") else line
    with work(data_dir) as (runtime, session):
        row = service.add_cosignature(session=session, actor=resolve_actor(session, as_user), size=size,
                                      line=text, witnesses=runtime.settings.witness_keys())
        typer.echo(f"已存证见证签名 / cosignature by {row.witness} stored on checkpoint {row.size}")


def _key(path: Path) -> Ed25519PublicKey:
    try:
        return load_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        typer.secho(f"error: {path}: not an Ed25519 public key in PEM form ({exc})", fg="red", err=True)
        raise typer.Exit(2) from None


def _witness_key(text: str) -> tuple[str, Ed25519PublicKey]:
    name, eq, path = text.partition("=")
    if eq:
        return name, _key(Path(path))
    try:
        return note.parse_cosigner_vkey(text)
    except ValueError as exc:
        _fail(f"--witness {text}: {exc}")


@app.command("verify-bundle")
def verify_bundle_command(directory: Path = typer.Argument(..., help="A bundle written by `yaosu ledger export`"),
                          public_key: Path = typer.Option(..., "--public-key", help="The exchange's PEM public key"),
                          witness: list[str] = typer.Option([], "--witness", help="A witness that must have "
                                                            "cosigned: its verifier key, or NAME=PEMFILE"),
                          ) -> None:
    """Verify a bundle offline with nothing but its files and the public key; exit 1 on any mismatch."""
    key = _key(public_key)
    witnesses = dict(_witness_key(w) for w in witness)
    report = verify_bundle(directory, key, witnesses)
    if report.ok:
        typer.secho(f"验证通过 / bundle valid: {report.entries} entries, {report.checkpoints} signed checkpoints",
                    fg="green")
        return
    typer.secho(f"验证失败 / bundle INVALID at index {report.first_bad_index}: {report.reason}", fg="red", err=True)
    raise typer.Exit(1)
