"""Every service action is registered here with the roles that may call it.

`@action(name, roles)` wraps a keyword-only service function so the role check runs before the
function body touches anything. Object-level rules (only the holder of a right may grant it) are
checked inside the service and raise `Forbidden` too. `ACTIONS` lets one test enumerate every
action and prove each refuses an actor without the right role.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Forbidden

P = ParamSpec("P")
R = TypeVar("R")

ANY_ROLE: frozenset[Role] = frozenset(Role)


@dataclass(frozen=True)
class ActionSpec:
    """A registered action: its name, the roles allowed, and the wrapped function."""

    name: str
    roles: frozenset[Role]
    func: Callable[..., Any]
    description: str
    public: bool = False


ACTIONS: dict[str, ActionSpec] = {}


def authorize(actor: Actor, spec_name: str) -> None:
    """Raise Forbidden unless `actor` holds one of the roles the action allows."""
    spec = ACTIONS[spec_name]
    if not isinstance(actor, Actor):
        raise Forbidden(f"action {spec_name} needs an actor", code="forbidden")
    if spec.public:
        return
    if not actor.roles.intersection(spec.roles):
        allowed = ", ".join(sorted(r.value for r in spec.roles))
        raise Forbidden(f"action {spec_name} requires one of the roles: {allowed}",
                        details={"action": spec_name, "allowed_roles": sorted(r.value for r in spec.roles)})


def action(name: str, *, roles: frozenset[Role] | set[Role],
           public: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a service function as action `name`, callable only by actors holding one of `roles`.

    `public=True` also admits `Actor.anonymous()` (public catalog, published certificates); the
    authorization audit test keeps an explicit list of the public actions.
    """
    allowed = frozenset(roles)
    if not allowed:
        raise ValueError(f"action {name} must allow at least one role")

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        if name in ACTIONS:
            raise ValueError(f"action {name} registered twice")

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if args:
                raise TypeError(f"action {name} takes keyword arguments only")
            authorize(kwargs.get("actor"), name)  # type: ignore[arg-type]
            return func(*args, **kwargs)

        doc = (func.__doc__ or "").strip().splitlines()
        ACTIONS[name] = ActionSpec(name=name, roles=allowed, func=wrapper, description=doc[0] if doc else "",
                                   public=public)
        wrapper.__yaosu_action__ = name  # type: ignore[attr-defined]
        return wrapper

    return decorate


def load_all_actions() -> dict[str, ActionSpec]:
    """Import every service module so ACTIONS is complete, and return it."""
    import yaosu.auth.party_keys
    import yaosu.auth.service
    import yaosu.catalog.service
    import yaosu.deid.budget_service
    import yaosu.deid.service
    import yaosu.ledger.service
    import yaosu.market.auctions
    import yaosu.market.batch
    import yaosu.market.browse
    import yaosu.market.contracts
    import yaosu.market.demands
    import yaosu.market.negotiations
    import yaosu.market.orders
    import yaosu.market.prices
    import yaosu.market.service
    import yaosu.node.service
    import yaosu.quality.service
    import yaosu.registration.service
    import yaosu.resources.from_dataset
    import yaosu.resources.scan_service
    import yaosu.resources.service
    import yaosu.rights.service
    import yaosu.rights.succession
    import yaosu.sandbox.service
    import yaosu.settlement.statements
    import yaosu.watermark.service  # noqa: F401

    return ACTIONS
