"""Pure rules for rights: is a requested scope and term within the grantor's, and exact share splits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yaosu.rights.enums import ANY

BASIS = 10_000  # shares are basis points of a whole right


@dataclass(frozen=True)
class Scope:
    """What a right permits: purposes, actions, regions (see Right's docstring), and its term."""

    purposes: tuple[str, ...]
    actions: tuple[str, ...]
    regions: tuple[str, ...]
    valid_from: datetime
    valid_until: datetime | None
    exclusive: bool


@dataclass(frozen=True)
class Excess:
    """One way a requested scope is broader than the grantor's: the field and the offending values."""

    field: str
    values: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.field}: {', '.join(self.values)}"


def region_covers(parent: str, child: str) -> bool:
    """True if region `parent` contains `child`: "*" covers all, "CN" covers "CN-44" and "CN-44-03"."""
    if parent == ANY:
        return True
    if child == ANY:
        return False
    p, c = parent.split("-"), child.split("-")
    return c[: len(p)] == p


def _items_excess(field: str, parent: tuple[str, ...], child: tuple[str, ...]) -> Excess | None:
    if ANY in parent:
        return None
    extra = tuple(v for v in child if v not in parent)
    return Excess(field, extra) if extra else None


def scope_excess(parent: Scope, child: Scope) -> list[Excess]:
    """Every way `child` is broader than `parent`; an empty list means the grant fits."""
    found: list[Excess] = []
    for field in ("purposes", "actions"):
        excess = _items_excess(field, getattr(parent, field), getattr(child, field))
        if excess:
            found.append(excess)
    regions = tuple(r for r in child.regions if not any(region_covers(p, r) for p in parent.regions))
    if regions:
        found.append(Excess("regions", regions))
    if child.valid_from < parent.valid_from:
        found.append(Excess("valid_from", (f"{child.valid_from.isoformat()} < {parent.valid_from.isoformat()}",)))
    if parent.valid_until is not None and (child.valid_until is None or child.valid_until > parent.valid_until):
        asked = child.valid_until.isoformat() if child.valid_until else "no end"
        found.append(Excess("valid_until", (f"{asked} > {parent.valid_until.isoformat()}",)))
    if child.exclusive and not parent.exclusive:
        found.append(Excess("exclusive", ("the grantor's right is not exclusive",)))
    return found


def split_shares(total: int, weights: list[int]) -> list[int]:
    """Split integer `total` in proportion to `weights` exactly (largest remainder; ties to the earlier).

    The result always sums to `total` and no part differs from its exact share by 1 or more.
    """
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    denominator = sum(weights)
    floors = [total * w // denominator for w in weights]
    remainders = [total * w % denominator for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors
