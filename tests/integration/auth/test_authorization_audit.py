"""The authorization audit: every action has a policy, and each refuses an actor without its roles."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import yaosu
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, ActionSpec, load_all_actions
from yaosu.auth.roles import Role
from yaosu.errors import Forbidden

ACTIONS = load_all_actions()

# Actions anyone may call, even without logging in: the public registry (登记公示). Each still hides
# records that are not public (drafts, submissions before notice) behind NotFound; see
# test_anonymous_reads.py. Adding one is a decision: list it here.
PUBLIC_ACTIONS = {"catalog.search", "catalog.dcat", "registration.notices", "registration.get", "registration.list",
                  "certificate.get", "certificate.list", "resource.get", "right.get", "right.list", "right.chain",
                  "party.get", "ledger.proof", "ledger.consistency", "ledger.checkpoint", "product.get",
                  "product.list"}

# Plain helpers in service modules that take an actor but are called only by other services (never by
# adapters), inside an action that already authorized. Adding one is a decision: list it here.
INTERNAL_HELPERS = {"yaosu.auth.service.insert_party", "yaosu.ledger.service.append",
                    "yaosu.market.contracts.draft", "yaosu.market.contracts.sign_with",
                    "yaosu.market.orders.open_order",
                    "yaosu.node.service.store_dataset",
                    "yaosu.resources.service.load_resource", "yaosu.rights.service.create_original_rights",
                    "yaosu.rights.service.end_subject_rights"}


def _service_modules() -> list[str]:
    """Every module that registers actions or is named as a service: its actor-taking functions are audited."""
    names = []
    for mod in pkgutil.walk_packages(yaosu.__path__, "yaosu."):
        leaf = mod.name.rsplit(".", 1)[-1]
        if leaf in ("service", "succession") or leaf.endswith("_service"):
            names.append(mod.name)
            continue
        spec = importlib.util.find_spec(mod.name)
        origin = spec.origin if spec is not None else None
        if mod.name == "yaosu.auth.policies":  # the mechanism itself
            continue
        if origin and origin.endswith(".py") and "@action(" in Path(origin).read_text(encoding="utf-8"):
            names.append(mod.name)
    return sorted(names)


def test_service_modules_found() -> None:
    assert "yaosu.rights.service" in _service_modules()
    assert "yaosu.auth.service" in _service_modules()


@pytest.mark.parametrize("module_name", _service_modules())
def test_every_service_function_taking_an_actor_is_an_action(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name, func in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or func.__module__ != module_name:
            continue
        if "actor" not in inspect.signature(func).parameters:
            continue
        qualified = f"{module_name}.{name}"
        assert hasattr(func, "__yaosu_action__") or qualified in INTERNAL_HELPERS, (
            f"{qualified} takes an actor but is not registered with @action (or listed as an internal helper)")


def test_public_actions_are_exactly_the_listed_ones() -> None:
    assert {name for name, spec in ACTIONS.items() if spec.public} == PUBLIC_ACTIONS


def _outsider(spec: ActionSpec) -> Actor | None:
    """An actor holding every role except the allowed ones (None if every role is allowed)."""
    others = frozenset(Role) - spec.roles
    if not others:
        return None
    return Actor(party_id="01OUTSIDER0000000000000000", user_id="01OUTSIDERUSER000000000000", roles=others)


@pytest.mark.parametrize("name", sorted(n for n, s in ACTIONS.items() if not s.public))
def test_action_refuses_actor_without_role(name: str, session: Session) -> None:
    spec = ACTIONS[name]
    with pytest.raises(Forbidden):
        spec.func(session=session, actor=Actor.anonymous())
    outsider = _outsider(spec)
    if outsider is not None:
        with pytest.raises(Forbidden) as err:
            spec.func(session=session, actor=outsider)
        assert err.value.details["action"] == name
    else:
        assert spec.roles == ANY_ROLE


def test_positional_calls_are_refused(session: Session) -> None:
    spec = ACTIONS["party.create"]
    with pytest.raises(TypeError):
        spec.func(session, Actor.anonymous())


def test_audit_covers_the_known_actions() -> None:
    expected = {"party.create", "party.succeed", "resource.create", "right.grant", "right.transfer",
                "right.revoke", "right.chain", "token.create", "ledger.verify"}
    assert expected <= set(ACTIONS)
