"""Every pricing model: quotes in fen, validation of its parameters, the reference band and the guided cap."""

from __future__ import annotations

from typing import Any

import pytest

from yaosu.errors import Invalid, PolicyViolation
from yaosu.market.pricing import PRICING, Reference, Usage, check_cap, parse_pricing

TIERS = {"model": "per_call", "tiers": [{"up_to": 1000, "unit": 10}, {"up_to": 10_000, "unit": 8},
                                         {"unit": 5}]}


@pytest.mark.parametrize(("spec", "usage", "fen"), [
    ({"model": "fixed", "price": 500_000}, Usage(), 500_000),
    (TIERS, Usage(calls=0), 0),
    (TIERS, Usage(calls=1000), 10_000),
    (TIERS, Usage(calls=1001), 10_008),
    (TIERS, Usage(calls=10_000), 10_000 + 9000 * 8),
    (TIERS, Usage(calls=12_345), 10_000 + 9000 * 8 + 2345 * 5),
    ({"model": "subscription", "period": "month", "price": 30_000}, Usage(periods=12), 360_000),
    ({"model": "reference", "price": 100_000}, Usage(), 100_000),
], ids=["fixed", "no-calls", "first-tier-full", "second-tier-starts", "second-tier-full", "open-tier",
        "subscription", "reference"])
def test_quotes(spec: dict[str, Any], usage: Usage, fen: int) -> None:
    assert parse_pricing(spec).quote(usage) == fen  # type: ignore[union-attr]


@pytest.mark.parametrize(("spec", "field"), [
    ({"model": "auction"}, "pricing.model"),
    ({"price": 1}, "pricing.model"),
    ({"model": "fixed", "price": -1}, "pricing.price"),
    ({"model": "fixed", "price": 1, "extra": 2}, "pricing.extra"),
    ({"model": "per_call", "tiers": [{"up_to": 100, "unit": 1}]}, "pricing"),
    ({"model": "per_call", "tiers": [{"up_to": 100, "unit": 2}, {"up_to": 50, "unit": 1}, {"unit": 1}]},
     "pricing"),
    ({"model": "subscription", "period": "week", "price": 1}, "pricing.period"),
], ids=["unknown-model", "no-model", "negative", "extra-field", "no-open-tier", "tiers-not-increasing",
        "bad-period"])
def test_bad_specs_name_the_field(spec: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as raised:
        parse_pricing(spec)
    assert (raised.value.field or "").startswith(field)


def test_negotiated_has_no_quote_until_agreed() -> None:
    with pytest.raises(Invalid, match="agreed"):
        parse_pricing({"model": "negotiated", "asking": 9}).quote(Usage())


@pytest.mark.parametrize(("agreed", "ok"), [(80_000, True), (120_000, True), (79_999, False), (120_001, False)])
def test_reference_band(agreed: int, ok: bool) -> None:
    model = Reference(price=100_000, band_bp=2000)
    if ok:
        model.check_agreed(agreed)
    else:
        with pytest.raises(PolicyViolation, match="reference band"):
            model.check_agreed(agreed)


@pytest.mark.parametrize(("spec", "cap", "ok"), [
    ({"model": "fixed", "price": 100}, 100, True),
    ({"model": "fixed", "price": 101}, 100, False),
    (TIERS, 10, True),
    (TIERS, 9, False),
    ({"model": "fixed", "price": 10**9}, None, True),
])
def test_guided_cap_for_public_data(spec: dict[str, Any], cap: int | None, ok: bool) -> None:
    model = parse_pricing(spec)
    if ok:
        check_cap(model, cap)
    else:
        with pytest.raises(PolicyViolation) as raised:
            check_cap(model, cap)
        assert raised.value.code == "above_guided_cap"


def test_every_registered_model_is_tested() -> None:
    assert list(PRICING) == ["fixed", "negotiated", "per_call", "reference", "subscription"]
