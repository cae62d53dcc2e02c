"""Grading: column entities → PI category, sensitivity, level; the dataset's classification and grade.

Pure functions over the rules of `yaosu.privacy.grading_rules`. Every decision carries the id of
the rule that made it. The dataset's grade is `core` or `important` when a catalogue rule says so,
else `general-N`, N the highest of the level floors and the columns' levels (就高从严, DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from yaosu.privacy.grading_rules import Rules, When

GRADE_ORDER = {"important": 1, "core": 2}


@dataclass(frozen=True)
class ColumnGrade:
    """A column's grading: PI category (None: not PI), sensitive flag, level and the rule that said so."""

    name: str
    entity: str | None
    category: str | None = None
    subcategory: str | None = None
    sensitive: bool = False
    level: int | None = None
    rule: str | None = None
    embedded: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """A dataset-level verdict and the id of the rule that made it."""

    value: str
    rule: str


@dataclass(frozen=True)
class DatasetGrade:
    """Every column's grading plus the dataset's classification and grade, under `rules_version`."""

    columns: tuple[ColumnGrade, ...]
    classification: Decision
    grade: Decision
    rules_version: str


@dataclass(frozen=True)
class Facts:
    """What the conditions of dataset rules look at."""

    entities: frozenset[str]
    categories: frozenset[str]
    personal: bool
    sensitive: bool
    rows: int
    declared: str | None = None


def grade_column(rules: Rules, name: str, entity: str | None,
                 embedded: Mapping[str, int] | None = None) -> ColumnGrade:
    """Grade one column by its entity, or by a stronger entity embedded in it (就高从严)."""
    embedded = dict(embedded or {})
    own = rules.entities.get(entity) if entity else None
    options = [own] if own is not None else []
    options += [rules.entities[e] for e, n in sorted(embedded.items()) if n > 0 and e in rules.entities]
    if not options:
        return ColumnGrade(name, entity, embedded=embedded)
    pick = max(options, key=lambda r: (r.sensitive, r.level or 0))  # the first of equals: the column's own
    return ColumnGrade(name, entity, pick.category, pick.subcategory, pick.sensitive, pick.level, pick.id,
                       embedded)


def facts(columns: Sequence[ColumnGrade], rows: int, declared: str | None = None) -> Facts:
    """The dataset facts rule conditions test: entities present (own or embedded), categories, flags, rows."""
    entities = {c.entity for c in columns if c.entity} | {e for c in columns for e, n in c.embedded.items() if n}
    categories = frozenset(c.category for c in columns if c.category)
    return Facts(frozenset(entities), categories, personal=bool(categories),
                 sensitive=any(c.sensitive for c in columns), rows=rows, declared=declared)


def holds(when: When, f: Facts) -> bool:
    """True when every key of the condition holds for these facts."""
    checks = (
        all(e in f.entities for e in when.entities_all),
        not when.entities_any or any(e in f.entities for e in when.entities_any),
        not when.categories_any or any(c in f.categories for c in when.categories_any),
        when.personal is None or when.personal == f.personal,
        when.sensitive is None or when.sensitive == f.sensitive,
        when.declared is None or when.declared == f.declared,
        when.min_rows is None or f.rows >= when.min_rows,
    )
    return all(checks)


def classify_dataset(rules: Rules, f: Facts) -> Decision:
    """Personal / enterprise / public: the first classification rule whose condition holds."""
    for rule in rules.classification:
        if holds(rule.when, f):
            return Decision(rule.result, rule.id)
    return Decision("enterprise", "cls.none")  # only reached when every rule file drops the default


def _general_level(rules: Rules, columns: Sequence[ColumnGrade], f: Facts) -> Decision:
    candidates = [(r.level, r.id) for r in rules.levels if holds(r.when, f)]
    candidates += [(c.level, c.rule) for c in columns if c.level is not None and c.rule is not None]
    if not candidates:
        return Decision("general-1", "lvl.none")
    level, rule = max(candidates, key=lambda lr: lr[0])  # max keeps the first of equals: floors before columns
    return Decision(f"general-{level}", rule)


def grade_dataset(rules: Rules, columns: Sequence[ColumnGrade], f: Facts) -> Decision:
    """Core or important when a catalogue rule holds (the higher wins), else the general level."""
    hits = [r for r in rules.grades if holds(r.when, f)]
    if hits:
        top = max(hits, key=lambda r: GRADE_ORDER[r.result])
        return Decision(top.result, top.id)
    return _general_level(rules, columns, f)


def grade_table(rules: Rules, columns: Sequence[tuple[str, str | None, Mapping[str, int]]], rows: int,
                declared: str | None = None) -> DatasetGrade:
    """Grade every (name, entity, embedded) column, then classify and grade the dataset."""
    graded = tuple(grade_column(rules, name, entity, embedded) for name, entity, embedded in columns)
    f = facts(graded, rows, declared)
    return DatasetGrade(graded, classify_dataset(rules, f), grade_dataset(rules, graded, f), rules.version)
