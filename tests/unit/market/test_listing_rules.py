"""Every listing rule allowed and refused, with the reason and the fix shown; operator rule files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from yaosu.errors import Invalid
from yaosu.market.listing_rules import SourceFacts, Submission, load_rules, review

RULES = load_rules()
BOTH = frozenset({"holding", "processing", "operation"})
GENERAL = SourceFacts("r-general", "enterprise", "general", "commerce", BOTH)
OK = Submission(sources=[GENERAL], list_price=50_000, declaration_signed=True)


def _rules_failed(submission: Submission) -> list[tuple[str, str | None]]:
    return [(f.rule, f.resource_id) for f in review(RULES, submission)]


@pytest.mark.parametrize(("submission", "failed"), [
    (OK, []),
    (replace(OK, declaration_signed=False), [("declaration.signed", None)]),
    (replace(OK, sources=[replace(GENERAL, lister_rights=frozenset({"processing"}))]),
     [("rights.processing_and_operation", "r-general")]),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-core", grade="core")]), [("grade.core_never", "r-core")]),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-imp", grade="important")]),
     [("grade.important_assessment", "r-imp")]),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-imp", grade="important")], security_assessment="SA-2026-7"),
     []),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-pi", classification="personal")]),
     [("personal.deidentified_or_consent", "r-pi")]),
    (replace(OK, sources=[replace(GENERAL, classification="personal", de_identified=True)]), []),
    (replace(OK, sources=[replace(GENERAL, classification="personal")], consent_basis="单独同意 2026-03"), []),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-pub", classification="public")]),
     [("public.authorized_operation", "r-pub")]),
    (replace(OK, sources=[replace(GENERAL, classification="public", operation_granted=True)]), []),
    (replace(OK, sources=[replace(GENERAL, resource_id="r-pub", classification="public", operation_granted=True)],
             list_price=1_000_001), [("public.price_cap", "r-pub")]),
    (replace(OK, sources=[GENERAL, replace(GENERAL, resource_id="r-core", grade="core")],
             declaration_signed=False),
     [("grade.core_never", "r-core"), ("declaration.signed", None)]),
], ids=["allowed", "no-declaration", "missing-operation-right", "core", "important-without-assessment",
        "important-with-assessment", "personal-raw", "personal-deidentified", "personal-consent",
        "public-without-grant", "public-with-grant", "public-above-cap", "several"])
def test_each_rule(submission: Submission, failed: list[tuple[str, str | None]]) -> None:
    assert _rules_failed(submission) == failed


def test_findings_say_why_and_what_to_fix() -> None:
    finding = review(RULES, replace(OK, sources=[replace(GENERAL, grade="core")]))[0]
    assert "核心数据不得挂牌交易" in finding.reason and "core data is never listed" in finding.reason
    assert finding.fix


def test_an_operator_file_adds_rules_and_caps(tmp_path: Path) -> None:
    path = tmp_path / "transport.yaml"
    path.write_text("version: transport-1\npublic_price_caps_fen: {transport: 100}\nrules:\n"
                    "  - id: transport.no_trajectories\n    when: {domain: transport, grade: important}\n"
                    "    refuse: true\n    message: 交通轨迹类重要数据不得交易 / no important trajectories\n",
                    encoding="utf-8")
    rules = load_rules([path])
    assert rules.version == "2026.11.1+transport-1" and rules.cap_for("transport") == 100
    source = replace(GENERAL, domain="transport", grade="important")
    found = [f.rule for f in review(rules, replace(OK, sources=[source], security_assessment="SA-1"))]
    assert found == ["transport.no_trajectories"]


@pytest.mark.parametrize(("text", "message"), [
    ("version: x\nrules:\n  - id: a\n    refuse: true\n    require: declaration\n    message: m\n", "either"),
    ("version: x\nrules:\n  - id: a\n    require: telepathy\n    message: m\n", "unknown check"),
    ("version: x\nrules:\n  - id: a\n    when: {colour: red}\n    refuse: true\n    message: m\n", "when"),
    ("- just a list\n", "mapping"),
    ("rules: [\n", "not YAML"),
])
def test_bad_rule_files_are_refused_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Invalid, match=message):
        load_rules([path])
