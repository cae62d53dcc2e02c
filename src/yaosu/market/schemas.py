"""Product requests and responses (API and CLI edges)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProductKind(StrEnum):
    """What a buyer gets (DESIGN.md, the main journey step 5)."""

    DATASET = "dataset"
    API = "api"
    SANDBOX = "sandbox"
    VERIFICATION = "verification"  # 核验
    MODEL = "model"
    REPORT = "report"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"  # passed the automatic rules, awaiting the operator
    LISTED = "listed"  # 挂牌
    REJECTED = "rejected"  # by a rule or a reviewer: the decisions say what to fix


class ShareIn(BaseModel):
    """A contributor's share of every payment, in basis points; party "exchange" is the exchange's fee."""

    party: str = Field(min_length=1, max_length=26)
    basis_points: int = Field(gt=0, le=10_000)


class ProductCreate(BaseModel):
    """A new product built from the current versions of `sources`."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=5000)
    kind: ProductKind
    sources: list[str] = Field(min_length=1, max_length=20)
    pricing: dict[str, Any]
    split_rule: list[ShareIn] = Field(min_length=1, max_length=20)
    consent_basis: str | None = Field(default=None, max_length=500)
    security_assessment: str | None = Field(default=None, max_length=200)


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    lister_party_id: str
    title: str
    description: str
    kind: str
    status: str
    pricing: dict[str, Any]
    split_rule: list[dict[str, Any]]
    current_version: int
    created_at: datetime


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    stage: str
    outcome: str
    rule: str | None
    resource_id: str | None
    reason: str
    fix: str
    created_at: datetime


class DeclarationSign(BaseModel):
    """The lister signs the declaration text it was shown, by that text's SHA-256."""

    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class ReviewIn(BaseModel):
    approve: bool
    reason: str = Field(min_length=1, max_length=500)


class OrderCreate(BaseModel):
    """Order a listed product; `client_key` makes a retried request place the order once."""

    model_config = ConfigDict(extra="forbid")
    product_id: str = Field(min_length=1, max_length=26)
    usage: dict[str, int] = Field(default_factory=dict, max_length=4)
    client_key: str = Field(min_length=1, max_length=128)
    purpose: str = Field(min_length=1, max_length=500, description="使用目的, written into the contract")


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_id: str
    product_version: int
    buyer_party_id: str
    usage: dict[str, Any]
    price: int
    split_rule: list[dict[str, Any]]
    status: str
    delivery_note: str
    dispute_reason: str | None = None
    dispute_resolution: str | None = None
    created_at: datetime


class MoneyIn(BaseModel):
    """An amount in fen with the caller's idempotency key."""

    amount: int = Field(gt=0, le=10**10)
    key: str = Field(min_length=1, max_length=100)


class DeliveryIn(BaseModel):
    note: str = Field(default="", max_length=500)


class DemandCreate(BaseModel):
    """A buyer's need: what data, for what purpose, within what budget (fen), by when."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=2, max_length=200)
    domain: str = Field(max_length=32)
    fields_wanted: list[str] = Field(default_factory=list, max_length=50)
    purpose: str = Field(min_length=2, max_length=500)
    budget: int = Field(gt=0, le=10**12)
    deadline: datetime


class DemandRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    buyer_party_id: str
    title: str
    domain: str
    fields_wanted: list[str]
    purpose: str
    budget: int
    deadline: datetime
    status: str


class OfferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: str = Field(min_length=1, max_length=26)
    price: int = Field(gt=0, le=10**12)
    message: str = Field(default="", max_length=500)


class OfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    demand_id: str
    product_id: str
    provider_party_id: str
    price: int
    message: str
    status: str


class OfferOrder(BaseModel):
    client_key: str = Field(min_length=1, max_length=128)


class ContractRead(BaseModel):
    """An order's contract: the signed document (text, ODRL policy, terms), its hash and the signatures."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    document: dict[str, Any]
    hash: str
    status: str
    buyer_key_id: str | None
    buyer_signature: str | None
    provider_key_id: str | None
    provider_signature: str | None
    created_at: datetime
    signed_at: datetime | None


class SignatureIn(BaseModel):
    """A party's Ed25519 signature (base64) over the contract document's RFC 8785 canonical JSON."""

    model_config = ConfigDict(extra="forbid")
    key_id: str = Field(min_length=16, max_length=16)
    signature: str = Field(min_length=1, max_length=100)


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class RulingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    upheld: bool
    reason: str = Field(min_length=1, max_length=500)
