"""The market's pages: products and ordering, the buyer's orders and account, the provider's products,
sales and statement (zh-CN/en, server-rendered, every form with the session's CSRF token)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from yaosu.canonical import canonical_json
from yaosu.errors import Forbidden, Invalid, NotFound, Unauthenticated, YaosuError
from yaosu.market import browse, contracts, orders, prices
from yaosu.market.pricing import Usage, parse_pricing
from yaosu.market.service import get_product
from yaosu.settlement import statements
from yaosu.settlement.gateway import gateway
from yaosu.web.forms import service_errors
from yaosu.web.rendering import WebRoute, flash, redirect, render, runtime_of, translator, work, yuan
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)
MAX_YUAN = Decimal(100_000_000)
_DAY = timedelta(days=1)


def fen_of_yuan(text: str, field: str = "amount") -> int:
    """Fen from a yuan amount typed in a form ("12.34" → 1234); Invalid if not a positive amount to the fen."""
    try:
        yuan = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise Invalid("an amount in yuan, e.g. 100.00", field=field) from None
    fen = yuan * 100
    if not yuan.is_finite() or fen != fen.to_integral_value() or not 0 < yuan <= MAX_YUAN:
        raise Invalid("an amount in yuan above zero, at most two decimals", field=field)
    return int(fen)


def _usage(form: dict[str, str]) -> dict[str, int]:
    usage: dict[str, int] = {}
    for name in ("calls", "periods"):
        value = form.get(name, "").strip()
        if value:
            if not value.isdigit() or len(value) > 9:
                raise Invalid("a whole number", field=name)
            usage[name] = int(value)
    return usage


@router.get("/products")
def products(request: Request) -> Response:
    """Listed products, newest first."""
    with work(request) as (session, actor):
        rows = browse.listed_products(session=session, actor=actor)
        return render(request, "products.html", {"products": rows, "models": {
            p.id: parse_pricing(p.pricing) for p in rows}})


def _product_page(request: Request, product_id: str, errors: dict[str, str] | None = None,
                  status_code: int = 200) -> Response:
    with work(request) as (session, actor):
        product = get_product(session=session, actor=actor, product_id=product_id)
        history = (prices.price_history(session=session, actor=actor, product_id=product.id)
                   if actor.party_id == product.lister_party_id or actor.oversees else None)
        return render(request, "product.html", {
            "product": product, "model": parse_pricing(product.pricing), "history": history,
            "client_key": secrets.token_urlsafe(16), "errors": errors or {},
            "can_order": not actor.is_anonymous and actor.party_id != product.lister_party_id
            and actor.has(*orders.BUYERS)}, status_code=status_code)


@router.get("/products/{product_id}")
def product_page(request: Request, product_id: str) -> Response:
    """A product: description, pricing, the order form, and for its lister and overseers its price history."""
    return _product_page(request, product_id)


@router.post("/products/{product_id}/order")
def order_product(request: Request, product_id: str, form: FormDep) -> Response:
    """Place the order: the quoted price moves into escrow; a refusal re-shows the page with the reason."""
    try:
        with work(request) as (session, actor):
            order = orders.place_order(session=session, actor=require_login(actor), product_id=product_id,
                                       usage=Usage.model_validate(_usage(form)).model_dump(),
                                       client_key=form.get("client_key", ""), purpose=form.get("purpose", ""))
            price = order.price
    except (Forbidden, NotFound, Unauthenticated):
        raise
    except ValidationError:
        return _product_page(request, product_id, {"__form__": translator(request)("error.bad_request")}, 422)
    except YaosuError as exc:
        return _product_page(request, product_id, service_errors(exc, translator(request)), 422)
    flash(request, "market.flash.ordered", price=yuan(price))
    return redirect("/orders")


def _own_list(request: Request, rows_of: Callable[..., Sequence[object]], template: str) -> Response:
    """A signed-in party's list page: `rows_of(session, actor)` rendered by `template` as `rows`."""
    with work(request) as (session, actor):
        return render(request, template, {"rows": rows_of(session=session, actor=require_login(actor))})


@router.get("/orders")
def my_orders(request: Request) -> Response:
    """The buyer's orders with their status; accept a delivery or cancel an undelivered order."""
    return _own_list(request, browse.own_orders, "orders.html")


def _order_step(request: Request, order_id: str, step: str) -> Response:
    with work(request) as (session, actor):
        act = orders.accept_order if step == "accept" else orders.cancel_order
        act(session=session, actor=require_login(actor), order_id=order_id)
    flash(request, f"market.flash.{step}")
    return redirect("/orders")


@router.post("/orders/{order_id}/accept")
def order_accept(request: Request, order_id: str, form: FormDep) -> Response:
    """The buyer accepts a delivery (paid out by the split)."""
    return _order_step(request, order_id, "accept")


@router.post("/orders/{order_id}/cancel")
def order_cancel(request: Request, order_id: str, form: FormDep) -> Response:
    """The buyer cancels an undelivered order (refunded)."""
    return _order_step(request, order_id, "cancel")


@router.post("/orders/{order_id}/dispute")
def order_dispute(request: Request, order_id: str, form: FormDep) -> Response:
    """The buyer disputes a delivery with a reason; the price stays in escrow until the operator rules."""
    with work(request) as (session, actor):
        orders.dispute_order(session=session, actor=require_login(actor), order_id=order_id,
                             reason=form.get("reason", "").strip())
    flash(request, "market.flash.dispute")
    return redirect("/orders")


@router.get("/orders/{order_id}/contract")
def contract_page(request: Request, order_id: str) -> Response:
    """The order's contract for its two parties: text, hash, who has signed, and the form to add a signature."""
    with work(request) as (session, actor):
        row = contracts.get_contract(session=session, actor=require_login(actor), order_id=order_id)
        order = orders.get_order(session=session, actor=actor, order_id=order_id)
        side = "buyer" if actor.party_id == order.buyer_party_id else "provider"
        return render(request, "contract.html", {"contract": row, "order": order, "side": side,
                                                 "signed": getattr(row, f"{side}_signature") is not None})


@router.get("/orders/{order_id}/contract.json")
def contract_document(request: Request, order_id: str) -> Response:
    """The exact bytes each party signs: the contract document's RFC 8785 canonical JSON."""
    with work(request) as (session, actor):
        row = contracts.get_contract(session=session, actor=require_login(actor), order_id=order_id)
        body = canonical_json(row.document)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="contract-{order_id}.json"'})


@router.post("/orders/{order_id}/contract/sign")
def sign_contract(request: Request, order_id: str, form: FormDep) -> Response:
    """Add the party's signature made offline with its registered key (the private key never comes here)."""
    with work(request) as (session, actor):
        contracts.sign_contract(session=session, actor=require_login(actor), order_id=order_id,
                                key_id=form.get("key_id", "").strip()[:16], signature=form.get("signature", ""))
    flash(request, "market.flash.signed")
    return redirect(f"/orders/{order_id}/contract")


@router.get("/account")
def account(request: Request) -> Response:
    """Available and escrowed money, and the simulated bank's deposit form."""
    with work(request) as (session, actor):
        held = statements.balances(session=session, actor=require_login(actor))
        return render(request, "account.html", {"balances": held, "key": secrets.token_urlsafe(16)})


@router.post("/account/deposit")
def deposit(request: Request, form: FormDep) -> Response:
    """A deposit through the simulated bank (a stand-in for a payment gateway; no real money moves)."""
    with work(request) as (session, actor):
        amount = fen_of_yuan(form.get("amount", ""))
        orders.deposit(session=session, actor=require_login(actor), amount=amount,
                       key="web:" + form.get("key", "")[:64],
                       gateway=gateway(runtime_of(request).settings.payment_gateway))
    flash(request, "market.flash.deposited", amount=yuan(amount))
    return redirect("/account")


@router.get("/provider/products")
def my_products(request: Request) -> Response:
    """The provider's products in every status."""
    return _own_list(request, browse.own_products, "my_products.html")


@router.get("/provider/sales")
def my_sales(request: Request) -> Response:
    """Orders of the provider's products; mark a paid order delivered."""
    return _own_list(request, browse.sales, "sales.html")


@router.post("/provider/sales/{order_id}/deliver")
def deliver(request: Request, order_id: str, form: FormDep) -> Response:
    """The lister records delivery with a note."""
    with work(request) as (session, actor):
        orders.deliver_order(session=session, actor=require_login(actor), order_id=order_id,
                             note=form.get("note", "").strip())
    flash(request, "market.flash.delivered")
    return redirect("/provider/sales")


@router.get("/account/statement")
def statement_page(request: Request, start: str = "", end: str = "") -> Response:
    """The party's statement for a period (this month by default), with a CSV download."""
    with work(request) as (session, actor):
        begin, until = statements.parse_period(start or None, end or None)
        stmt = statements.statement(session=session, actor=require_login(actor), start=begin, end=until)
        shown = {"start": start or begin.date().isoformat(),
                 "end": end or (until.astimezone(begin.tzinfo) - _DAY).date().isoformat()}
        return render(request, "statement.html", {"stmt": stmt, "period": shown})


@router.get("/account/statement.csv")
def statement_csv(request: Request, start: str = "", end: str = "") -> Response:
    """The same statement as a CSV file."""
    with work(request) as (session, actor):
        begin, until = statements.parse_period(start or None, end or None)
        stmt = statements.statement(session=session, actor=require_login(actor), start=begin, end=until)
    return Response(statements.to_csv(stmt), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="statement.csv"'})

