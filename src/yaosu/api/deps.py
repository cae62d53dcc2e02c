"""Request dependencies: the runtime, one unit of work per request, and the acting party."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.models import User
from yaosu.auth.service import actor_for_user, authenticate_token
from yaosu.db.engine import unit_of_work
from yaosu.errors import Unauthenticated
from yaosu.runtime import Runtime

SESSION_USER_KEY = "uid"


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_session(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Iterator[Session]:
    """One transaction per request: committed when the view returns, rolled back on any error."""
    with unit_of_work(runtime.sessions) as session:
        yield session


def optional_actor(request: Request, session: Annotated[Session, Depends(get_session)]) -> Actor | None:
    """The actor from a bearer token or the web session cookie, or None when anonymous."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        return authenticate_token(session, token.strip())
    user_id = request.session.get(SESSION_USER_KEY) if "session" in request.scope else None
    if user_id:
        user = session.get(User, user_id)
        if user is not None:
            return actor_for_user(session, user)
    return None


def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    """The authenticated actor; anonymous requests get 401."""
    if actor is None:
        raise Unauthenticated("authentication required: send a bearer token or log in")
    return actor


def visitor_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    """The authenticated actor, or the anonymous visitor (only public actions will accept it)."""
    return actor if actor is not None else Actor.anonymous()


SessionDep = Annotated[Session, Depends(get_session)]
ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
VisitorDep = Annotated[Actor, Depends(visitor_actor)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
