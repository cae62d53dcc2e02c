"""First start: migrate, create the exchange operator and its admin login, keep the password in a 0600 file."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from yaosu.auth.models import User
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate
from yaosu.auth.service import find_operator, insert_party, set_password
from yaosu.db.engine import unit_of_work
from yaosu.db.migrate import upgrade
from yaosu.identifiers import uscc_check_char
from yaosu.runtime import Runtime

ADMIN_USERNAME = "admin"
# A syntactically valid code for the operator of a local installation (GB 32100 check computed).
OPERATOR_USCC_BODY = "91110000YAOSU0001"


@dataclass(frozen=True)
class BootstrapResult:
    created: bool
    operator_party_id: str
    admin_password_file: Path | None


def operator_uscc() -> str:
    """The local operator's unified social credit code with its check character."""
    body = OPERATOR_USCC_BODY.replace("O", "0").replace("S", "5")
    return body + uscc_check_char(body)


def _write_password(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")


def ensure_operator(session: Session, runtime: Runtime) -> BootstrapResult:
    """Create the operator party and the `admin` login if no operator exists yet."""
    existing = find_operator(session)
    if existing is not None:
        return BootstrapResult(created=False, operator_party_id=existing.id, admin_password_file=None)
    party = insert_party(session, None, PartyCreate(kind=PartyKind.ORGANIZATION, name=runtime.settings.exchange_name,
                                                    uscc=operator_uscc(), roles=[Role.OPERATOR]))
    password = secrets.token_urlsafe(18)
    user = User(party_id=party.id, username=ADMIN_USERNAME, display_name="交易所管理员")
    set_password(session, user, password)
    session.add(user)
    session.flush()
    path = runtime.data_dir / "keys" / "admin-password"
    _write_password(path, password)
    return BootstrapResult(created=True, operator_party_id=party.id, admin_password_file=path)


def setup(runtime: Runtime) -> BootstrapResult:
    """Migrate the database to head and make sure the operator exists."""
    upgrade(runtime.settings.resolved_database_url())
    with unit_of_work(runtime.sessions) as session:
        return ensure_operator(session, runtime)
