"""Grading rules: entity → category / sensitive / level, dataset classification and grade, each with its rule id."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from yaosu.errors import Invalid
from yaosu.privacy.grading import ColumnGrade, grade_column, grade_table
from yaosu.privacy.grading_rules import builtin_rules_file, combine, load_rules, parse_rules_file, read_rules_file

RULES = load_rules()
EXAMPLE = Path(__file__).parents[3] / "src/yaosu/privacy/rules/examples/important-data.example.yaml"


@pytest.mark.parametrize(("entity", "category", "sensitive", "level", "rule"), [
    pytest.param("CN_BANK_CARD", "个人财产信息", True, 4, "ent.bank_card", id="bank-card-sensitive"),
    pytest.param("GPS_COORDINATE", "个人位置信息", True, 4, "ent.gps", id="tracks-sensitive"),
    pytest.param("MEDICAL", "个人健康生理信息", True, 4, "ent.medical", id="medical-sensitive"),
    pytest.param("RELIGION", "其他个人信息", True, 4, "ent.religion", id="religion-sensitive"),
    pytest.param("CN_ID_CARD", "个人身份信息", False, 3, "ent.id_card", id="id-number-not-sensitive-45574"),
    pytest.param("CN_MOBILE", "个人基本资料", False, 2, "ent.mobile", id="mobile-basic"),
    pytest.param("IP_ADDRESS", "网络身份标识信息", False, 2, "ent.ip_address", id="ip-network-id"),
    pytest.param("IMEI", "个人设备信息", False, 2, "ent.imei", id="imei-device"),
    pytest.param("CN_USCC", None, False, 1, "ent.uscc", id="uscc-not-pi"),
    pytest.param("FREE_TEXT", None, False, None, "ent.free_text", id="prose-alone"),
    pytest.param(None, None, False, None, None, id="no-entity"),
    pytest.param("SOMETHING_NEW", None, False, None, None, id="unknown-entity"),
])
def test_column_grading(entity: str | None, category: str | None, sensitive: bool, level: int | None,
                        rule: str | None) -> None:
    got = grade_column(RULES, "c", entity)
    assert (got.category, got.sensitive, got.level, got.rule) == (category, sensitive, level, rule)


@pytest.mark.parametrize(("entity", "embedded", "rule", "level"), [
    pytest.param("FREE_TEXT", {"CN_MOBILE": 3}, "ent.mobile", 2, id="prose-with-phones"),
    pytest.param("FREE_TEXT", {"CN_MOBILE": 3, "CN_BANK_CARD": 1}, "ent.bank_card", 4, id="strongest-embedded"),
    pytest.param("FREE_TEXT", {"CN_BANK_CARD": 0}, "ent.free_text", None, id="zero-count-ignored"),
    pytest.param("CN_ID_CARD", {"CN_MOBILE": 2}, "ent.id_card", 3, id="own-entity-stronger"),
    pytest.param("CN_MOBILE", {"CN_ID_CARD": 2}, "ent.id_card", 3, id="embedded-stronger"),
])
def test_embedded_entities_raise_a_column(entity: str, embedded: dict[str, int], rule: str, level: int | None) -> None:
    got = grade_column(RULES, "c", entity, embedded)
    assert (got.rule, got.level) == (rule, level)


Cols = list[tuple[str, str | None, Mapping[str, int]]]


@pytest.mark.parametrize(("columns", "rows", "declared", "classification", "grade"), [
    pytest.param([("a", None, {}), ("b", None, {})], 10, None,
                 ("enterprise", "cls.default"), ("general-1", "lvl.default"), id="nothing-found"),
    pytest.param([("a", "CN_USCC", {})], 10, None,
                 ("enterprise", "cls.enterprise_ids"), ("general-1", "lvl.default"), id="company-codes"),
    pytest.param([("a", None, {})], 10, "public",
                 ("public", "cls.public_declared"), ("general-1", "lvl.default"), id="declared-public"),
    pytest.param([("a", "CN_MOBILE", {})], 10, "public",
                 ("personal", "cls.personal"), ("general-2", "lvl.general_pi"), id="pi-beats-declared-public"),
    pytest.param([("a", "CN_MOBILE", {}), ("b", "CN_ID_CARD", {})], 10, None,
                 ("personal", "cls.personal"), ("general-3", "ent.id_card"), id="id-column-level-3"),
    pytest.param([("a", "CN_MOBILE", {}), ("b", "CN_BANK_CARD", {})], 10, None,
                 ("personal", "cls.personal"), ("general-4", "lvl.sensitive_pi"), id="sensitive-floor-4"),
    pytest.param([("a", "FREE_TEXT", {"GPS_COORDINATE": 5})], 10, None,
                 ("personal", "cls.personal"), ("general-4", "lvl.sensitive_pi"), id="embedded-counts"),
])
def test_dataset_classification_and_grade(columns: Cols, rows: int, declared: str | None,
                                          classification: tuple[str, str], grade: tuple[str, str]) -> None:
    got = grade_table(RULES, columns, rows, declared)
    assert (got.classification.value, got.classification.rule) == classification
    assert (got.grade.value, got.grade.rule) == grade
    assert got.rules_version.startswith("yaosu-grading@")


EXTENDED = load_rules([EXAMPLE])


@pytest.mark.parametrize(("columns", "rows", "grade"), [
    pytest.param([("id", "CN_ID_CARD", {}), ("gps", "GPS_COORDINATE", {})], 1_000_000,
                 ("important", "imp.example.identity_tracks"), id="catalogue-combination"),
    pytest.param([("id", "CN_ID_CARD", {}), ("gps", "GPS_COORDINATE", {})], 999_999,
                 ("general-4", "lvl.sensitive_pi"), id="under-row-threshold"),
    pytest.param([("id", "CN_ID_CARD", {})], 5_000_000, ("general-3", "lvl.example.pi_scale"), id="scale-floor"),
    pytest.param([("card", "CN_BANK_CARD", {})], 10_000_000, ("important", "imp.example.sensitive_scale"),
                 id="sensitive-at-scale"),
])
def test_operator_catalogue_extends_the_grades(columns: Cols, rows: int, grade: tuple[str, str]) -> None:
    got = grade_table(EXTENDED, columns, rows)
    assert (got.grade.value, got.grade.rule) == grade
    assert got.rules_version == "yaosu-grading@2026.11.1+example-industry-catalogue@0.1"


def test_core_outranks_important() -> None:
    ext = parse_rules_file("""
name: core-cat
version: "1"
grades:
  - {id: imp.any_pi, when: {personal: true}, result: important}
  - {id: core.ids, when: {entities_any: [CN_ID_CARD]}, result: core}
""", "core.yaml")
    rules = combine([builtin_rules_file(), ext])
    got = grade_table(rules, [("id", "CN_ID_CARD", {})], 1)
    assert (got.grade.value, got.grade.rule) == ("core", "core.ids")


def test_operator_overrides_an_entity_and_classification_goes_first() -> None:
    ext = parse_rules_file("""
name: strict
version: "2"
entities:
  - {id: strict.id_card, entity: CN_ID_CARD, category: 个人身份信息, sensitive: true, level: 4}
classification:
  - {id: strict.ids_public, when: {entities_all: [CN_USCC]}, result: public}
""", "strict.yaml")
    rules = combine([builtin_rules_file(), ext])
    column = grade_column(rules, "id", "CN_ID_CARD")
    assert (column.sensitive, column.level, column.rule) == (True, 4, "strict.id_card")
    assert grade_table(rules, [("c", "CN_USCC", {})], 1).classification.rule == "strict.ids_public"


@pytest.mark.parametrize(("text", "message", "field"), [
    pytest.param("name: x\nversion: '1'\ngrades: [{id: g.1, when: {}, result: secret}]", "grades.0.result",
                 "rules.grades.0.result", id="bad-grade"),
    pytest.param("name: x\nversion: '1'\nlevels: [{id: l.1, level: 7}]", "levels.0.level",
                 "rules.levels.0.level", id="level-out-of-range"),
    pytest.param("name: x\nversion: '1'\ngrades: [{id: g.1, when: {rows_over: 5}, result: core}]",
                 "grades.0.when.rows_over", "rules.grades.0.when.rows_over", id="unknown-condition"),
    pytest.param("name: x\nentities: []", "version", "rules.version", id="missing-version"),
    pytest.param("name: x\nversion: '1'\nentities: [{id: e.1, entity: X_Y, sensitive: true}]",
                 "needs a personal-information category", "rules.entities.0", id="sensitive-without-category"),
    pytest.param("- just\n- a list", "a rules file is a mapping", "rules", id="not-a-mapping"),
    pytest.param("name: [unclosed", "not valid YAML", "rules", id="bad-yaml"),
    pytest.param("name: x\nversion: '1'\nlevels: [{id: 'Bad Id', level: 2}]", "levels.0.id",
                 "rules.levels.0.id", id="bad-rule-id"),
])
def test_bad_rules_files_are_clear_errors(text: str, message: str, field: str) -> None:
    with pytest.raises(Invalid, match=message) as err:
        parse_rules_file(text, "ext.yaml")
    assert err.value.field == field and str(err.value).startswith("ext.yaml: ")


def test_duplicate_rule_ids_across_files_are_rejected() -> None:
    ext = parse_rules_file("name: dup\nversion: '1'\nlevels: [{id: lvl.default, level: 2}]", "dup.yaml")
    with pytest.raises(Invalid, match=r"rule id 'lvl\.default' is already used in yaosu-grading"):
        combine([builtin_rules_file(), ext])


def test_rules_file_on_disk_is_bounded_and_must_exist(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="no such rules file"):
        read_rules_file(tmp_path / "missing.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (2 << 20))
    with pytest.raises(Invalid, match="at most"):
        read_rules_file(big)


def test_every_builtin_rule_is_used_by_a_known_entity_and_ids_are_unique() -> None:
    builtin = builtin_rules_file()
    ids = [r.id for r in (*builtin.entities, *builtin.classification, *builtin.levels)]
    assert len(ids) == len(set(ids))
    assert {r.entity for r in builtin.entities} >= {"CN_ID_CARD", "CN_MOBILE", "CN_BANK_CARD", "EMAIL", "IMEI"}
    assert isinstance(grade_column(RULES, "x", "EMAIL"), ColumnGrade)


def test_every_registered_detector_has_a_grading_rule() -> None:
    """A new detector without an entity rule would be graded as 'no category': make that a failing test."""
    from yaosu.privacy.detect import DETECTORS
    assert {cls.entity for _, cls in DETECTORS.items()} <= set(RULES.entities)
