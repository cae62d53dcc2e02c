"""Templates, the page context, and the route class that turns errors into friendly pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.db.engine import unit_of_work
from yaosu.errors import Forbidden, YaosuError
from yaosu.runtime import Runtime
from yaosu.web.i18n import DEFAULT_LANG, LANGS, Translator
from yaosu.web.security import CsrfRefused, LoginRequired, csrf_token, login_url, session_actor

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["when"] = clock.display


def yuan(fen: object) -> str:
    """Fen shown as yuan with two decimals, exactly (integer arithmetic): -123456 → "-¥1,234.56"."""
    if not isinstance(fen, int):
        return ""
    sign, whole = ("-" if fen < 0 else ""), abs(fen)
    return f"{sign}¥{whole // 100:,}.{whole % 100:02d}"


TEMPLATES.env.filters["yuan"] = yuan
STATIC_DIR = Path(__file__).parent / "static"
LANG_KEY = "lang"
FLASH_KEY = "flash"

# The portal runs in closed networks: nothing but this origin, no inline script.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                "base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def current_lang(request: Request) -> str:
    """The language chosen in this session, zh-CN by default."""
    lang = request.session.get(LANG_KEY)
    return lang if lang in LANGS else DEFAULT_LANG


def translator(request: Request) -> Translator:
    """The translator for this request's language."""
    return Translator(current_lang(request))


def runtime_of(request: Request) -> Runtime:
    """The process runtime the app was built with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


@contextmanager
def work(request: Request) -> Iterator[tuple[Session, Actor]]:
    """The request's one unit of work and the acting user (anonymous for visitors)."""
    with unit_of_work(runtime_of(request).sessions) as session:
        actor = session_actor(request, session)
        request.state.actor = actor
        yield session, actor


def flash(request: Request, key: str, **params: Any) -> None:
    """Leave a message for the next page this session renders."""
    request.session[FLASH_KEY] = {"key": key, "params": {k: str(v) for k, v in params.items()}}


def _lang_switch(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_KEY]
    return request.url.path + "?" + urlencode([*params, (LANG_KEY, lang)])


def _page_context(request: Request) -> dict[str, Any]:
    tr = translator(request)
    actor: Actor = getattr(request.state, "actor", None) or Actor.anonymous()
    note = request.session.pop(FLASH_KEY, None)
    other = "en" if tr.lang == "zh-CN" else "zh-CN"
    return {"t": tr, "label": tr.label, "lang": tr.lang, "actor": actor, "csrf_token": csrf_token(request),
            "flash": tr(note["key"], **note["params"]) if isinstance(note, dict) else None,
            "other_lang": other, "lang_switch_url": _lang_switch(request, other), "path": request.url.path,
            "exchange_name": runtime_of(request).settings.exchange_name,
            "is_provider": actor.has(Role.PROVIDER, Role.MERCHANT, Role.TRUSTEE),
            "oversees": actor.oversees}


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    """Render template `name` with the shared page context (language, actor, CSRF token, flash)."""
    merged = {**_page_context(request), **(context or {})}
    return TEMPLATES.TemplateResponse(request, name, merged, status_code=status_code,
                                      headers=SECURITY_HEADERS)


def redirect(url: str) -> RedirectResponse:
    """A 303 See Other to a path on this site (after a POST, or to log in)."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status_code: int, message: str | None = None) -> HTMLResponse:
    """The friendly error page: a title by status, the message if there is one, never a traceback."""
    return render(request, "error.html", {"status": status_code, "message": message}, status_code=status_code)


def _service_error(request: Request, exc: YaosuError) -> Response:
    actor: Actor | None = getattr(request.state, "actor", None)
    if isinstance(exc, Forbidden) and (actor is None or actor.is_anonymous):
        return redirect(login_url(request))
    t, key = translator(request), f"service_error.{exc.code}"
    message = t(key) if t.has(key) else exc.message  # a refusal with a known code reads in the page's language
    return error_page(request, exc.http_status if exc.http_status in (403, 404, 409) else 422, message)


class WebRoute(APIRoute):
    """Sets the language from `?lang=`, and renders service errors as pages instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            if request.query_params.get(LANG_KEY) in LANGS:
                request.session[LANG_KEY] = request.query_params[LANG_KEY]
            try:
                return await handler(request)
            except LoginRequired:
                return redirect(login_url(request))
            except CsrfRefused:
                return error_page(request, 403, translator(request)("error.csrf"))
            except YaosuError as exc:
                return _service_error(request, exc)
            except (RequestValidationError, ValidationError):
                return error_page(request, 422, translator(request)("error.bad_request"))

        return guarded
