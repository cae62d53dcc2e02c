"""The portal's negotiation pages: a buyer requests one from a negotiated product's page; both parties see
their negotiations and send the messages the protocol allows them in each state."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yaosu.errors import NotFound
from yaosu.market import negotiations
from yaosu.market.negotiation import State, allowed
from yaosu.market.trading_schemas import NegotiationMessage, NegotiationRequest
from yaosu.web.market import fen_of_yuan
from yaosu.web.rendering import WebRoute, flash, redirect, render, work
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)
PRICED = ("request", "offer")


def _price(form: dict[str, str], required: bool) -> int | None:
    text = form.get("price", "").strip()
    if not text and not required:
        return None
    return fen_of_yuan(text, field="price")


@router.post("/products/{product_id}/negotiate")
def request_negotiation(request: Request, product_id: str, form: FormDep) -> Response:
    """Open a negotiation on a product priced `negotiated`, with an optional proposed price and the purpose."""
    with work(request) as (session, actor):
        negotiations.request_negotiation(session=session, actor=require_login(actor), data=NegotiationRequest(
            product_id=product_id, price=_price(form, required=False), purpose=form.get("purpose", "").strip()))
    flash(request, "negotiation.flash.requested")
    return redirect("/negotiations")


@router.get("/negotiations")
def my_negotiations(request: Request) -> Response:
    """The party's negotiations, each with the messages it may send now."""
    with work(request) as (session, actor):
        rows = negotiations.list_negotiations(session=session, actor=require_login(actor))
        moves = {n.id: allowed(State(n.state), "consumer" if n.consumer_party_id == actor.party_id else "provider")
                 for n in rows}
        return render(request, "negotiations.html", {"rows": rows, "moves": moves, "priced": PRICED})


@router.post("/negotiations/{negotiation_id}/{message}")
def send(request: Request, negotiation_id: str, message: str, form: FormDep) -> Response:
    """Send one message; the kernel refuses a wrong party or state with 409 `invalid_transition`."""
    if message not in ("request", "offer", "accept", "agree", "verify", "finalize", "terminate"):
        raise NotFound("no such message", field="message")
    with work(request) as (session, actor):
        data = NegotiationMessage.model_validate({"message": message,
                                                  "price": _price(form, required=message in PRICED)})
        negotiations.send_message(session=session, actor=require_login(actor), negotiation_id=negotiation_id,
                                  data=data)
    flash(request, "negotiation.flash.sent")
    return redirect("/negotiations")
