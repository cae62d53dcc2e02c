"""`yaosu catalog`: search the catalog, export it as DCAT 3 JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.catalog import service
from yaosu.catalog.schemas import CatalogQuery
from yaosu.cli.context import DataDirOption, emit, resolve_actor, work
from yaosu.resources.enums import DOMAINS, Classification, Grade, OpenCondition

app = typer.Typer(help="The catalog of resources (数据目录): search, DCAT export.", no_args_is_help=True)

AsUserOption = typer.Option(None, "--as", help="Search as this username (default: an anonymous visitor, "
                                                "who sees resources in notice or registered)")
STATUS_ZH = {"draft": "草稿", "submitted": "已提交", "notice": "公示中", "registered": "已登记",
             "rejected": "已驳回", "cancelled": "已注销"}


def _actor(session: Session, username: str | None) -> Actor:
    return resolve_actor(session, username) if username else Actor.anonymous()


def _render(page: dict[str, Any]) -> str:
    """People's view of a page: a header line, then one line per resource."""
    total = f"{page['total']}" if page["total_exact"] else f"至少 {page['total']}"
    lines = [f"共 {total} 条 (第 {page['page']} 页, 每页 {page['page_size']} 条) / {page['total']} results"]
    for item in page["items"]:
        domain = DOMAINS.get(item["domain"], item["domain"])
        status = STATUS_ZH.get(item["status"], item["status"])
        lines.append(f"{item['id']}  {item['title']}  [{domain}]  {item['holder_name']}  ({status})")
    return "\n".join(lines)


@app.command("search")
def search(q: str = typer.Argument("", help="Keywords, e.g. 港口吞吐量 (empty: filters only)"),
           domain: str | None = typer.Option(None, help="Industry domain code, e.g. transport"),
           classification: Classification | None = typer.Option(None),
           grade: Grade | None = typer.Option(None),
           open_condition: OpenCondition | None = typer.Option(None, "--open-condition"),
           holder: str | None = typer.Option(None, "--holder", help="Holder party id"),
           page: int = typer.Option(1, min=1),
           page_size: int = typer.Option(20, "--page-size", min=1, max=100),
           as_user: str | None = AsUserOption, data_dir: Path | None = DataDirOption,
           json_out: bool = typer.Option(False, "--json")) -> None:
    """Search the catalog by keywords (Chinese needs no spaces) and filters."""
    try:
        query = CatalogQuery.model_validate({"q": q, "domain": domain, "classification": classification,
                                             "grade": grade, "open_condition": open_condition,
                                             "holder_party_id": holder, "page": page, "page_size": page_size})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "q"
        raise typer.BadParameter(str(first["msg"]), param_hint=field) from None
    with work(data_dir) as (_, session):
        result = service.search_catalog(session=session, actor=_actor(session, as_user), query=query)
    emit(result.model_dump(mode="json"), json_out, _render)


@app.command("dcat")
def dcat(out: Path | None = typer.Option(None, "--out", help="Write the JSON-LD here (default: print)"),
         base_url: str = typer.Option("http://127.0.0.1:8000", "--base-url",
                                      help="Public address of the exchange, used in the @id of every entry"),
         page: int = typer.Option(1, min=1, help="Page of 1000 resources"),
         data_dir: Path | None = DataDirOption) -> None:
    """Export the public catalog (resources in notice or registered) as DCAT 3 JSON-LD."""
    with work(data_dir) as (_, session):
        document = service.dcat_catalog(session=session, actor=Actor.anonymous(),
                                        base_url=base_url.rstrip("/"), page=page)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    count = len(document["dcat:dataset"])
    typer.echo(f"已写出 {count} 个数据集 / wrote {count} datasets: {out}")
