"""`yaosu party`: admit parties and their users."""

from __future__ import annotations

from pathlib import Path

import typer

from yaosu.auth import service
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate, PartyRead, UserCreate
from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work

app = typer.Typer(help="Parties (organizations, individuals) and their users.", no_args_is_help=True)


@app.command("create")
def create(name: str = typer.Option(..., help="Name of the organization or person"),
           role: list[Role] = typer.Option(..., "--role", help="Role; repeat for several"),
           uscc: str | None = typer.Option(None, help="Unified social credit code (organizations)"),
           individual: bool = typer.Option(False, help="An individual rather than an organization"),
           as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
           json_out: bool = typer.Option(False, "--json")) -> None:
    """Admit a party with its roles."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        data = PartyCreate(kind=PartyKind.INDIVIDUAL if individual else PartyKind.ORGANIZATION,
                           name=name, uscc=uscc, roles=role)
        party = PartyRead.model_validate(service.create_party(session=session, actor=actor, data=data))
    emit(party.model_dump(mode="json"), json_out, lambda p: f"party {p['id']}  {p['name']}  {','.join(p['roles'])}")


@app.command("list")
def list_(role: Role | None = typer.Option(None), as_user: str | None = AsOption,
          data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """List parties."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        rows = [PartyRead.model_validate(p).model_dump(mode="json")
                for p in service.list_parties(session=session, actor=actor, role=role)]
    emit(rows, json_out, lambda rs: "\n".join(f"{r['id']}  {r['name']}  {','.join(r['roles'])}" for r in rs))


@app.command("add-user")
def add_user(party_id: str, username: str, display_name: str = typer.Option(..., "--name"),
             password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
             as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """Add a login for a party (the password is prompted, never echoed)."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        user = service.create_user(session=session, actor=actor, data=UserCreate(
            party_id=party_id, username=username, display_name=display_name, password=password))
        typer.echo(f"user {user.username} ({user.id}) added")


@app.command("key-gen")
def key_gen(out: Path = typer.Option(..., "--out", help="Where to write the new private key (PEM, mode 0600)"),
            label: str = typer.Option("", "--label"), as_user: str = typer.Option(..., "--as"),
            data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """Make an Ed25519 key pair for signing contracts: the private key stays in OUT, the public key is registered
    for the user's party."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from yaosu.auth import party_keys
    from yaosu.auth.schemas import KeyRead
    from yaosu.keys import read_or_create_secret

    if out.exists():
        raise typer.BadParameter("the file exists; a key is never overwritten", param_hint="--out")
    key = Ed25519PrivateKey.generate()
    with work(data_dir) as (_, session):
        row = KeyRead.model_validate(party_keys.add_key(session=session, actor=resolve_actor(session, as_user),
                                                        public_key=party_keys.public_hex(key), label=label)
                                     ).model_dump(mode="json")
        read_or_create_secret(out, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    emit(row, json_out, lambda r: f"key {r['id']} registered for party {r['party_id']}; private key in {out}")
