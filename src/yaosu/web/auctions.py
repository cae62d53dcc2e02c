"""The portal's auction pages: the lister opens an auction from its product's page; buyers see open
auctions, bid (the amount is held in escrow) and anyone closes one after its deadline."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from yaosu import clock
from yaosu.errors import Invalid
from yaosu.market import auctions
from yaosu.market.trading_schemas import AuctionCreate
from yaosu.web.market import fen_of_yuan
from yaosu.web.rendering import WebRoute, flash, redirect, render, work
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)
KINDS = ("first_price", "second_price", "ascending")


def _deadline(text: str) -> datetime:
    """A deadline typed in a datetime-local input, read as Asia/Shanghai time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("a date and time, e.g. 2026-12-01T18:00", field="deadline") from None
    return value if value.tzinfo else value.replace(tzinfo=clock.SHANGHAI)


@router.post("/products/{product_id}/auction")
def open_auction(request: Request, product_id: str, form: FormDep) -> Response:
    """The lister opens an auction of its listed product."""
    try:
        data = AuctionCreate(product_id=product_id, kind=form.get("kind", ""),  # type: ignore[arg-type]
                             reserve=fen_of_yuan(form.get("reserve", ""), field="reserve"),
                             increment=fen_of_yuan(form.get("increment", "") or "0.01", field="increment"),
                             deadline=_deadline(form.get("deadline", "")))
    except ValidationError:
        raise Invalid("choose the auction kind", field="kind") from None
    with work(request) as (session, actor):
        auctions.open_auction(session=session, actor=require_login(actor), data=data)
    flash(request, "auction.flash.opened")
    return redirect("/auctions")


@router.get("/auctions")
def auction_list(request: Request) -> Response:
    """Open auctions (and the latest closed ones) with the actor's own bids."""
    with work(request) as (session, actor):
        rows = auctions.list_auctions(session=session, actor=require_login(actor))
        bids = {a.id: auctions.list_bids(session=session, actor=actor, auction_id=a.id) for a, _ in rows}
        return render(request, "auctions.html", {"rows": rows, "bids": bids, "now": clock.now()})


@router.post("/auctions/{auction_id}/bid")
def bid(request: Request, auction_id: str, form: FormDep) -> Response:
    """Bid; the amount moves into escrow until the bid loses, is outbid or wins."""
    with work(request) as (session, actor):
        auctions.place_bid(session=session, actor=require_login(actor), auction_id=auction_id,
                           amount=fen_of_yuan(form.get("amount", "")), purpose=form.get("purpose", ""))
    flash(request, "auction.flash.bid")
    return redirect("/auctions")


@router.post("/auctions/{auction_id}/close")
def close(request: Request, auction_id: str, form: FormDep) -> Response:
    """Close an auction after its deadline: holds released, the winner's order opened."""
    with work(request) as (session, actor):
        auctions.close_auction(session=session, actor=require_login(actor), auction_id=auction_id)
    flash(request, "auction.flash.closed")
    return redirect("/auctions")
