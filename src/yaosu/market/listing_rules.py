"""Automatic listing review: versioned YAML rules over a product's sources and its submission (pure).

Each rule matches sources by classification, grade or domain (or the product as a whole) and
either refuses outright or requires one of a fixed set of named checks. Every rule that fails
yields a `Finding` with the rule id, the source it concerns, the reason and what to fix; a product
passes the automatic stage only with no findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yaosu.errors import Invalid


@dataclass(frozen=True)
class SourceFacts:
    """What the review needs to know of one source resource version."""

    resource_id: str
    classification: str
    grade: str
    domain: str
    lister_rights: frozenset[str]  # effective right kinds the lister holds on it
    operation_granted: bool = False  # the lister's operation right was granted (not its own original right)
    de_identified: bool = False


@dataclass(frozen=True)
class Submission:
    """A product put up for listing: its sources and the lister's declarations."""

    sources: Sequence[SourceFacts]
    list_price: int
    consent_basis: str | None = None
    security_assessment: str | None = None
    declaration_signed: bool = False


@dataclass(frozen=True)
class Finding:
    """A failed rule: which rule, which source (None: the product), why and what to fix."""

    rule: str
    resource_id: str | None
    reason: str
    fix: str


class Rule(BaseModel):
    """One listing rule as written in YAML."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_.]+$", max_length=80)
    when: dict[str, str] = Field(default_factory=dict)
    scope: str = Field(default="source", pattern="^(source|product)$")
    refuse: bool = False
    require: str | None = None
    message: str = Field(max_length=300)
    fix: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _one_outcome(self) -> Rule:
        if self.refuse == (self.require is not None):
            raise ValueError("a rule either refuses or requires a check")
        if self.require is not None and self.require not in CHECKS:
            raise ValueError(f"unknown check {self.require!r}; known: {', '.join(sorted(CHECKS))}")
        if set(self.when) - {"classification", "grade", "domain"}:
            raise ValueError("when may name classification, grade and domain only")
        return self


class RuleSet(BaseModel):
    """A versioned set of listing rules with the guided caps of public data."""

    model_config = ConfigDict(extra="forbid")
    version: str = Field(max_length=40)
    public_price_cap_fen: int = Field(ge=0)
    public_price_caps_fen: dict[str, int] = Field(default_factory=dict)
    rules: list[Rule] = Field(max_length=500)

    def cap_for(self, domain: str) -> int:
        """The guided price cap of public data in `domain`."""
        return self.public_price_caps_fen.get(domain, self.public_price_cap_fen)


Check = Callable[[RuleSet, Submission, SourceFacts | None], bool]
CHECKS: dict[str, Check] = {
    "lister_holds_processing_and_operation":
        lambda _r, _s, src: src is not None and {"processing", "operation"} <= src.lister_rights,
    "security_assessment": lambda _r, sub, _src: bool((sub.security_assessment or "").strip()),
    "deidentified_or_consent":
        lambda _r, sub, src: src is not None and (src.de_identified or bool((sub.consent_basis or "").strip())),
    "authorized_operation": lambda _r, _s, src: src is not None and src.operation_granted,
    "within_price_cap": lambda rs, sub, src: src is not None and sub.list_price <= rs.cap_for(src.domain),
    "declaration": lambda _r, sub, _src: sub.declaration_signed,
}


def _matches(rule: Rule, source: SourceFacts) -> bool:
    facts = {"classification": source.classification, "grade": source.grade, "domain": source.domain}
    return all(facts[k] == v for k, v in rule.when.items())


def review(rules: RuleSet, submission: Submission) -> list[Finding]:
    """Every failed rule, product rules first in file order; empty when the product may go to manual review."""
    findings: list[Finding] = []
    for rule in rules.rules:
        targets: list[SourceFacts | None] = (
            [None] if rule.scope == "product" else [s for s in submission.sources if _matches(rule, s)])
        for source in targets:
            passed = not rule.refuse and rule.require is not None and CHECKS[rule.require](rules, submission, source)
            if not passed:
                findings.append(Finding(rule.id, source.resource_id if source else None, rule.message, rule.fix))
    return findings


def load_rules(extra: Sequence[Path] = ()) -> RuleSet:
    """The built-in rules plus operator files (their rules appended, caps overriding); Invalid on a bad file."""
    text = resources.files("yaosu.market").joinpath("rules/listing.yaml").read_text(encoding="utf-8")
    merged: dict[str, Any] = _parse(text, "built-in listing rules")
    for path in extra:
        more = _parse(path.read_text(encoding="utf-8"), str(path))
        merged["rules"] = [*merged["rules"], *more.get("rules", [])]
        merged["public_price_caps_fen"] = {**merged.get("public_price_caps_fen", {}),
                                           **more.get("public_price_caps_fen", {})}
        merged["version"] = f"{merged['version']}+{more.get('version', path.stem)}"
    try:
        return RuleSet.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise Invalid(f"listing rules: {'.'.join(map(str, err['loc']))}: {err['msg']}", field="rules") from None


def _parse(text: str, where: str) -> dict[str, Any]:
    if len(text) > 1_000_000:
        raise Invalid(f"{where}: a rules file is at most 1 MB", field="rules")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Invalid(f"{where}: not YAML: {exc}", field="rules") from None
    if not isinstance(data, dict):
        raise Invalid(f"{where}: a rules file is a mapping", field="rules")
    return data



