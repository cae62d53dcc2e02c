"""Pricing models as a registry of small pydantic models, each quoting a price in integer fen (pure).

`parse_pricing` validates a model's parameters from JSON (`{"model": "per_call", ...}`); `quote(usage)`
returns what that usage costs. Public data may carry a government-guided cap (DOMAIN.md §10): a
model whose list price exceeds it is refused when the listing is checked (`check_cap`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yaosu.errors import Invalid, PolicyViolation
from yaosu.registry import Registry

Fen = Annotated[int, Field(ge=0, le=10**13)]  # up to 100 billion yuan
PRICING: Registry[type[BaseModel]] = Registry("pricing model")


class Usage(BaseModel):
    """What a buyer takes: API calls, subscription periods, or one purchase."""

    model_config = ConfigDict(frozen=True)

    calls: int = Field(default=0, ge=0)
    periods: int = Field(default=1, ge=1, le=120)


@PRICING.register("fixed")
class Fixed(BaseModel):
    """One price for the whole product (exchange pre-pricing)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: Literal["fixed"] = "fixed"
    price: Fen

    def quote(self, usage: Usage) -> int:
        return self.price

    def list_price(self) -> int:
        return self.price


class Tier(BaseModel):  # a part of PerCall, not a model
    """Calls up to `up_to` (inclusive; None = no limit) cost `unit` fen each."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    up_to: int | None = Field(default=None, ge=1)
    unit: Fen


@PRICING.register("per_call")
class PerCall(BaseModel):
    """Per call, graduated: each call is billed at the price of the tier it falls in."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: Literal["per_call"] = "per_call"
    tiers: list[Tier] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _ascending(self) -> PerCall:
        limits = [t.up_to for t in self.tiers]
        if any(limit is None for limit in limits[:-1]) or limits[-1] is not None:
            raise ValueError("only the last tier is open-ended, and it must be")
        bounded = [limit for limit in limits[:-1] if limit is not None]
        if bounded != sorted(set(bounded)):
            raise ValueError("tier limits must strictly increase")
        return self

    def quote(self, usage: Usage) -> int:
        total, below = 0, 0
        for tier in self.tiers:
            top = usage.calls if tier.up_to is None else min(usage.calls, tier.up_to)
            if top > below:
                total += (top - below) * tier.unit
                below = top
        return total

    def list_price(self) -> int:
        return self.tiers[0].unit


@PRICING.register("subscription")
class Subscription(BaseModel):
    """A price per period (month, quarter or year)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: Literal["subscription"] = "subscription"
    period: Literal["month", "quarter", "year"]
    price: Fen

    def quote(self, usage: Usage) -> int:
        return self.price * usage.periods

    def list_price(self) -> int:
        return self.price


@PRICING.register("reference")
class Reference(BaseModel):
    """The exchange's reference price; an agreed price may differ by at most `band_bp` basis points."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: Literal["reference"] = "reference"
    price: Fen
    band_bp: int = Field(default=2000, ge=0, le=10_000)

    def quote(self, usage: Usage) -> int:
        return self.price

    def list_price(self) -> int:
        return self.price

    def check_agreed(self, agreed: int) -> None:
        """Refuse an agreed price outside the reference band."""
        low = self.price * (10_000 - self.band_bp) // 10_000
        high = -(-self.price * (10_000 + self.band_bp) // 10_000)
        if not low <= agreed <= high:
            raise PolicyViolation(f"agreed price {agreed} fen is outside the reference band {low}..{high}",
                                  field="price", code="outside_reference_band")


@PRICING.register("negotiated")
class Negotiated(BaseModel):
    """No list price: the price is the one both parties agree in a negotiation (`asking` is a starting point)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    model: Literal["negotiated"] = "negotiated"
    asking: Fen | None = None

    def quote(self, usage: Usage) -> int:
        raise Invalid("a negotiated price exists only once a negotiation is agreed", field="model")

    def list_price(self) -> int:
        return self.asking or 0


PricingModel = Fixed | PerCall | Subscription | Reference | Negotiated


def parse_pricing(data: object) -> PricingModel:
    """A pricing model from its JSON form (`{"model": NAME, ...}`); Invalid naming the first bad field."""
    name = data.get("model") if isinstance(data, dict) else None
    if not isinstance(name, str) or name not in PRICING:
        raise Invalid(f"pricing model must be one of {', '.join(PRICING)}", field="pricing.model")
    try:
        model = PRICING.get(name).model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "model"
        raise Invalid(f"pricing {where}: {err['msg']}", field=f"pricing.{where}") from None
    assert isinstance(model, (Fixed, PerCall, Subscription, Reference, Negotiated))
    return model


def check_cap(model: PricingModel, cap: int | None) -> None:
    """Refuse a list price above the government-guided cap of public data (no cap: nothing to check)."""
    if cap is not None and model.list_price() > cap:
        raise PolicyViolation(f"list price {model.list_price()} fen exceeds the guided cap {cap} fen",
                              field="pricing", code="above_guided_cap")
