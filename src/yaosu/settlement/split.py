"""Split a payment among contributors by basis points, exactly (pure).

A product's split rule gives each contributor role a share in basis points (1/10,000) summing to
10,000. Parts are the floors of amount × share / 10,000; the few fen left over go, one each, to the
largest fractional remainders (the largest-remainder / Hamilton method), ties broken by the rule's
order. So the parts always sum exactly to the amount and no part differs from its exact share by a
whole fen or more. `split_many` does the same for many payments at once, as arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from yaosu.errors import Invalid

BASIS = 10_000
_MAX_VECTOR_AMOUNT = 2**63 // BASIS  # amount × basis points stays inside int64


@dataclass(frozen=True)
class Share:
    """One contributor's part of every payment: a party (or role) and its basis points."""

    party: str
    basis_points: int


def check_rule(shares: Sequence[Share]) -> None:
    """Raise Invalid unless the shares are positive, name distinct parties and sum to 10,000 basis points."""
    if not shares:
        raise Invalid("a split rule needs at least one share", field="shares")
    if any(s.basis_points <= 0 for s in shares):
        raise Invalid("every share is a positive number of basis points", field="shares")
    if len({s.party for s in shares}) != len(shares):
        raise Invalid("a party appears twice in the split rule", field="shares")
    total = sum(s.basis_points for s in shares)
    if total != BASIS:
        raise Invalid(f"shares sum to {total} basis points, not {BASIS}", field="shares")


def split(amount: int, shares: Sequence[Share]) -> list[tuple[str, int]]:
    """Each party's part of `amount` fen (a non-negative integer), in the rule's order; parts sum to `amount`."""
    check_rule(shares)
    if amount < 0:
        raise Invalid("a payment to split is not negative", field="amount")
    floors = [amount * s.basis_points // BASIS for s in shares]
    remainders = [amount * s.basis_points % BASIS for s in shares]
    left = amount - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [(s.party, part) for s, part in zip(shares, floors, strict=True)]


def split_many(amounts: Sequence[int], shares: Sequence[Share]) -> list[list[int]]:
    """`split` of each amount by one rule, vectorized (NumPy): row i holds amount i's parts in the rule's order."""
    check_rule(shares)
    values = np.asarray(amounts, dtype=np.int64).reshape(-1, 1)
    if values.size and (values.min() < 0 or values.max() > _MAX_VECTOR_AMOUNT):
        raise Invalid(f"a payment to split in a batch is 0 to {_MAX_VECTOR_AMOUNT} fen", field="amount")
    points = np.asarray([s.basis_points for s in shares], dtype=np.int64).reshape(1, -1)
    product = values * points
    floors, remainders = product // BASIS, product % BASIS
    left = values[:, 0] - floors.sum(axis=1)
    # rank of each share in (largest remainder, earlier share) order; the `left` best ranks get one fen more
    order = np.argsort(-remainders, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(shares)).reshape(1, -1).repeat(len(values), axis=0), axis=1)
    parts: list[list[int]] = (floors + (ranks < left.reshape(-1, 1))).tolist()
    return parts
