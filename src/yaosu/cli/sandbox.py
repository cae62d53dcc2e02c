"""`yaosu query`, `yaosu verify-record`, `yaosu sandbox`: query a sandbox, verify records, set rules, see usage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work

app = typer.Typer(help="数据沙箱与核验 Sandbox and verification products: rules, allowance, usage.",
                  no_args_is_help=True)
JsonOption = typer.Option(False, "--json", help="Print JSON")
PurposeOption = typer.Option(..., "--purpose", help="用途 The purpose, as the contract states it")
MAX_FILE = 50_000_000


def _table(rows: list[list[Any]], columns: list[str]) -> str:
    lines = ["\t".join(columns)] + ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)


def _node(data_dir: Path) -> Any:
    """The data node in this process (its vault under the data directory)."""
    from yaosu.node.client import LocalNode
    from yaosu.node.vault import Vault

    return LocalNode(Vault.for_data_dir(data_dir))


def _read_table(path: Path) -> Any:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    if path.stat().st_size > MAX_FILE:
        raise typer.BadParameter(f"the file is larger than {MAX_FILE // 1_000_000} MB", param_hint="--buyer-table")
    return pq.read_table(path) if path.suffix.lower() == ".parquet" else pcsv.read_csv(path)


def query(order_id: str = typer.Argument(..., help="Your order of a sandbox product"),
          sql: str = typer.Option(..., "--sql", help="One SELECT against the product's documented schema"),
          purpose: str = PurposeOption,
          buyer_table: Path | None = typer.Option(None, "--buyer-table", exists=True, dir_okay=False,
                                                  help="CSV or Parquet to join as table `buyer` (this run only)"),
          as_user: str | None = AsOption, data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """Run SQL in the sandbox: the answer, or the reason the product's rule refuses it (zh-CN / en)."""
    from yaosu.sandbox import service
    from yaosu.sandbox.schemas import table_json

    table = _read_table(buyer_table) if buyer_table is not None else None
    with work(data_dir) as (runtime, session):
        r = service.run_query(session=session, actor=resolve_actor(session, as_user),
                              node=_node(runtime.data_dir), order_id=order_id, sql=sql,
                              purpose=purpose, buyer_table=table)
        out = {"decision": r.decision, "code": r.code, "reason": r.reason, "result": table_json(r.table),
               "rows": r.rows, "epsilon": r.epsilon, "remaining_count": r.remaining_count,
               "remaining_epsilon": r.remaining_epsilon}

    def render(o: dict[str, Any]) -> str:
        left = f"剩余次数 remaining calls: {o['remaining_count'] if o['remaining_count'] is not None else '不限'}"
        if o["decision"] == "refused":
            return f"拒绝 refused [{o['code']}]: {o['reason']['zh']} / {o['reason']['en']}\n{left}"
        return _table(o["result"]["rows"], o["result"]["columns"]) + f"\n({o['rows']} rows)  {left}"
    emit(out, json_out, render)
    if out["decision"] == "refused":
        raise typer.Exit(3)


def verify_record(order_id: str = typer.Argument(..., help="Your order of a verification (核验) product"),
                  field: list[str] = typer.Option(..., "--field", "-f", help="FIELD=VALUE, repeatable"),
                  purpose: str = PurposeOption, as_user: str | None = AsOption,
                  data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """核验 one record: 一致 / 不一致 / 未找到 and a level per field; never the stored record."""
    import pyarrow as pa

    from yaosu.sandbox import service

    record = {}
    for item in field:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter("use FIELD=VALUE", param_hint="--field")
        record[name.strip()] = value
    with work(data_dir) as (runtime, session):
        result = service.check_records(session=session, actor=resolve_actor(session, as_user),
                                       node=_node(runtime.data_dir), order_id=order_id,
                                       records=pa.Table.from_pylist([record]), purpose=purpose).to_pylist()[0]
    emit(result, json_out, lambda r: "  ".join(f"{k}: {v}" for k, v in r.items()))


@app.command("configure")
def configure(product_id: str = typer.Argument(..., help="Your sandbox or verification product"),
              dataset_id: str = typer.Argument(..., help="Your node dataset it runs on"),
              rule: Path = typer.Argument(..., exists=True, dir_okay=False, help="The rule as JSON"),
              as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
              json_out: bool = JsonOption) -> None:
    """Set the product's analysis rule (sandbox) or verification rule (核验), once."""
    from yaosu.sandbox import service
    from yaosu.sandbox.schemas import SandboxProductRead

    if rule.stat().st_size > 1_000_000:
        raise typer.BadParameter("the JSON file is larger than 1 MB", param_hint="RULE")
    with work(data_dir) as (runtime, session):
        row = service.configure_product(session=session, actor=resolve_actor(session, as_user),
                                        node=_node(runtime.data_dir), product_id=product_id,
                                        dataset_id=dataset_id, rule=json.loads(rule.read_text(encoding="utf-8")))
        out = SandboxProductRead.model_validate(row).model_dump(mode="json")
    emit(out, json_out, lambda r: f"product {r['product_id']}  {r['kind']} rule {r['rule_hash'][:16]}")


@app.command("allowance")
def allowance(order_id: str = typer.Argument(...), as_user: str | None = AsOption,
              data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """What is left of an order's contract: calls, epsilon, end date."""
    from yaosu.sandbox import service

    with work(data_dir) as (_, session):
        out = service.allowance(session=session, actor=resolve_actor(session, as_user), order_id=order_id)
    emit(out, json_out, lambda r: f"已用 used {r['used_count']}  剩余 remaining {r['remaining_count']}  "
                                  f"至 until {r['until']}")


@app.command("usage")
def usage(product_id: str = typer.Argument(...), limit: int = typer.Option(50, min=1, max=1000),
          as_user: str | None = AsOption, data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """The product's usage log, newest first (its provider, the operator, the regulator)."""
    from yaosu.sandbox import service
    from yaosu.sandbox.schemas import UsageRead

    with work(data_dir) as (_, session):
        rows = [UsageRead.model_validate(u).model_dump(mode="json") for u in
                service.usage_log(session=session, actor=resolve_actor(session, as_user), product_id=product_id,
                                  limit=limit)]
    emit(rows, json_out, lambda rs: "\n".join(
        f"{r['created_at']}  {r['kind']}  {r['decision']:<8} {r['code'] or '':<26} rows {r['rows']}  "
        f"units {r['units']}  {r['text_hash'][:12]}" for r in rs) or "(none)")
