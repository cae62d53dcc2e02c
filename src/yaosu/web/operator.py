"""The operator's queue: start notice, decide objections, finalize what is due, review listings, rule on disputes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yaosu import clock
from yaosu.auth.service import get_party
from yaosu.market.orders import list_disputed, resolve_dispute
from yaosu.market.service import pending_products, review_product
from yaosu.registration.service import decide_objection, finalize_due, list_queue, start_notice
from yaosu.resources.service import get_resource
from yaosu.web.rendering import WebRoute, flash, redirect, render, runtime_of, work
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)
QUEUE = "/operator/queue"


@router.get(QUEUE)
def queue(request: Request) -> Response:
    """Submitted registrations, registrations in notice, open objections."""
    with work(request) as (session, actor):
        require_login(actor)
        items = list_queue(session=session, actor=actor)
        regs = [*items.submitted, *items.in_notice]
        titles = {r.resource_id: get_resource(session=session, actor=actor, resource_id=r.resource_id).title
                  for r in regs}
        parties = {r.applicant_party_id for r in regs} | {o.party_id for o in items.open_objections}
        names = {pid: get_party(session=session, actor=actor, party_id=pid).name for pid in parties}
        by_id = {r.id: r for r in regs}
        products = pending_products(session=session, actor=actor)
        names.update({p.lister_party_id: get_party(session=session, actor=actor, party_id=p.lister_party_id).name
                      for p in products})
        disputes = list_disputed(session=session, actor=actor)
        names.update({o.buyer_party_id: get_party(session=session, actor=actor, party_id=o.buyer_party_id).name
                      for o in disputes})
        return render(request, "queue.html", {"queue": items, "titles": titles, "names": names, "regs": by_id,
                                              "products": products, "disputes": disputes})


@router.post("/operator/registrations/{registration_id}/notice")
def begin_notice(request: Request, registration_id: str, form: FormDep) -> Response:
    """Accept a submitted registration and start its public notice."""
    with work(request) as (session, actor):
        reg = start_notice(session=session, actor=require_login(actor), registration_id=registration_id)
    flash(request, "queue.flash.notice_started", ends=clock.display(reg.notice_ends_at))
    return redirect(QUEUE)


@router.post("/operator/objections/{objection_id}/decide")
def decide(request: Request, objection_id: str, form: FormDep) -> Response:
    """Uphold or dismiss an objection with a note."""
    uphold = form.get("decision") == "uphold"
    with work(request) as (session, actor):
        decide_objection(session=session, actor=require_login(actor), objection_id=objection_id,
                         uphold=uphold, note=form.get("note", "").strip())
    flash(request, "queue.flash.upheld" if uphold else "queue.flash.dismissed")
    return redirect(QUEUE)


@router.post("/operator/products/{product_id}/review")
def review(request: Request, product_id: str, form: FormDep) -> Response:
    """List or reject a product that passed the automatic listing rules, with a reason."""
    approve = form.get("decision") == "approve"
    with work(request) as (session, actor):
        review_product(session=session, actor=require_login(actor), product_id=product_id, approve=approve,
                       reason=form.get("reason", "").strip())
    flash(request, "queue.flash.listed" if approve else "queue.flash.listing_rejected")
    return redirect(QUEUE)


@router.post("/operator/orders/{order_id}/ruling")
def rule(request: Request, order_id: str, form: FormDep) -> Response:
    """Rule on a disputed order: uphold (the buyer is refunded) or dismiss (the sale is paid out), with a reason."""
    upheld = form.get("decision") == "uphold"
    with work(request) as (session, actor):
        resolve_dispute(session=session, actor=require_login(actor), order_id=order_id, upheld=upheld,
                        reason=form.get("reason", "").strip())
    flash(request, "queue.flash.dispute_upheld" if upheld else "queue.flash.dispute_dismissed")
    return redirect(QUEUE)


@router.post("/operator/finalize")
def finalize(request: Request, form: FormDep) -> Response:
    """Certify or reject every registration whose notice has ended."""
    with work(request) as (session, actor):
        report = finalize_due(session=session, actor=require_login(actor), keys=runtime_of(request).keys)
    flash(request, "queue.flash.finalized", certified=len(report.certified), rejected=len(report.rejected),
          waiting=len(report.waiting))
    return redirect(QUEUE)
