"""Input bounds of registrations and objections."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from yaosu.registration.schemas import EvidenceItem, ObjectionCreate, RegistrationCreate, ResourceChange

OK_DETAILS: dict[str, dict[str, Any]] = {
    "empty": {},
    "fifty-keys": {f"k{i}": i for i in range(50)},
    "nested": {"statement": {"source": "self-collected", "hashes": ["a" * 64]}},
    "just-under-20kb": {"text": "x" * (20 * 1024 - 20)},
}
BAD_DETAILS: dict[str, dict[str, Any]] = {
    "fifty-one-keys": {f"k{i}": i for i in range(51)},
    "over-20kb": {"text": "x" * (20 * 1024)},
    "over-20kb-chinese": {"text": "数" * 7000},
    "not-a-json-number": {"x": float("nan")},
}


@pytest.mark.parametrize("details", OK_DETAILS.values(), ids=OK_DETAILS.keys())
def test_details_within_bounds_pass(details: dict[str, Any]) -> None:
    data = RegistrationCreate(kind="initial", resource_id="r1", details=details)  # type: ignore[arg-type]
    assert data.details == details


@pytest.mark.parametrize("details", BAD_DETAILS.values(), ids=BAD_DETAILS.keys())
def test_details_beyond_bounds_fail(details: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        RegistrationCreate(kind="initial", resource_id="r1", details=details)  # type: ignore[arg-type]
    assert err.value.errors()[0]["loc"] == ("details",)


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "gift", "resource_id": "r1"}, "kind"),
    ({"kind": "initial", "resource_id": ""}, "resource_id"),
    ({"kind": "initial", "resource_id": "r1", "surprise": 1}, "surprise"),
    ({"kind": "licence", "resource_id": "r1", "right_id": "x" * 27}, "right_id"),
], ids=["unknown-kind", "empty-resource", "extra-field", "overlong-right-id"])
def test_registration_create_rejects(body: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        RegistrationCreate.model_validate(body)
    assert err.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize(("sha", "ok"), [
    ("a" * 64, True), ("A" * 64, True), ("a" * 63, False), ("g" * 64, False), ("", False),
], ids=["lower-hex", "upper-hex-normalized", "63-chars", "not-hex", "empty"])
def test_evidence_sha256_is_64_hex(sha: str, ok: bool) -> None:
    if ok:
        assert EvidenceItem(name="合同扫描件", sha256=sha).sha256 == sha.lower()
    else:
        with pytest.raises(ValidationError):
            EvidenceItem(name="合同扫描件", sha256=sha)


@pytest.mark.parametrize(("body", "ok"), [
    ({"reasons": "该数据来源于本公司"}, True),
    ({"reasons": "x" * 5000}, True),
    ({"reasons": "x" * 5001}, False),
    ({"reasons": ""}, False),
    ({"reasons": "   "}, False),
    ({"reasons": "ok", "evidence": [{"name": f"e{i}", "sha256": "b" * 64} for i in range(20)]}, True),
    ({"reasons": "ok", "evidence": [{"name": f"e{i}", "sha256": "b" * 64} for i in range(21)]}, False),
], ids=["plain", "5000-chars", "5001-chars", "empty", "blank", "20-evidence", "21-evidence"])
def test_objection_bounds(body: dict[str, Any], ok: bool) -> None:
    if ok:
        assert ObjectionCreate.model_validate(body).reasons.strip()
    else:
        with pytest.raises(ValidationError):
            ObjectionCreate.model_validate(body)


@pytest.mark.parametrize(("body", "ok"), [
    ({"title": "新标题"}, True),
    ({"tags": [" a ", "a", "b"]}, True),
    ({"update_frequency": "daily"}, True),
    ({"title": "x"}, False),
    ({"update_frequency": "hourly"}, False),
    ({"grade": "core"}, False),
    ({"tags": ["x" * 41]}, False),
], ids=["title", "tags-deduplicated", "frequency", "title-too-short", "unknown-frequency",
        "grade-not-changeable", "tag-too-long"])
def test_resource_change_rules(body: dict[str, Any], ok: bool) -> None:
    if ok:
        change = ResourceChange.model_validate(body)
        assert change.tags in (None, ["a", "b"])
    else:
        with pytest.raises(ValidationError):
            ResourceChange.model_validate(body)
