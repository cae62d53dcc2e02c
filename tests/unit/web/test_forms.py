"""Form values become a ResourceCreate; its errors land on the right field with a localized message."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

from yaosu.errors import Conflict, PolicyViolation
from yaosu.web.forms import (
    FIELD_NAMES,
    FORM_ERROR,
    form_values,
    parse_resource,
    service_errors,
    validation_errors,
)
from yaosu.web.i18n import Translator

HASH = hashlib.sha256(b"x").hexdigest()


def values(**overrides: str) -> dict[str, str]:
    body = {"title": "港口吞吐量", "domain": "transport", "classification": "enterprise", "grade": "general",
            "level": "2", "update_frequency": "monthly", "content_hash": HASH, "row_count": "10"}
    body.update(overrides)
    return form_values(body)


def errors(lang: str = "zh-CN", **overrides: str) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse_resource(values(**overrides))
    return validation_errors(caught.value, Translator(lang))


def test_form_values_keep_only_form_fields_trimmed() -> None:
    got = form_values({"title": "  港口 ", "csrf_token": "t", "evil": "x"})
    assert set(got) == FIELD_NAMES and got["title"] == "港口" and got["tags"] == ""


@pytest.mark.parametrize(("tags", "expected"), [
    ("港口，集装箱", ["港口", "集装箱"]),
    ("a, b;c、d", ["a", "b", "c", "d"]),
    ("", []),
    ("港口, 港口", ["港口"]),
])
def test_tags_split_on_chinese_and_latin_separators(tags: str, expected: list[str]) -> None:
    assert parse_resource(values(tags=tags)).tags == expected


def test_valid_values_parse() -> None:
    data = parse_resource(values(level="3", data_item_code=""))
    got = (data.level, data.data_item_code, data.version.row_count, data.version.content_hash)
    assert got == (3, None, 10, HASH)


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"content_hash": "xyz"}, "content_hash", "SHA-256"),
    ({"row_count": ""}, "row_count", "必填"),
    ({"row_count": "-1"}, "row_count", "不能小于 0"),
    ({"title": "a"}, "title", "至少需要 2 个字符"),
    ({"domain": "space"}, "domain", "行业领域"),
    ({"classification": "secret"}, "classification", "有效的选项"),
    ({"level": ""}, "level", "1–4 级"),
    ({"grade": "important"}, "level", "1–4 级"),
    ({"classification": "public"}, "open_condition", "开放属性"),
    ({"data_item_code": "X1"}, "open_condition", "公共数据"),
], ids=["hash", "rows-missing", "rows-negative", "title", "domain", "classification", "level-missing",
        "level-not-allowed", "open-condition-missing", "item-code-not-public"])
def test_errors_land_on_their_field(overrides: dict[str, str], field: str, fragment: str) -> None:
    got = errors(**overrides)
    assert fragment in got.get(field, ""), got


def test_errors_in_english() -> None:
    assert errors("en", row_count="")["row_count"] == "This field is required."


@pytest.mark.parametrize(("exc", "field", "message"), [
    (PolicyViolation("core data may not be registered", field="grade", code="core_data_refused"), "grade",
     "核心数据不得登记或交易。"),
    (Conflict("content unchanged", field="content_hash"), "content_hash", "content unchanged"),
    (Conflict("something else", field="actor"), FORM_ERROR, "something else"),
])
def test_service_errors(exc: Exception, field: str, message: str) -> None:
    assert isinstance(exc, PolicyViolation | Conflict)
    assert service_errors(exc, Translator("zh-CN")) == {field: message}
