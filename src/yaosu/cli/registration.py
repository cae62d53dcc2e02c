"""`yaosu registration`: apply, publish for notice, object, decide and finalize registrations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work
from yaosu.registration import service
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.schemas import (
    EvidenceItem,
    FinalizeReportRead,
    ObjectionCreate,
    ObjectionRead,
    OperatorQueueRead,
    RegistrationCreate,
    RegistrationRead,
)

app = typer.Typer(help="登记 Registrations: apply, public notice, objections, certificates.",
                  no_args_is_help=True)
M = TypeVar("M", bound=BaseModel)
JsonOption = typer.Option(False, "--json", help="输出 JSON / print JSON")


def _model(cls: type[M], **values: Any) -> M:
    """Build an input model, turning a validation error into a usage error (exit 2)."""
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise typer.BadParameter(f"{where}: {first['msg']}") from None


def _details(text: str | None, path: Path | None) -> dict[str, Any]:
    if text is not None and path is not None:
        raise typer.BadParameter("give --details or --details-file, not both")
    if text is None and path is None:
        return {}
    try:
        raw = path.read_text(encoding="utf-8") if path is not None else str(text)
        value = json.loads(raw)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise typer.BadParameter(f"details are not readable JSON: {exc}") from None
    if not isinstance(value, dict):
        raise typer.BadParameter("details must be a JSON object")
    return value


def _render_reg(r: dict[str, Any]) -> str:
    ends = f"  notice ends {r['notice_ends_at']}" if r.get("notice_ends_at") else ""
    return f"registration {r['id']}  {r['kind']}  [{r['status']}]  resource {r['resource_id']}{ends}"


@app.command("submit")
def submit(kind: RegistrationKind = typer.Argument(..., help="登记类型 / kind"),
           resource_id: str = typer.Argument(..., help="数据资源 id / resource id"),
           right_id: str | None = typer.Option(None, "--right", help="权利 / right (licence, transfer)"),
           certificate_id: str | None = typer.Option(None, "--certificate",
                                                     help="证书 / certificate (objection, change)"),
           details: str | None = typer.Option(None, "--details", help='JSON, e.g. \'{"title": "新名称"}\''),
           details_file: Path | None = typer.Option(None, "--details-file", help="JSON file of details"),
           as_user: str = typer.Option(..., "--as", help="申请人用户名 / the applicant's username"),
           data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """提交登记申请 / Apply for a registration of a resource."""
    data = _model(RegistrationCreate, kind=kind, resource_id=resource_id, right_id=right_id,
                  certificate_id=certificate_id, details=_details(details, details_file))
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = service.submit_registration(session=session, actor=actor, data=data)
        reg = RegistrationRead.model_validate(row)
    emit(reg.model_dump(mode="json"), json_out, _render_reg)


@app.command("notice")
def notice(registration_id: str, days: int | None = typer.Option(None, "--days", help="公示天数 / days"),
           as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
           json_out: bool = JsonOption) -> None:
    """开始公示 / Start the public notice period of a submitted registration (operator)."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        reg = RegistrationRead.model_validate(service.start_notice(
            session=session, actor=actor, registration_id=registration_id, notice_days=days))
    emit(reg.model_dump(mode="json"), json_out, _render_reg)


@app.command("reject")
def reject(registration_id: str, note: str = typer.Option(..., "--note", help="理由 / reason"),
           as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
           json_out: bool = JsonOption) -> None:
    """驳回登记 / Refuse a registration with a reason (operator)."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        reg = RegistrationRead.model_validate(service.reject_registration(
            session=session, actor=actor, registration_id=registration_id, note=note))
    emit(reg.model_dump(mode="json"), json_out, _render_reg)


def _evidence(items: list[str]) -> list[dict[str, str]]:
    out = []
    for item in items:
        name, _, rest = item.partition(":")
        sha, _, note = rest.partition(":")
        out.append({"name": name, "sha256": sha, "note": note})
    return out


@app.command("object")
def object_(registration_id: str, reasons: str = typer.Option(..., "--reasons", help="异议理由 / reasons"),
            evidence: list[str] = typer.Option([], "--evidence", help="NAME:SHA256[:NOTE], repeatable"),
            as_user: str = typer.Option(..., "--as", help="异议人用户名 / the objector's username"),
            data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """提出异议 / Object to a registration during its notice period."""
    data = _model(ObjectionCreate, reasons=reasons,
                  evidence=[_model(EvidenceItem, **e) for e in _evidence(evidence)])
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = ObjectionRead.model_validate(service.file_objection(
            session=session, actor=actor, registration_id=registration_id, data=data))
    emit(row.model_dump(mode="json"), json_out, lambda o: f"objection {o['id']}  [{o['status']}]")


@app.command("decide")
def decide(objection_id: str,
           uphold: bool = typer.Option(..., "--uphold/--dismiss", help="支持或驳回异议 / uphold or dismiss"),
           note: str = typer.Option(..., "--note", help="理由 / reason"), as_user: str | None = AsOption,
           data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """处理异议 / Uphold or dismiss an objection (operator)."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        row = ObjectionRead.model_validate(service.decide_objection(
            session=session, actor=actor, objection_id=objection_id, uphold=uphold, note=note))
    emit(row.model_dump(mode="json"), json_out, lambda o: f"objection {o['id']}  [{o['status']}]")


def _render_report(r: dict[str, Any]) -> str:
    lines = [f"certified {c['number']}  registration {c['registration_id']}" for c in r["certified"]]
    lines += [f"concluded {g['id']}  {g['kind']}" for g in r["concluded"]]
    lines += [f"rejected  {g['id']}  {g['decision_note']}" for g in r["rejected"]]
    lines += [f"waiting   {g['id']}  (open objections)" for g in r["waiting"]]
    return "\n".join(lines) or "公示期满的登记: 无 / nothing due"


@app.command("finalize")
def finalize(as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
             json_out: bool = JsonOption) -> None:
    """公示期满处理 / Certify or reject every registration whose notice has ended (operator)."""
    with work(data_dir) as (runtime, session):
        actor = resolve_actor(session, as_user)
        report = FinalizeReportRead.of(service.finalize_due(session=session, actor=actor, keys=runtime.keys))
    emit(report.model_dump(mode="json"), json_out, _render_report)


def _render_queue(q: dict[str, Any]) -> str:
    lines = ["待受理 submitted:"] + [f"  {_render_reg(r)}" for r in q["submitted"]]
    lines += ["公示中 in notice:"] + [f"  {_render_reg(r)}" for r in q["in_notice"]]
    lines += ["待处理异议 open objections:"]
    lines += [f"  objection {o['id']}  on {o['registration_id']}" for o in q["open_objections"]]
    return "\n".join(lines)


@app.command("queue")
def queue(as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
          json_out: bool = JsonOption) -> None:
    """待办 / The operator's queue: submitted, in notice, open objections."""
    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        q = OperatorQueueRead.of(service.list_queue(session=session, actor=actor))
    emit(q.model_dump(mode="json"), json_out, _render_queue)
