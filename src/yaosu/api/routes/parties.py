"""Parties, users and tokens."""

from __future__ import annotations

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, SessionDep
from yaosu.auth import party_keys, service
from yaosu.auth.roles import Role
from yaosu.auth.schemas import (
    KeyCreate,
    KeyRead,
    PartyCreate,
    PartyRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
)

router = APIRouter(tags=["parties"])


@router.post("/parties", status_code=201)
def create_party(data: PartyCreate, session: SessionDep, actor: ActorDep) -> PartyRead:
    """Admit a party (operator)."""
    return PartyRead.model_validate(service.create_party(session=session, actor=actor, data=data))


@router.get("/parties")
def list_parties(session: SessionDep, actor: ActorDep, role: Role | None = None,
                 limit: int = 100, offset: int = 0) -> list[PartyRead]:
    """The directory of parties."""
    rows = service.list_parties(session=session, actor=actor, role=role, limit=limit, offset=offset)
    return [PartyRead.model_validate(p) for p in rows]


@router.get("/parties/{party_id}")
def get_party(party_id: str, session: SessionDep, actor: ActorDep) -> PartyRead:
    """A party's public profile."""
    return PartyRead.model_validate(service.get_party(session=session, actor=actor, party_id=party_id))


@router.get("/me")
def whoami(session: SessionDep, actor: ActorDep) -> dict[str, object]:
    """The acting user and party."""
    party = service.get_party(session=session, actor=actor, party_id=actor.party_id)
    return {"user_id": actor.user_id, "name": actor.name, "party": PartyRead.model_validate(party).model_dump()}


@router.post("/users", status_code=201)
def create_user(data: UserCreate, session: SessionDep, actor: ActorDep) -> UserRead:
    """Add a login for a party (operator)."""
    return UserRead.model_validate(service.create_user(session=session, actor=actor, data=data))


@router.get("/parties/{party_id}/users")
def list_users(party_id: str, session: SessionDep, actor: ActorDep) -> list[UserRead]:
    """Users of a party (own party, or any for operator/regulator)."""
    return [UserRead.model_validate(u) for u in service.list_users(session=session, actor=actor, party_id=party_id)]


@router.post("/tokens", status_code=201)
def create_token(data: TokenCreate, session: SessionDep, actor: ActorDep) -> TokenCreated:
    """A new API token for the acting user, shown once."""
    row, token = service.create_token(session=session, actor=actor, data=data)
    return TokenCreated(token=token, **TokenRead.model_validate(row).model_dump())


@router.get("/tokens")
def list_tokens(session: SessionDep, actor: ActorDep) -> list[TokenRead]:
    """The acting user's tokens (never their secrets)."""
    return [TokenRead.model_validate(t) for t in service.list_tokens(session=session, actor=actor)]


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: str, session: SessionDep, actor: ActorDep) -> TokenRead:
    """Revoke a token."""
    return TokenRead.model_validate(service.revoke_token(session=session, actor=actor, token_id=token_id))


@router.post("/keys", status_code=201)
def add_key(data: KeyCreate, session: SessionDep, actor: ActorDep) -> KeyRead:
    """Register an Ed25519 public key of the acting party for signing contracts (the private key stays home)."""
    return KeyRead.model_validate(party_keys.add_key(session=session, actor=actor, public_key=data.public_key,
                                                     label=data.label))


@router.get("/parties/{party_id}/keys")
def list_keys(party_id: str, session: SessionDep, actor: ActorDep) -> list[KeyRead]:
    """A party's signing keys, revoked ones included (its own members, the operator and the regulator)."""
    return [KeyRead.model_validate(k) for k in party_keys.list_keys(session=session, actor=actor, party_id=party_id)]


@router.delete("/keys/{key_id}")
def revoke_key(key_id: str, session: SessionDep, actor: ActorDep) -> KeyRead:
    """Revoke one of the acting party's keys."""
    return KeyRead.model_validate(party_keys.revoke_key(session=session, actor=actor, key_id=key_id))
