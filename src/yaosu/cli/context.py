"""What every CLI command shares: the runtime from --data-dir, one unit of work, friendly errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.models import User
from yaosu.auth.service import actor_for_user
from yaosu.config import Settings, get_settings
from yaosu.db.engine import unit_of_work
from yaosu.errors import NotFound, YaosuError
from yaosu.runtime import Runtime, system_actor

T = TypeVar("T")

DataDirOption = typer.Option(None, "--data-dir", envvar="YAOSU_DATA_DIR",
                             help="Data directory (database, keys). Default ./.yaosu")
AsOption = typer.Option(None, "--as", help="Act as this username (default: the local operator)")


def make_runtime(data_dir: Path | None) -> Runtime:
    """The runtime for `data_dir` (or the configured default); a bad YAOSU_* setting exits 2 naming it."""
    try:
        settings = get_settings() if data_dir is None else Settings(data_dir=data_dir)
    except ValidationError as exc:
        for err in exc.errors():
            name = "YAOSU_" + "_".join(str(p) for p in err["loc"][:1]).upper()
            typer.secho(f"配置错误 / configuration error {name}: {err['msg']}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    return Runtime.from_settings(settings)


@contextmanager
def work(data_dir: Path | None) -> Iterator[tuple[Runtime, Session]]:
    """A runtime and one transaction; a YaosuError prints its code and message and exits 2."""
    runtime = make_runtime(data_dir)
    try:
        with unit_of_work(runtime.sessions) as session:
            yield runtime, session
    except YaosuError as exc:
        field = f" [{exc.field}]" if exc.field else ""
        typer.secho(f"error {exc.code}{field}: {exc.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.dispose()


def resolve_actor(session: Session, username: str | None) -> Actor:
    """The actor for `--as USERNAME`, or the local system operator."""
    if not username:
        return system_actor(session)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}", field="--as")
    return actor_for_user(session, user)


def emit(value: Any, as_json: bool, render: Callable[[Any], str] | None = None) -> None:
    """Print JSON (machine) or a readable rendering (people)."""
    if as_json or render is None:
        typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(render(value))
