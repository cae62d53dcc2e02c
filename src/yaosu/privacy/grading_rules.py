"""Grading rules as versioned YAML: the built-in file plus an operator's extensions, validated on load.

A rules file has a `name`, a `version` and any of four sections: `entities` (entity code →
personal-information category, sensitive flag, level), `classification` (first match decides
personal / enterprise / public), `levels` (general-data level floors) and `grades` (important or
core data, e.g. an industry catalogue). Every rule has an `id` that the decisions it makes record.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yaosu.errors import Invalid

MAX_RULES_BYTES = 1 << 20  # a rules file is configuration, not data
RULE_ID = r"^[a-z][a-z0-9_.-]{1,63}$"
ENTITY_CODE = r"^[A-Z][A-Z0-9_]{1,39}$"
Classification = Literal["personal", "enterprise", "public"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """A rule's condition: every key given must hold (an empty condition always holds)."""

    entities_all: tuple[str, ...] = ()
    entities_any: tuple[str, ...] = ()
    categories_any: tuple[str, ...] = ()
    personal: bool | None = None
    sensitive: bool | None = None
    declared: Classification | None = None
    min_rows: int | None = Field(default=None, ge=0)


class EntityRule(_Strict):
    """Entity code → personal-information category (None: not PI), sensitive flag and level."""

    id: str = Field(pattern=RULE_ID)
    entity: str = Field(pattern=ENTITY_CODE)
    category: str | None = None
    subcategory: str | None = None
    sensitive: bool = False
    level: int | None = Field(default=None, ge=1, le=4)
    basis: str = ""

    @model_validator(mode="after")
    def _sensitive_is_personal(self) -> EntityRule:
        if self.sensitive and self.category is None:
            raise ValueError("a sensitive entity needs a personal-information category")
        return self


class ClassificationRule(_Strict):
    """If `when` holds, the dataset is `result` (the first matching rule decides)."""

    id: str = Field(pattern=RULE_ID)
    when: When = When()
    result: Classification
    basis: str = ""


class LevelRule(_Strict):
    """If `when` holds, the general-data level is at least `level`."""

    id: str = Field(pattern=RULE_ID)
    when: When = When()
    level: int = Field(ge=1, le=4)
    basis: str = ""


class GradeRule(_Strict):
    """If `when` holds, the dataset is important or core data."""

    id: str = Field(pattern=RULE_ID)
    when: When
    result: Literal["important", "core"]
    basis: str = ""


class RulesFile(_Strict):
    """One rules file as written."""

    name: str = Field(min_length=1, max_length=80)
    version: str = Field(min_length=1, max_length=40)
    entities: tuple[EntityRule, ...] = ()
    classification: tuple[ClassificationRule, ...] = ()
    levels: tuple[LevelRule, ...] = ()
    grades: tuple[GradeRule, ...] = ()


class Rules(_Strict):
    """The rules in force: extensions' classification rules come first; their entity rules override."""

    versions: tuple[str, ...]
    entities: dict[str, EntityRule]
    classification: tuple[ClassificationRule, ...]
    levels: tuple[LevelRule, ...]
    grades: tuple[GradeRule, ...]

    @property
    def version(self) -> str:
        """The versions of every file in force, built-in first, e.g. `yaosu-grading@2026.11.1+acme@3`."""
        return "+".join(self.versions)


def _error_field(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(file)"


def parse_rules_file(text: str, source: str) -> RulesFile:
    """Validate one rules document; any problem is `Invalid` naming the file and the offending field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Invalid(f"{source}: not valid YAML ({str(exc).splitlines()[0]})", field="rules") from exc
    if not isinstance(data, dict):
        raise Invalid(f"{source}: a rules file is a mapping with name, version and rule lists", field="rules")
    try:
        return RulesFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _error_field(first)
        raise Invalid(f"{source}: {where}: {first['msg']}", field=f"rules.{where}") from exc


def read_rules_file(path: Path) -> RulesFile:
    """Read and validate an operator's rules file (bounded in size)."""
    if not path.is_file():
        raise Invalid(f"no such rules file: {path}", field="rules")
    if path.stat().st_size > MAX_RULES_BYTES:
        raise Invalid(f"{path}: a rules file is at most {MAX_RULES_BYTES} bytes", field="rules")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid(f"{path}: a rules file is UTF-8 text", field="rules") from exc
    return parse_rules_file(text, str(path))


def builtin_rules_file() -> RulesFile:
    """The rules shipped with Yaosu (package data `yaosu/privacy/rules/grading.yaml`)."""
    text = resources.files("yaosu.privacy").joinpath("rules/grading.yaml").read_text(encoding="utf-8")
    return parse_rules_file(text, "grading.yaml")


def _unique_ids(files: Sequence[RulesFile]) -> None:
    seen: dict[str, str] = {}
    for f in files:
        every: list[EntityRule | ClassificationRule | LevelRule | GradeRule] = [
            *f.entities, *f.classification, *f.levels, *f.grades]
        for rule in every:
            if rule.id in seen:
                raise Invalid(f"{f.name}: rule id {rule.id!r} is already used in {seen[rule.id]}",
                              field="rules.id")
            seen[rule.id] = f.name


def combine(files: Sequence[RulesFile]) -> Rules:
    """Merge rule files, the built-in one first: later entity rules override, later classifications go first."""
    _unique_ids(files)
    entities: dict[str, EntityRule] = {}
    for f in files:
        entities.update({rule.entity: rule for rule in f.entities})
    return Rules(
        versions=tuple(f"{f.name}@{f.version}" for f in files),
        entities=entities,
        classification=tuple(r for f in reversed(files) for r in f.classification),
        levels=tuple(r for f in files for r in f.levels),
        grades=tuple(r for f in files for r in f.grades),
    )


def load_rules(extra: Sequence[Path] = ()) -> Rules:
    """The built-in rules extended by the operator's files, in the order given."""
    return combine([builtin_rules_file(), *(read_rules_file(p) for p in extra)])
