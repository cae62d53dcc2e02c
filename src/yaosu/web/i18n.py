"""Message catalogs of the portal (zh-CN by default, English) and a per-request translator.

Labels of domain vocabularies in Chinese come from the domain's own *_ZH tables, so the
portal and the services never disagree; the English catalog carries their translations.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from typing import Any

from yaosu.auth.roles import ROLE_LABELS_ZH
from yaosu.registration.enums import KIND_ZH
from yaosu.resources.enums import CLASSIFICATION_ZH, DOMAINS, GRADE_ZH, OPEN_CONDITION_ZH
from yaosu.rights.enums import RIGHT_KIND_ZH

DEFAULT_LANG = "zh-CN"
LANGS = ("zh-CN", "en")

_ZH_TABLES: dict[str, Mapping[Any, str]] = {
    "classification": CLASSIFICATION_ZH, "grade": GRADE_ZH, "open_condition": OPEN_CONDITION_ZH,
    "domain": DOMAINS, "role": ROLE_LABELS_ZH, "right_kind": RIGHT_KIND_ZH, "registration_kind": KIND_ZH,
}


def domain_labels_zh() -> dict[str, str]:
    """Chinese labels of the domain vocabularies as catalog entries, e.g. 'grade.general'."""
    return {f"{prefix}.{key}": label for prefix, table in _ZH_TABLES.items() for key, label in table.items()}


@lru_cache(maxsize=len(LANGS))
def catalog(lang: str) -> dict[str, str]:
    """The full message catalog of `lang` (a key of LANGS)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    text = (files("yaosu.web") / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    messages: dict[str, str] = json.loads(text)
    return {**domain_labels_zh(), **messages} if lang == "zh-CN" else messages


class Translator:
    """`t(key, **params)` for one language, falling back to zh-CN and then to the key itself."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT_LANG
        self._messages = catalog(self.lang)

    def __call__(self, key: str, **params: Any) -> str:
        text = self._messages.get(key)
        if text is None:
            text = catalog(DEFAULT_LANG).get(key, key)
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        """True if the catalog of this language defines `key`."""
        return key in self._messages

    def label(self, vocabulary: str, value: object) -> str:
        """The label of a vocabulary value, e.g. label('grade', 'general') → '一般数据'."""
        if value is None or value == "":
            return ""
        key = f"{vocabulary}.{value}"
        return self(key) if key in self._messages or key in catalog(DEFAULT_LANG) else str(value)
