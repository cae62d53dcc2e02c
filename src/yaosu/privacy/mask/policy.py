"""Masking policies: per column an operator and its parameters, from YAML or JSON, hashed for lineage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from yaosu.canonical import canonical_json, sha256_hex
from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context

MAX_POLICY_BYTES = 1 << 20
MAX_COLUMNS = 2000
MAX_PARAMS = 32


class ColumnRule(BaseModel):
    """One column's treatment: the operator, its parameters and why it was chosen."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    operator: str = Field(min_length=1, max_length=40)
    params: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field(default="", max_length=500)

    @field_validator("operator")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in MASKERS:
            raise ValueError(f"unknown operator {value!r}; known: {', '.join(MASKERS)}")
        return value

    @field_validator("params")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_PARAMS or len(json.dumps(value, default=str)) > 10_000:
            raise ValueError(f"params hold at most {MAX_PARAMS} entries and 10,000 characters")
        return value


class Policy(BaseModel):
    """A de-identification policy: rules by column name; `strict` refuses columns the policy does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(default=1, ge=1, le=1)
    strict: bool = False
    columns: dict[str, ColumnRule] = Field(max_length=MAX_COLUMNS)

    def digest(self) -> str:
        """SHA-256 hex of the policy's RFC 8785 canonical JSON: the policy hash recorded in lineage."""
        return policy_hash(self)


def policy_hash(policy: Policy) -> str:
    """SHA-256 hex of the RFC 8785 canonical JSON of `policy` (reasons included)."""
    return sha256_hex(canonical_json(policy.model_dump(mode="json")))


def check_params(policy: Policy) -> None:
    """Run every rule once on an empty column so a bad parameter fails at load time, naming its column."""
    for name, rule in policy.columns.items():
        context = Context(key=bytes(32), column=name, spans={name: ()})
        try:
            MASKERS.get(rule.operator)(pa.array([], pa.string()), rule.params, context)
        except Invalid as exc:
            where = f"columns.{name}.params.{exc.field or ''}".rstrip(".")
            raise Invalid(f"policy {where}: {exc.message}", field=where) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def parse_policy(data: Any) -> Policy:
    """A validated Policy from parsed YAML/JSON data; errors name the column and field."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _field_path(tuple(first["loc"])) or "policy"
        raise Invalid(f"policy {where}: {first['msg']} / 策略字段 {where} 无效", field=where,
                      details={"errors": len(exc.errors())}) from None
    check_params(policy)
    return policy


def load_policy(path: Path) -> Policy:
    """Read a policy from a .yaml/.yml or .json file (at most 1 MiB)."""
    if not path.is_file():
        raise Invalid(f"no such policy file: {path}", field="policy")
    if path.stat().st_size > MAX_POLICY_BYTES:
        raise Invalid(f"policy file is larger than {MAX_POLICY_BYTES} bytes", field="policy")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise Invalid(f"policy file {path.name} is not valid {path.suffix.lstrip('.')}: {exc}",
                      field="policy") from None
    return parse_policy(data)


def dump_policy(policy: Policy) -> str:
    """The policy as YAML (what `yaosu mask` writes next to its output)."""
    return str(yaml.safe_dump(policy.model_dump(mode="json"), allow_unicode=True, sort_keys=False))
