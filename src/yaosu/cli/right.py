"""`yaosu right`: list, grant, transfer, revoke rights; chain of title; succession."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.rights import service, succession
from yaosu.rights.enums import RIGHT_KIND_ZH, RightKind, SuccessionEvent
from yaosu.rights.schemas import GrantCreate, RightRead, SuccessionCreate, SuccessorShare, TransferCreate

app = typer.Typer(help="Data property rights (持有权 / 加工使用权 / 经营权).", no_args_is_help=True)


def _line(r: dict[str, object]) -> str:
    kind = RIGHT_KIND_ZH.get(RightKind(str(r["kind"])), str(r["kind"]))
    until = r["valid_until"] or "长期 / no end"
    return (f"{r['id']}  {kind}  holder={r['holder_party_id']}  {r['origin']}  {r['status']}  "
            f"share={r['share_bp']}bp  until={until}")


def _render(rows: list[dict[str, object]]) -> str:
    return "\n".join(_line(r) for r in rows) or "(none)"


@app.command("list")
def list_(resource_id: str, include_ended: bool = typer.Option(False, "--all"), as_user: str | None = AsOption,
          data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """Rights over a resource."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        rows = [RightRead.model_validate(r).model_dump(mode="json") for r in
                service.list_rights(session=session, actor=actor, subject_id=resource_id, include_ended=include_ended)]
    emit(rows, json_out, _render)


@app.command("chain")
def chain(right_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Chain of title of a right, original first."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        rows = [RightRead.model_validate(r).model_dump(mode="json")
                for r in service.chain_of_title(session=session, actor=actor, right_id=right_id)]
    emit(rows, json_out, _render)


@app.command("grant")
def grant(right_id: str, to: str = typer.Option(..., "--to", help="Party id of the licensee"),
          purpose: list[str] = typer.Option(..., "--purpose"), action: list[str] = typer.Option(..., "--action"),
          region: list[str] = typer.Option(["CN"], "--region"),
          until: datetime | None = typer.Option(None, "--until", help="End of term, e.g. 2027-12-31T00:00:00+08:00"),
          exclusive: bool = typer.Option(False), as_user: str = typer.Option(..., "--as"),
          data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """License part of a right you hold to another party."""
    data = GrantCreate(to_party_id=to, purposes=purpose, actions=action, regions=region, valid_until=until,
                       exclusive=exclusive)
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = RightRead.model_validate(service.grant_right(session=session, actor=actor, right_id=right_id, data=data))
    emit(row.model_dump(mode="json"), json_out, _line)


@app.command("transfer")
def transfer(right_id: str, to: str = typer.Option(..., "--to"), reason: str = typer.Option(""),
             as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption) -> None:
    """Transfer a whole right to another party."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = service.transfer_right(session=session, actor=actor, right_id=right_id,
                                     data=TransferCreate(to_party_id=to, reason=reason))
        typer.echo(_line(RightRead.model_validate(row).model_dump(mode="json")))


@app.command("revoke")
def revoke(right_id: str, reason: str = typer.Option(..., "--reason"), as_user: str | None = AsOption,
           data_dir: Path | None = DataDirOption) -> None:
    """Revoke a licence and everything derived from it."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = service.revoke_right(session=session, actor=actor, right_id=right_id, reason=reason)
        typer.echo(_line(RightRead.model_validate(row).model_dump(mode="json")))


@app.command("expire-due")
def expire(data_dir: Path | None = DataDirOption) -> None:
    """Expire every right whose term has ended (run daily)."""
    with work(data_dir) as (_, session):
        rows = service.expire_due(session=session, actor=resolve_actor(session, None))
        typer.echo(f"{len(rows)} right(s) expired")


@app.command("succeed")
def succeed(party_id: str, event: SuccessionEvent = typer.Option(..., "--event"),
            successor: list[str] = typer.Option(..., "--successor", help="PARTY_ID[:SHARE_BP], repeat for a split"),
            reason: str = typer.Option(""), data_dir: Path | None = DataDirOption) -> None:
    """Pass a merged/split/dissolved/bankrupt party's rights and duties to successors (operator)."""
    shares = []
    for item in successor:
        pid, _, share = item.partition(":")
        shares.append(SuccessorShare(party_id=pid, share_bp=int(share) if share else 10000 // len(successor)))
    data = SuccessionCreate(party_id=party_id, event=event, successors=shares, reason=reason)
    with work(data_dir) as (_, session):
        record = succession.succeed_party(session=session, actor=resolve_actor(session, None), data=data)
        typer.echo(f"succession {record.id}: {record.event} -> {', '.join(record.successors)}")
