"""Index and query terms for Chinese text without spaces (pure tables)."""

from __future__ import annotations

import pytest

from yaosu.catalog.search import text_query
from yaosu.catalog.terms import index_terms, needs_confirmation, normalize, query_fragments, query_terms

INDEX_CASES = [
    pytest.param("港口吞吐量", {"港", "口", "吞", "吐", "量", "港口", "口吞", "吞吐", "吐量"},
                 id="chinese-no-spaces"),
    pytest.param("GDP统计2024", {"gdp", "统", "计", "统计", "2024"}, id="mixed-chinese-latin"),
    pytest.param("数据，目录。", {"数", "据", "数据", "目", "录", "目录"}, id="punctuation-splits-runs"),
    pytest.param("ＧＤＰ２０２４", {"gdp2024"}, id="full-width-latin-and-digits"),
    pytest.param("港", {"港"}, id="single-character"),
    pytest.param("", set(), id="empty"),
    pytest.param("  —— !!", set(), id="punctuation-only"),
    pytest.param("Open Data", {"open", "data"}, id="latin-words-lower-cased"),
    pytest.param("𠀀𠀁", {"𠀀", "𠀁", "𠀀𠀁"}, id="cjk-extension-b"),
]


@pytest.mark.parametrize(("text", "expected"), INDEX_CASES)
def test_index_terms(text: str, expected: set[str]) -> None:
    assert index_terms(text) == expected


QUERY_CASES = [
    pytest.param("港口", ["港口"], ["港口"], id="two-characters-one-bigram"),
    pytest.param("港口吞吐量", ["港口", "口吞", "吞吐", "吐量"], ["港口吞吐量"], id="run-of-five"),
    pytest.param("GDP 统计", ["gdp", "统计"], ["gdp", "统计"], id="mixed-with-space"),
    pytest.param("GDP统计", ["gdp", "统计"], ["gdp", "统计"], id="mixed-without-space"),
    pytest.param("港", ["港"], ["港"], id="single-character-unigram"),
    pytest.param("ＧＤＰ", ["gdp"], ["gdp"], id="full-width"),
    pytest.param("数据、数据", ["数据"], ["数据"], id="duplicates-removed"),
    pytest.param("", [], [], id="empty"),
    pytest.param("，。！", [], [], id="punctuation-only"),
]


@pytest.mark.parametrize(("query", "terms", "fragments"), QUERY_CASES)
def test_query_terms_and_fragments(query: str, terms: list[str], fragments: list[str]) -> None:
    assert query_terms(query) == terms
    assert query_fragments(query) == fragments


@pytest.mark.parametrize(("query", "indexed"), [
    pytest.param("港口", "港口吞吐量", id="bigram"),
    pytest.param("吞吐量", "港口吞吐量统计", id="trigram-inside"),
    pytest.param("gdp", "全市GDP统计", id="latin-inside-chinese"),
    pytest.param("统计", "ＧＤＰ统计", id="after-full-width"),
])
def test_every_query_term_is_an_index_term_of_a_matching_text(query: str, indexed: str) -> None:
    assert set(query_terms(query)) <= index_terms(indexed)


@pytest.mark.parametrize(("fragment", "needed"), [
    pytest.param("港", False, id="one-cjk-character"),
    pytest.param("港口", False, id="one-bigram"),
    pytest.param("港口岸", True, id="three-cjk-characters"),
    pytest.param("gdp", False, id="short-latin-word"),
    pytest.param("a" * 33, True, id="latin-word-longer-than-a-term"),
])
def test_needs_confirmation(fragment: str, needed: bool) -> None:
    assert needs_confirmation(fragment) is needed


@pytest.mark.parametrize(("query", "required", "optional", "confirm"), [
    pytest.param("港口", ("港口",), (), (), id="bigram-is-its-own-term"),
    pytest.param("港口岸", (), ("港口", "口岸"), ("港口岸",), id="trigram-confirmed-by-substring"),
    pytest.param("GDP港口岸", ("gdp",), ("港口", "口岸"), ("港口岸",), id="mixed"),
    pytest.param("", (), (), (), id="empty"),
])
def test_text_query(query: str, required: tuple[str, ...], optional: tuple[str, ...],
                    confirm: tuple[str, ...]) -> None:
    text = text_query(query)
    assert (text.required, text.optional, text.confirm) == (required, optional, confirm)


def test_normalize_folds_full_width_and_case() -> None:
    assert normalize("ＡＢＣ１２３Abc") == "abc123abc"
