"""`yaosu product`, `yaosu order`, `yaosu account`: list products, buy, deliver, settle (issue 7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work

product_app = typer.Typer(help="数据产品 Products: create, sign the declaration, submit, review.", no_args_is_help=True)
order_app = typer.Typer(help="订单 Orders: place (into escrow), deliver, accept (paid out), cancel.",
                        no_args_is_help=True)
account_app = typer.Typer(help="资金账户 Money: deposit and withdraw through the payment gateway.",
                          no_args_is_help=True)
JsonOption = typer.Option(False, "--json", help="Print JSON")


def _product(row: Any) -> dict[str, Any]:
    from yaosu.market.schemas import ProductRead

    return ProductRead.model_validate(row).model_dump(mode="json")


def _order(row: Any) -> dict[str, Any]:
    from yaosu.market.schemas import OrderRead

    return OrderRead.model_validate(row).model_dump(mode="json")


def _order_line(r: dict[str, Any]) -> str:
    return f"order {r['id']}  product {r['product_id']}  {r['price']} fen  {r['status']}"


@product_app.command("create")
def product_create(spec: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON body of POST /products"),
                   as_user: str = typer.Option(..., "--as", help="The lister's username"),
                   data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """Create a draft product from a JSON file (sources, pricing, split rule)."""
    from yaosu.market import service
    from yaosu.market.schemas import ProductCreate

    if spec.stat().st_size > 1_000_000:
        raise typer.BadParameter("the JSON file is larger than 1 MB", param_hint="SPEC")
    data = ProductCreate.model_validate(json.loads(spec.read_text(encoding="utf-8")))
    with work(data_dir) as (_, session):
        row = _product(service.create_product(session=session, actor=resolve_actor(session, as_user), data=data))
    emit(row, json_out, lambda r: f"product {r['id']}  {r['title']}  ({r['status']})")


@product_app.command("submit")
def product_submit(product_id: str, as_user: str = typer.Option(..., "--as"), sign: bool = typer.Option(
                   False, "--sign-declaration", help="Sign the trading declaration (shown) before submitting"),
                   data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """Run the automatic listing rules; print each decision with what to fix."""
    from yaosu.market import service
    from yaosu.market.schemas import DecisionRead

    with work(data_dir) as (_, session):
        actor = resolve_actor(session, as_user)
        if sign:
            typer.echo(service.DECLARATION, err=True)
            service.sign_declaration(session=session, actor=actor, product_id=product_id,
                                     text_sha256=service.DECLARATION_SHA256)
        rows = [DecisionRead.model_validate(d).model_dump(mode="json")
                for d in service.submit_product(session=session, actor=actor, product_id=product_id)]
    emit(rows, json_out, lambda rs: "\n".join(f"{r['outcome']}  {r['rule'] or ''}  {r['reason']}"
                                              + (f"\n    → {r['fix']}" if r["fix"] else "") for r in rs))


@product_app.command("review")
def product_review(product_id: str, approve: bool = typer.Option(..., "--approve/--reject"),
                   reason: str = typer.Option(..., "--reason"), as_user: str | None = AsOption,
                   data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """The operator lists or rejects a product awaiting review."""
    from yaosu.market import service

    with work(data_dir) as (_, session):
        row = _product(service.review_product(session=session, actor=resolve_actor(session, as_user),
                                              product_id=product_id, approve=approve, reason=reason))
    emit(row, json_out, lambda r: f"product {r['id']}  {r['status']}")


@order_app.command("place")
def order_place(product_id: str, client_key: str = typer.Option(..., "--key", help="Idempotency key"),
                calls: int = typer.Option(0, "--calls"), periods: int = typer.Option(1, "--periods"),
                purpose: str = typer.Option(..., "--purpose", help="使用目的 Purpose of use (into the contract)"),
                as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                json_out: bool = JsonOption) -> None:
    """Order a listed product; its price is held in escrow and its contract drafted."""
    from yaosu.market import orders

    with work(data_dir) as (_, session):
        row = _order(orders.place_order(session=session, actor=resolve_actor(session, as_user),
                                        product_id=product_id, usage={"calls": calls, "periods": periods},
                                        client_key=client_key, purpose=purpose))
    emit(row, json_out, _order_line)


def _order_step(step: str, order_id: str, as_user: str, data_dir: Path | None, json_out: bool) -> None:
    from yaosu.market import orders

    act = {"deliver": orders.deliver_order, "accept": orders.accept_order, "cancel": orders.cancel_order}[step]
    with work(data_dir) as (_, session):
        row = _order(act(session=session, actor=resolve_actor(session, as_user), order_id=order_id))
    emit(row, json_out, _order_line)


@order_app.command("deliver")
def order_deliver(order_id: str, as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                  json_out: bool = JsonOption) -> None:
    """The lister records delivery."""
    _order_step("deliver", order_id, as_user, data_dir, json_out)


@order_app.command("accept")
def order_accept(order_id: str, as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                 json_out: bool = JsonOption) -> None:
    """The buyer accepts; the escrow is split among the contributors and paid out."""
    _order_step("accept", order_id, as_user, data_dir, json_out)


@order_app.command("cancel")
def order_cancel(order_id: str, as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                 json_out: bool = JsonOption) -> None:
    """The buyer cancels an undelivered order; the escrow is refunded."""
    _order_step("cancel", order_id, as_user, data_dir, json_out)


@order_app.command("contract")
def order_contract(order_id: str, as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                   json_out: bool = JsonOption) -> None:
    """Show an order's contract: its text, hash and who has signed."""
    from yaosu.market import contracts
    from yaosu.market.schemas import ContractRead

    with work(data_dir) as (_, session):
        row = ContractRead.model_validate(contracts.get_contract(
            session=session, actor=resolve_actor(session, as_user), order_id=order_id)).model_dump(mode="json")
    emit(row, json_out, lambda r: (f"{r['document']['text']}\n\nsha256 {r['hash']}  {r['status']}  "
                                   f"buyer signed: {bool(r['buyer_signature'])}  "
                                   f"provider signed: {bool(r['provider_signature'])}"))


@order_app.command("sign")
def order_sign(order_id: str, key_file: Path = typer.Option(..., "--key-file", exists=True, dir_okay=False,
                                                             help="The party's Ed25519 private key (PEM)"),
               as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
               json_out: bool = JsonOption) -> None:
    """Sign an order's contract with the party's private key (the key must be registered: `yaosu party key-gen`)."""
    from yaosu.market import contracts
    from yaosu.market.schemas import ContractRead

    key = _private_key(key_file)
    with work(data_dir) as (_, session):
        row = ContractRead.model_validate(contracts.sign_with(
            session, resolve_actor(session, as_user), order_id, key)).model_dump(mode="json")
    emit(row, json_out, lambda r: f"contract {r['id']}  sha256 {r['hash']}  {r['status']}")


def _private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if path.stat().st_size > 10_000:
        raise typer.BadParameter("not a PEM private key", param_hint="--key-file")
    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise typer.BadParameter("not a PEM private key", param_hint="--key-file") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise typer.BadParameter("the key is not Ed25519", param_hint="--key-file")
    return key


@order_app.command("dispute")
def order_dispute(order_id: str, reason: str = typer.Option(..., "--reason"), as_user: str = typer.Option(..., "--as"),
                  data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """The buyer disputes a delivery; the money stays in escrow until the operator rules."""
    from yaosu.market import orders

    with work(data_dir) as (_, session):
        row = _order(orders.dispute_order(session=session, actor=resolve_actor(session, as_user), order_id=order_id,
                                          reason=reason))
    emit(row, json_out, _order_line)


@order_app.command("rule")
def order_rule(order_id: str, upheld: bool = typer.Option(..., "--upheld/--dismissed"),
               reason: str = typer.Option(..., "--reason"), as_user: str | None = typer.Option(None, "--as"),
               data_dir: Path | None = DataDirOption, json_out: bool = JsonOption) -> None:
    """The operator rules on a dispute: --upheld refunds the buyer, --dismissed pays the sale out."""
    from yaosu.market import orders

    with work(data_dir) as (_, session):
        row = _order(orders.resolve_dispute(session=session, actor=resolve_actor(session, as_user),
                                            order_id=order_id, upheld=upheld, reason=reason))
    emit(row, json_out, _order_line)


@account_app.command("deposit")
def account_deposit(amount: int = typer.Argument(..., help="Fen"), key: str = typer.Option(..., "--key"),
                    as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption) -> None:
    """Money received through the payment gateway (the simulated bank) for the user's party."""
    from yaosu.market import orders
    from yaosu.settlement.gateway import gateway

    with work(data_dir) as (runtime, session):
        left = orders.deposit(session=session, actor=resolve_actor(session, as_user), amount=amount, key=key,
                              gateway=gateway(runtime.settings.payment_gateway))
    typer.echo(f"可用余额 / available: {left} fen")


@account_app.command("withdraw")
def account_withdraw(amount: int = typer.Argument(..., help="Fen"), key: str = typer.Option(..., "--key"),
                     as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption) -> None:
    """Pay money out of the user's party's available balance."""
    from yaosu.market import orders
    from yaosu.settlement.gateway import gateway

    with work(data_dir) as (runtime, session):
        left = orders.withdraw(session=session, actor=resolve_actor(session, as_user), amount=amount, key=key,
                              gateway=gateway(runtime.settings.payment_gateway))
    typer.echo(f"可用余额 / available: {left} fen")


_BATCH_FILE_MAX = 512 * 1024 * 1024  # bytes of JSON lines


def _batch_items(lines: Any, path: Path) -> Any:
    """Yield a BatchItem per JSON line {"buyer", "usage", "key"}; a bad line exits 2 naming it."""
    from yaosu.market.batch import BatchItem

    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            ok = (isinstance(row, dict) and isinstance(row.get("buyer"), str) and isinstance(row.get("key"), str)
                  and isinstance(row.get("usage"), dict) and len(line) <= 4096)
        except ValueError:
            ok = False
        if not ok:
            typer.secho(f"error invalid [{path}:{n}]: 每行一个 JSON 对象 / one JSON object a line: "
                        '{"buyer": PARTY_ID, "usage": {...}, "key": CLIENT_KEY}', fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        yield BatchItem(row["buyer"], row["usage"], row["key"])


@order_app.command("settle-batch")
def order_settle_batch(product_id: str,
                       items: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON lines of orders"),
                       chunk: int = typer.Option(1000, "--chunk", min=1, max=1000, help="Orders per transaction"),
                       as_user: str | None = AsOption, data_dir: Path | None = DataDirOption) -> None:
    """The settlement job: orders of delivered usage placed, escrowed, split and paid out, one transaction per
    chunk; run it again after a crash and it finishes what is left, repeating nothing."""
    from itertools import islice

    from yaosu.cli.context import make_runtime
    from yaosu.db.engine import unit_of_work
    from yaosu.errors import YaosuError
    from yaosu.market import batch

    if items.stat().st_size > _BATCH_FILE_MAX:
        raise typer.BadParameter("the file is larger than 512 MB", param_hint="ITEMS")
    with items.open(encoding="utf-8") as lines:  # the whole file is checked before anything is written
        for _ in _batch_items(lines, items):
            pass
    runtime = make_runtime(data_dir)
    placed = replayed = total = 0
    try:
        with items.open(encoding="utf-8") as lines:
            rows = _batch_items(lines, items)
            while part := list(islice(rows, chunk)):
                with unit_of_work(runtime.sessions) as session:
                    done = batch.settle_batch(session=session, actor=resolve_actor(session, as_user),
                                              product_id=product_id, items=part)
                placed, replayed, total = placed + len(done.placed), replayed + len(done.replayed), total + done.total
                typer.echo(f"已结算 / settled {placed}  重放 / replayed {replayed}", err=True)
    except YaosuError as exc:
        typer.secho(f"error {exc.code}: {exc.message} (已提交 / committed {placed})", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.dispose()
    typer.echo(f"订单 / orders settled now {placed}, before {replayed}; 金额 / amount {total} fen")
