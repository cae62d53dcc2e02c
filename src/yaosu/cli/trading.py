"""`yaosu negotiation`, `yaosu auction`, `yaosu product prices`, `yaosu account statement` (issue 7)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from yaosu.cli.context import AsOption, DataDirOption, emit, resolve_actor, work

negotiation_app = typer.Typer(help="议价 Negotiations (Dataspace Protocol states) on products priced `negotiated`.",
                              no_args_is_help=True)
auction_app = typer.Typer(help="竞价 Auctions: open, bid (held in escrow), close after the deadline.",
                          no_args_is_help=True)
JsonOption = typer.Option(False, "--json", help="Print JSON")
MESSAGES = ("request", "offer", "accept", "agree", "verify", "finalize", "terminate")


def _negotiation(row: Any) -> dict[str, Any]:
    from yaosu.market.trading_schemas import NegotiationRead

    return NegotiationRead.model_validate(row).model_dump(mode="json")


def _auction(row: Any) -> dict[str, Any]:
    from yaosu.market.trading_schemas import AuctionRead

    return AuctionRead.model_validate(row).model_dump(mode="json")


def _neg_line(r: dict[str, Any]) -> str:
    order = f"  order {r['order_id']}" if r["order_id"] else ""
    return f"negotiation {r['id']}  {r['state']}  price {r['price'] if r['price'] is not None else '-'} fen{order}"


def _auction_line(r: dict[str, Any]) -> str:
    won = f"  winner {r['winner_party_id']} at {r['price']} fen  order {r['order_id']}" if r["winner_party_id"] else ""
    return f"auction {r['id']}  {r['kind']}  {r['status']}  deadline {r['deadline']}{won}"


@negotiation_app.command("request")
def negotiation_request(product_id: str, price: int | None = typer.Option(None, "--price", help="Proposed fen"),
                        purpose: str = typer.Option(..., "--purpose", help="使用目的 Purpose of use"),
                        as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                        json_out: bool = JsonOption) -> None:
    """A buyer requests a negotiation on a listed product priced `negotiated`."""
    from yaosu.market import negotiations
    from yaosu.market.trading_schemas import NegotiationRequest

    with work(data_dir) as (_, session):
        row = _negotiation(negotiations.request_negotiation(
            session=session, actor=resolve_actor(session, as_user),
            data=NegotiationRequest(product_id=product_id, price=price, purpose=purpose)))
    emit(row, json_out, _neg_line)


@negotiation_app.command("send")
def negotiation_send(negotiation_id: str, message: str = typer.Argument(..., help="|".join(MESSAGES)),
                     price: int | None = typer.Option(None, "--price", help="Fen (request and offer)"),
                     as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                     json_out: bool = JsonOption) -> None:
    """Send one message; the wrong party or state is refused (invalid_transition); finalize opens the order."""
    from yaosu.market import negotiations
    from yaosu.market.trading_schemas import NegotiationMessage

    if message not in MESSAGES:
        raise typer.BadParameter(f"one of {', '.join(MESSAGES)}", param_hint="MESSAGE")
    with work(data_dir) as (_, session):
        row = _negotiation(negotiations.send_message(
            session=session, actor=resolve_actor(session, as_user), negotiation_id=negotiation_id,
            data=NegotiationMessage.model_validate({"message": message, "price": price})))
    emit(row, json_out, _neg_line)


@negotiation_app.command("show")
def negotiation_show(negotiation_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
                     json_out: bool = JsonOption) -> None:
    """A negotiation's state and price."""
    from yaosu.market import negotiations

    with work(data_dir) as (_, session):
        row = _negotiation(negotiations.get_negotiation(session=session, actor=resolve_actor(session, as_user),
                                                        negotiation_id=negotiation_id))
    emit(row, json_out, _neg_line)


@auction_app.command("open")
def auction_open(product_id: str, kind: str = typer.Option(..., "--kind", help="first_price|second_price|ascending"),
                 deadline: datetime = typer.Option(..., "--deadline", help="ISO time with zone"),
                 reserve: int = typer.Option(0, "--reserve"), increment: int = typer.Option(1, "--increment"),
                 as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption,
                 json_out: bool = JsonOption) -> None:
    """The lister auctions its listed product."""
    from yaosu.market import auctions
    from yaosu.market.trading_schemas import AuctionCreate

    data = AuctionCreate.model_validate({"product_id": product_id, "kind": kind, "reserve": reserve,
                                         "increment": increment, "deadline": deadline})
    with work(data_dir) as (_, session):
        row = _auction(auctions.open_auction(session=session, actor=resolve_actor(session, as_user), data=data))
    emit(row, json_out, _auction_line)


@auction_app.command("bid")
def auction_bid(auction_id: str, amount: int = typer.Argument(..., help="Fen"),
                purpose: str = typer.Option(..., "--purpose", help="使用目的 Purpose of use (into the contract)"),
                as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption) -> None:
    """Bid; the amount is held in escrow until the bid loses, is outbid or wins."""
    from yaosu.market import auctions

    with work(data_dir) as (_, session):
        bid = auctions.place_bid(session=session, actor=resolve_actor(session, as_user), auction_id=auction_id,
                                 amount=amount, purpose=purpose)
        typer.echo(f"bid {bid.id}  {bid.amount} fen  已冻结 / held")


@auction_app.command("close")
def auction_close(auction_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
                  json_out: bool = JsonOption) -> None:
    """Close an auction after its deadline (anyone): winner and price by the auction kernel."""
    from yaosu.market import auctions

    with work(data_dir) as (_, session):
        row = _auction(auctions.close_auction(session=session, actor=resolve_actor(session, as_user),
                                              auction_id=auction_id))
    emit(row, json_out, _auction_line)


def product_prices(product_id: str, as_user: str | None = AsOption, data_dir: Path | None = DataDirOption,
                   json_out: bool = JsonOption) -> None:
    """A product's price history: list, negotiated, auction and order prices (lister, operator, regulator)."""
    from yaosu.market import prices
    from yaosu.market.trading_schemas import PricePointRead

    with work(data_dir) as (_, session):
        rows = [PricePointRead.model_validate(p).model_dump(mode="json")
                for p in prices.price_history(session=session, actor=resolve_actor(session, as_user),
                                              product_id=product_id)]
    emit(rows, json_out, lambda rs: "\n".join(f"{r['at']}  {r['source']:<10} {r['price']:>12} fen  {r['reference']}"
                                              for r in rs))


def account_statement(start: str | None = typer.Option(None, "--from", help="ISO date (Asia/Shanghai) or time"),
                      end: str | None = typer.Option(None, "--to", help="ISO date, inclusive, or time"),
                      csv_out: Path | None = typer.Option(None, "--csv", help="Write CSV to this file"),
                      as_user: str = typer.Option(..., "--as"), data_dir: Path | None = DataDirOption) -> None:
    """对账单 The user's party's statement for a period (this month by default)."""
    from yaosu.settlement import statements

    with work(data_dir) as (_, session):
        begin, until = statements.parse_period(start, end)
        stmt = statements.statement(session=session, actor=resolve_actor(session, as_user), start=begin,
                                    end=until)
    if csv_out is not None:
        csv_out.write_text(statements.to_csv(stmt), encoding="utf-8")
    for acc in stmt.accounts:
        typer.echo(f"[{acc.kind}] 期初 opening {acc.opening} fen")
        for line in acc.lines:
            typer.echo(f"  {line.at.isoformat()}  {line.kind:<8} {line.amount:>12} → {line.balance:>12}  "
                       f"{line.reference}  {line.counter}")
        typer.echo(f"[{acc.kind}] 期末 closing {acc.closing} fen")
