"""Web session security: the logged-in actor, CSRF tokens, safe redirects."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from yaosu.api.deps import SESSION_USER_KEY
from yaosu.auth.actor import Actor
from yaosu.auth.models import User
from yaosu.auth.service import actor_for_user
from yaosu.errors import Unauthenticated

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """The page needs a logged-in user; the portal answers with a redirect to /login."""


class CsrfRefused(Exception):
    """A POST form came without the session's CSRF token."""


def session_actor(request: Request, session: Session) -> Actor:
    """The actor of the logged-in user, or the anonymous actor (a disabled account is logged out)."""
    user_id = request.session.get(SESSION_USER_KEY)
    user = session.get(User, user_id) if isinstance(user_id, str) else None
    if user is None:
        return Actor.anonymous()
    try:
        return actor_for_user(session, user)
    except Unauthenticated:
        request.session.pop(SESSION_USER_KEY, None)
        return Actor.anonymous()


def require_login(actor: Actor) -> Actor:
    """The actor itself, or LoginRequired for a visitor."""
    if actor.is_anonymous:
        raise LoginRequired()
    return actor


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Raise CsrfRefused unless `submitted` equals the session's token."""
    expected = request.session.get(CSRF_KEY)
    if not isinstance(expected, str) or not expected or not submitted:
        raise CsrfRefused()
    if not hmac.compare_digest(submitted.encode(), expected.encode()):
        raise CsrfRefused()


async def csrf_form(request: Request) -> dict[str, str]:
    """The POSTed form fields, after checking the CSRF token (raises CsrfRefused)."""
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    check_csrf(request, fields.get(CSRF_FIELD))
    return fields


FormDep = Annotated[dict[str, str], Depends(csrf_form)]


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 32 or c == "\\" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def login_url(request: Request) -> str:
    """/login with `next` pointing back at the requested page."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(here, safe="")
