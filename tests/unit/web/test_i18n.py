"""Both catalogs carry the same keys, every key the templates ask for exists, vocabularies are labelled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yaosu.auth.roles import Role
from yaosu.registration.enums import RegistrationKind, RegistrationStatus
from yaosu.resources.enums import (
    DOMAINS,
    Classification,
    Grade,
    OpenCondition,
    ResourceStatus,
    UpdateFrequency,
)
from yaosu.rights.enums import RightKind, RightOrigin, RightStatus
from yaosu.web.i18n import LANGS, Translator, catalog

WEB = Path(__file__).resolve().parents[3] / "src" / "yaosu" / "web"
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")
_FLASH_KEY = re.compile(r"""flash\(request,\s*["']([a-z_.]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        keys.update(_LITERAL_KEY.findall(text))
        keys.update(_FLASH_KEY.findall(text))
    return keys


VOCABULARIES = [
    ("classification", list(Classification)), ("grade", list(Grade)), ("open_condition", list(OpenCondition)),
    ("domain", list(DOMAINS)), ("role", list(Role)), ("right_kind", list(RightKind)),
    ("right_origin", list(RightOrigin)), ("right_status", list(RightStatus)),
    ("registration_kind", list(RegistrationKind)), ("registration_status", list(RegistrationStatus)),
    ("resource_status", list(ResourceStatus)), ("update_frequency", list(UpdateFrequency)),
    ("level", ["1", "2", "3", "4"]),
]


def test_catalogs_have_the_same_keys() -> None:
    assert set(catalog("zh-CN")) == set(catalog("en"))


def test_templates_use_only_known_keys() -> None:
    keys = used_keys()
    assert len(keys) > 50  # the scan found the templates
    assert sorted(keys - set(catalog("zh-CN"))) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("vocabulary", "values"), VOCABULARIES, ids=[v for v, _ in VOCABULARIES])
def test_every_vocabulary_value_has_a_label(lang: str, vocabulary: str, values: list[str]) -> None:
    t = Translator(lang)
    for value in values:
        assert t.has(f"{vocabulary}.{value}"), f"{lang}: {vocabulary}.{value}"


@pytest.mark.parametrize(("lang", "vocabulary", "value", "expected"), [
    ("zh-CN", "grade", "general", "一般数据"),
    ("zh-CN", "classification", "public", "公共数据"),
    ("zh-CN", "right_kind", "processing", "数据加工使用权"),
    ("zh-CN", "domain", "transport", "交通运输"),
    ("en", "grade", "general", "General data"),
    ("en", "domain", "transport", "Transport"),
    ("zh-CN", "grade", "unknown-value", "unknown-value"),
    ("zh-CN", "grade", None, ""),
])
def test_label(lang: str, vocabulary: str, value: str | None, expected: str) -> None:
    assert Translator(lang).label(vocabulary, value) == expected


@pytest.mark.parametrize(("lang", "key", "params", "expected"), [
    ("zh-CN", "catalog.total", {"total": 3}, "共 3 条结果"),
    ("en", "catalog.total", {"total": 3}, "3 result(s)"),
    ("en", "no.such.key", {}, "no.such.key"),
    ("xx", "nav.home", {}, "首页"),
])
def test_translate(lang: str, key: str, params: dict[str, int], expected: str) -> None:
    assert Translator(lang)(key, **params) == expected


def test_no_chinese_left_in_the_english_catalog_except_examples() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    allowed = {"lang.switch", "catalog.q_placeholder"}
    leaks = [k for k, v in catalog("en").items() if cjk.search(v) and k not in allowed]
    assert leaks == []
