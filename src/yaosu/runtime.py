"""The process-wide runtime: settings, engine, session factory and keys, built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from yaosu.auth.actor import Actor
from yaosu.auth.service import find_operator
from yaosu.config import Settings
from yaosu.db.engine import make_engine, session_factory
from yaosu.errors import NotFound
from yaosu.keys import ExchangeKeys, load_or_create_keys


@dataclass
class Runtime:
    """Everything an adapter needs to open a unit of work and sign documents."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    keys: ExchangeKeys

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url(), echo=settings.sql_echo)
        return cls(settings=settings, engine=engine, sessions=session_factory(engine),
                   keys=load_or_create_keys(settings.data_dir))

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def dispose(self) -> None:
        self.engine.dispose()


def operator_party_id(session: Session) -> str:
    """The exchange operator's party (the first party with the operator role)."""
    party = find_operator(session)
    if party is None:
        raise NotFound("the exchange has not been set up: run `yaosu db upgrade` or `yaosu serve`")
    return party.id


def system_actor(session: Session) -> Actor:
    """The local administrator acting for the operator (CLI, scheduled jobs)."""
    return Actor.system(operator_party_id(session))
