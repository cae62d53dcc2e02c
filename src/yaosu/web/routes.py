"""The portal's pages: home, catalog, resource detail, chain of title, login, registration form, /me."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from sqlalchemy.orm import Session

from yaosu.api.deps import SESSION_USER_KEY
from yaosu.auth.actor import Actor
from yaosu.auth.policies import authorize
from yaosu.auth.service import authenticate_password, get_party
from yaosu.catalog.schemas import CatalogQuery
from yaosu.catalog.service import search_catalog
from yaosu.errors import Forbidden, NotFound, Unauthenticated, YaosuError
from yaosu.node.service import list_datasets
from yaosu.quality.service import assessment_trend, latest_assessment, signed_indicators
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.schemas import RegistrationCreate
from yaosu.registration.service import list_certificates, list_registrations, submit_registration
from yaosu.resources.enums import DOMAINS, Classification, Grade, OpenCondition
from yaosu.resources.scan_service import latest_scan
from yaosu.resources.service import create_resource, get_resource, list_own_resources
from yaosu.rights.service import chain_of_title, list_rights
from yaosu.web import auctions as auction_pages
from yaosu.web import datasets as dataset_pages
from yaosu.web import ledger as ledger_pages
from yaosu.web import market as market_pages
from yaosu.web import negotiations as negotiation_pages
from yaosu.web import operator, tracing
from yaosu.web import sandbox as sandbox_pages
from yaosu.web.forms import (
    DEFAULTS,
    RESOURCE_FIELDS,
    form_values,
    parse_resource,
    service_errors,
    validation_errors,
)
from yaosu.web.rendering import (
    LANG_KEY,
    STATIC_DIR,
    WebRoute,
    current_lang,
    redirect,
    render,
    translator,
    work,
)
from yaosu.web.security import FormDep, require_login, safe_next

router = APIRouter(route_class=WebRoute)
HOME_LATEST = 8


def static_files() -> StaticFiles:
    """The portal's CSS and script, served at /static."""
    return StaticFiles(directory=STATIC_DIR)


def party_names(session: Session, actor: Actor, party_ids: set[str]) -> dict[str, str]:
    """Display names of parties (for tables that list holders)."""
    return {pid: get_party(session=session, actor=actor, party_id=pid).name for pid in party_ids}


@router.get("/")
def home(request: Request) -> Response:
    """Search box, counts by classification and the latest resources."""
    with work(request) as (session, actor):
        latest = search_catalog(session=session, actor=actor, query=CatalogQuery(page_size=HOME_LATEST))
        counts = {c.value: search_catalog(session=session, actor=actor,
                                          query=CatalogQuery(classification=c.value, page_size=1)).total
                  for c in Classification}
        return render(request, "home.html", {"latest": latest, "counts": counts})


@router.get("/catalog")
def catalog(request: Request, q: str = "", domain: str = "", classification: str = "", grade: str = "",
            open_condition: str = "", page: int = 1) -> Response:
    """Search results with filters and paging."""
    filters = {"domain": domain, "classification": classification, "grade": grade,
               "open_condition": open_condition}
    query = CatalogQuery(q=q.strip(), page=page, **{k: v or None for k, v in filters.items()})
    with work(request) as (session, actor):
        result = search_catalog(session=session, actor=actor, query=query)
        pages = max(1, -(-result.total // result.page_size))
        return render(request, "catalog.html", {
            "result": result, "q": query.q, "filters": filters, "pages": pages,
            "choices": {"domain": list(DOMAINS), "classification": list(Classification),
                        "grade": list(Grade), "open_condition": list(OpenCondition)}})


@router.get("/resources/new")
def new_resource(request: Request) -> Response:
    """The provider's registration form."""
    with work(request) as (_, actor):
        authorize(require_login(actor), "resource.create")
        return render(request, "resource_form.html",
                      {"fields": RESOURCE_FIELDS, "values": DEFAULTS, "errors": {}})


@router.post("/resources/new")
def submit_resource(request: Request, form: FormDep) -> Response:
    """Create the resource and submit its initial registration in one unit of work."""
    values = form_values(form)
    t = translator(request)
    try:
        with work(request) as (session, actor):
            require_login(actor)
            resource = create_resource(session=session, actor=actor, data=parse_resource(values))
            submit_registration(session=session, actor=actor, data=RegistrationCreate(
                kind=RegistrationKind.INITIAL, resource_id=resource.id))
    except ValidationError as exc:
        errors = validation_errors(exc, t)
    except (Forbidden, NotFound, Unauthenticated):
        raise
    except YaosuError as exc:
        errors = service_errors(exc, t)
    else:
        return redirect(f"/resources/{resource.id}")
    return render(request, "resource_form.html",
                  {"fields": RESOURCE_FIELDS, "values": values, "errors": errors}, status_code=422)


@router.get("/resources/{resource_id}")
def resource_detail(request: Request, resource_id: str) -> Response:
    """Metadata, versions, rights, registrations and certificates of one resource."""
    with work(request) as (session, actor):
        resource = get_resource(session=session, actor=actor, resource_id=resource_id)
        rights = list_rights(session=session, actor=actor, subject_id=resource.id, include_ended=True)
        registrations = list_registrations(session=session, actor=actor, resource_id=resource.id)
        certificates = list_certificates(session=session, actor=actor, resource_id=resource.id)
        quality = latest_assessment(session, resource.id)
        parties = {resource.holder_party_id} | {r.holder_party_id for r in rights}
        names = party_names(session, actor, parties | ({quality.assessor_party_id} if quality else set()))
        return render(request, "resource.html", {
            "resource": resource, "rights": rights, "registrations": registrations,
            "certificates": certificates, "names": names, "scan": latest_scan(session, resource.id),
            "quality": quality, "quality_trend": assessment_trend(session, resource.id),
            "quality_indicators": signed_indicators(quality.document) if quality else []})


@router.get("/rights/{right_id}")
def right_chain(request: Request, right_id: str) -> Response:
    """The chain of title of a right, root first."""
    with work(request) as (session, actor):
        chain = chain_of_title(session=session, actor=actor, right_id=right_id)
        names = party_names(session, actor, {r.holder_party_id for r in chain})
        return render(request, "right_chain.html", {"chain": chain, "names": names})


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The password login form."""
    return render(request, "login.html", {"next": safe_next(next), "failed": False, "username": ""})


@router.post("/login")
def login(request: Request, form: FormDep) -> Response:
    """Check the password; on success the session holds the user id."""
    target, username = safe_next(form.get("next")), form.get("username", "").strip()
    try:
        with work(request) as (session, _):
            actor = authenticate_password(session, username, form.get("password", ""))
    except Unauthenticated:
        return render(request, "login.html", {"next": target, "failed": True, "username": username},
                      status_code=401)
    lang = current_lang(request)
    request.session.clear()
    request.session.update({SESSION_USER_KEY: actor.user_id, LANG_KEY: lang})
    return redirect(target)


@router.post("/logout")
def logout(request: Request, form: FormDep) -> Response:
    """Forget the logged-in user (the language choice stays)."""
    lang = current_lang(request)
    request.session.clear()
    request.session[LANG_KEY] = lang
    return redirect("/")


@router.get("/me")
def me(request: Request) -> Response:
    """The user's party, roles, own resources and vault datasets."""
    with work(request) as (session, actor):
        require_login(actor)
        party = get_party(session=session, actor=actor, party_id=actor.party_id)
        resources = list_own_resources(session=session, actor=actor, limit=200)
        datasets = list_datasets(session=session, actor=actor, limit=50)
        return render(request, "me.html", {"party": party, "resources": resources, "datasets": datasets})


router.include_router(operator.router)
router.include_router(ledger_pages.router)
router.include_router(dataset_pages.router)
router.include_router(market_pages.router)
router.include_router(negotiation_pages.router)
router.include_router(auction_pages.router)
router.include_router(sandbox_pages.router)
router.include_router(tracing.router)
