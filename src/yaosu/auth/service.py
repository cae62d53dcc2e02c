"""Actions on parties, users and tokens, plus authentication (password and API token)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import ApiToken, Party, PartyRole, User
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import PartyKind, PartyStatus, Role
from yaosu.auth.schemas import PartyCreate, TokenCreate, UserCreate
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from yaosu.identifiers import uscc_problem
from yaosu.ledger import Event, append

_hasher = PasswordHasher()
TOKEN_PREFIX = "ys_"  # noqa: S105 (a prefix, not a secret)
OPERATOR_ONLY = frozenset({Role.OPERATOR})


def _validate_party(session: Session, data: PartyCreate) -> None:
    if data.kind == PartyKind.ORGANIZATION:
        if not data.uscc:
            raise Invalid("an organization needs its unified social credit code", field="uscc")
        problem = uscc_problem(data.uscc)
        if problem:
            raise Invalid(f"unified social credit code {problem}", field="uscc", code="invalid_uscc")
        if session.scalar(select(Party.id).where(Party.uscc == data.uscc)):
            raise Conflict("a party with this unified social credit code exists", field="uscc")
    elif data.uscc:
        raise Invalid("an individual has no unified social credit code", field="uscc")


def insert_party(session: Session, actor: Actor | None, data: PartyCreate) -> Party:
    """Validate and insert a party with its roles, recording the event (shared by bootstrap)."""
    _validate_party(session, data)
    party = Party(kind=data.kind.value, name=data.name, uscc=data.uscc, region=data.region,
                  status=PartyStatus.ACTIVE.value)
    party.roles = [PartyRole(role=r.value) for r in sorted(set(data.roles))]
    session.add(party)
    session.flush()
    append(session, actor, Event("party.created", "party", party.id,
                                 {"kind": party.kind, "name": party.name, "uscc": party.uscc,
                                  "roles": party.role_names()}))
    return party


@action("party.create", roles=OPERATOR_ONLY)
def create_party(*, session: Session, actor: Actor, data: PartyCreate) -> Party:
    """Admit a new organization or individual with its roles (operator)."""
    return insert_party(session, actor, data)


@action("party.get", roles=ANY_ROLE, public=True)
def get_party(*, session: Session, actor: Actor, party_id: str) -> Party:
    """A party's public profile (name, kind, roles, status)."""
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound("no such party", field="party_id")
    return party


@action("party.list", roles=ANY_ROLE)
def list_parties(*, session: Session, actor: Actor, role: Role | None = None,
                 limit: int = 100, offset: int = 0) -> list[Party]:
    """The public directory of parties, optionally by role."""
    stmt = select(Party).order_by(Party.name).limit(min(limit, 500)).offset(offset)
    if role is not None:
        stmt = stmt.join(PartyRole).where(PartyRole.role == role.value)
    return list(session.scalars(stmt))


@action("party.set_roles", roles=OPERATOR_ONLY)
def set_party_roles(*, session: Session, actor: Actor, party_id: str, roles: list[Role]) -> Party:
    """Replace a party's roles (operator)."""
    party = get_party(session=session, actor=actor, party_id=party_id)
    if not roles:
        raise Invalid("a party needs at least one role", field="roles")
    party.roles = [PartyRole(role=r.value) for r in sorted(set(roles))]
    session.flush()
    append(session, actor, Event("party.roles_set", "party", party.id, {"roles": party.role_names()}))
    return party


def find_operator(session: Session) -> Party | None:
    """The exchange operator's party (the first party admitted with the operator role), if set up."""
    stmt = (select(Party).join(PartyRole).where(PartyRole.role == Role.OPERATOR.value)
            .order_by(Party.created_at, Party.id).limit(1))
    return session.scalar(stmt)


def require_active_party(session: Session, party_id: str, field: str = "party_id") -> Party:
    """The party, which must exist and be active, else NotFound/Invalid naming `field`."""
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound("no such party", field=field)
    if party.status != PartyStatus.ACTIVE.value:
        raise Invalid(f"party {party.name} is {party.status}, not active", field=field, code="party_inactive")
    return party


def _hash_password(password: str) -> str:
    return _hasher.hash(password)


@action("user.create", roles=OPERATOR_ONLY)
def create_user(*, session: Session, actor: Actor, data: UserCreate) -> User:
    """Add a login for a party (operator)."""
    require_active_party(session, data.party_id)
    if session.scalar(select(User.id).where(User.username == data.username)):
        raise Conflict("username already taken", field="username")
    user = User(party_id=data.party_id, username=data.username, display_name=data.display_name,
                password_hash=_hash_password(data.password) if data.password else None)
    session.add(user)
    session.flush()
    append(session, actor, Event("user.created", "user", user.id,
                                 {"party_id": user.party_id, "username": user.username}))
    return user


@action("user.list", roles=ANY_ROLE)
def list_users(*, session: Session, actor: Actor, party_id: str) -> list[User]:
    """Users of a party: a party sees only its own; operator and regulator see any."""
    if party_id != actor.party_id and not actor.oversees:
        raise Forbidden("users of another party are private", field="party_id")
    return list(session.scalars(select(User).where(User.party_id == party_id).order_by(User.username)))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@action("token.create", roles=ANY_ROLE)
def create_token(*, session: Session, actor: Actor, data: TokenCreate) -> tuple[ApiToken, str]:
    """A new API token for the acting user; returns the row and the token, shown once."""
    if actor.user_id is None:
        raise Invalid("tokens belong to a user; the system actor has none", field="actor")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(days=data.days) if data.days else None
    row = ApiToken(user_id=actor.user_id, name=data.name, prefix=token[:10], token_hash=_token_hash(token),
                   expires_at=expires)
    session.add(row)
    session.flush()
    append(session, actor, Event("token.created", "api_token", row.id, {"name": row.name, "prefix": row.prefix}))
    return row, token


@action("token.list", roles=ANY_ROLE)
def list_tokens(*, session: Session, actor: Actor) -> list[ApiToken]:
    """The acting user's own tokens (never their secrets)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == actor.user_id)
                                .order_by(ApiToken.created_at)))


@action("token.revoke", roles=ANY_ROLE)
def revoke_token(*, session: Session, actor: Actor, token_id: str) -> ApiToken:
    """Revoke one of the acting user's tokens (operator: anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.user_id and not actor.is_operator):
        raise NotFound("no such token", field="token_id")
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        append(session, actor, Event("token.revoked", "api_token", row.id, {}))
    return row


def actor_for_user(session: Session, user: User) -> Actor:
    """The Actor a logged-in user acts as; inactive users or parties are refused."""
    party = session.get(Party, user.party_id)
    if not user.is_active or party is None or party.status != PartyStatus.ACTIVE.value:
        raise Unauthenticated("this account is disabled")
    return Actor(party_id=party.id, user_id=user.id, name=user.display_name,
                 roles=frozenset(Role(r) for r in party.role_names()))


def authenticate_password(session: Session, username: str, password: str) -> Actor:
    """Check a username and password (argon2); a wrong pair says nothing about which part was wrong."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.password_hash:
        _hasher.hash(password)  # same cost either way
        raise Unauthenticated("wrong username or password")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthenticated("wrong username or password") from None
    return actor_for_user(session, user)


def authenticate_token(session: Session, token: str) -> Actor:
    """The Actor behind a bearer token, if it is known, unexpired and not revoked."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= clock.now()):
        raise Unauthenticated("invalid or expired token")
    user = session.get(User, row.user_id)
    if user is None:
        raise Unauthenticated("invalid or expired token")
    return actor_for_user(session, user)


def set_password(session: Session, user: User, password: str) -> None:
    """Store a new argon2 hash for `user` (bootstrap and admin use)."""
    if len(password) < 10:
        raise Invalid("password must be at least 10 characters", field="password")
    user.password_hash = _hash_password(password)
