"""Catalog search through the service: words in titles, descriptions and tags; no false hits; paging."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from tests.integration.catalog.conftest import MakeActor, MakeResource, search_as, titles_of
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.catalog.schemas import CatalogQuery
from yaosu.catalog.service import search_catalog
from yaosu.errors import Invalid


@pytest.fixture
def corpus(person: MakeActor, make: MakeResource) -> dict[str, str]:
    """A few published resources with distinctive words; returns title -> id."""
    provider = person(Role.PROVIDER)
    made = [
        make(provider, title="港口吞吐量统计", description="集装箱与散货的月度数据", tags=["航运"]),
        make(provider, title="数据港口", description="口岸数据汇总"),  # has 港口 and 口岸, never 港口岸
        make(provider, title="港口岸线资源", description="岸线利用现状"),
        make(provider, title="全市GDP核算", description="按季度发布", tags=["宏观经济"]),
        # U+F900 is the compatibility form of 豈 (U+8C48): NFKC folds it in index and query alike
        make(provider, title="\uf900港口岸标准化", description="兼容汉字"),
    ]
    return {r.title: r.id for r in made}


@pytest.mark.parametrize(("q", "expected"), [
    pytest.param("港口", {"港口吞吐量统计", "数据港口", "港口岸线资源", "\uf900港口岸标准化"},
                 id="two-character-word-in-titles"),
    pytest.param("吞吐量", {"港口吞吐量统计"}, id="three-character-word-inside-title"),
    pytest.param("集装箱", {"港口吞吐量统计"}, id="word-in-description"),
    pytest.param("航运", {"港口吞吐量统计"}, id="tag"),
    pytest.param("宏观经济", {"全市GDP核算"}, id="four-character-tag"),
    pytest.param("线资源", {"港口岸线资源"}, id="three-characters-confirmed"),
    pytest.param("港口岸", {"港口岸线资源", "\uf900港口岸标准化"}, id="no-hit-where-only-bigrams-occur"),
    pytest.param("数据港口岸", set(), id="bigrams-present-but-not-contiguous-are-no-hit"),
    pytest.param("\u8c48港口岸", {"\uf900港口岸标准化"}, id="compatibility-ideograph-normalized"),
    pytest.param("岸", {"数据港口", "港口岸线资源", "\uf900港口岸标准化"}, id="single-character"),
    pytest.param("gdp", {"全市GDP核算"}, id="latin-word-case-folded"),
    pytest.param("ＧＤＰ核算", {"全市GDP核算"}, id="full-width-and-chinese"),
    pytest.param("港口 季度", set(), id="all-words-must-match"),
    pytest.param("冷链物流", set(), id="absent-word"),
])
def test_keywordsearch_as(session: Session, corpus: dict[str, str], q: str, expected: set[str]) -> None:
    page = search_as(session, q=q)
    assert titles_of(page) == expected
    assert page.total == len(expected) and page.total_exact


def test_items_carry_holder_name_and_metadata(session: Session, person: MakeActor,
                                              make: MakeResource) -> None:
    provider = person(Role.PROVIDER, name="东海港务集团")
    made = make(provider, title="泊位作业计划", tags=["港务"])
    [item] = search_as(session, q="泊位").items
    assert (item.id, item.holder_name, item.holder_party_id) == (made.id, "东海港务集团", provider.party_id)
    assert (item.tags, item.status, item.domain) == (["港务"], "registered", "commerce")


def test_pages_are_newest_first_with_total(session: Session, person: MakeActor, make: MakeResource) -> None:
    provider = person(Role.PROVIDER)
    titles = [make(provider, title=f"分页样本{i:02d}").title for i in range(25)]
    newest_first = titles[::-1]
    first = search_as(session, q="分页样本", page_size=10)
    second = search_as(session, q="分页样本", page=2, page_size=10)
    last = search_as(session, q="分页样本", page=3, page_size=10)
    assert (first.total, second.total, last.total) == (25, 25, 25)
    assert [i.title for i in second.items] == newest_first[10:20]
    assert [i.title for i in last.items] == newest_first[20:]
    assert [i.title for i in first.items] == newest_first[:10]


def test_empty_query_lists_by_filters_only(session: Session, person: MakeActor, make: MakeResource) -> None:
    provider = person(Role.PROVIDER)
    make(provider, title="气象观测站点", domain="meteorology")
    make(provider, title="降水量日报", domain="meteorology")
    page = search_as(session, domain="meteorology")
    assert titles_of(page) == {"气象观测站点", "降水量日报"}


def test_query_longer_than_100_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        CatalogQuery(q="港" * 101)
    assert err.value.errors()[0]["loc"] == ("q",)


def test_service_refuses_too_long_query_even_unvalidated(session: Session) -> None:
    with pytest.raises(Invalid) as err:
        search_catalog(session=session, actor=Actor.anonymous(), query=CatalogQuery.model_construct(
            q="港" * 101, domain=None, classification=None, grade=None, open_condition=None,
            holder_party_id=None, page=1, page_size=20))
    assert err.value.field == "q"


def test_query_with_more_than_30_terms_is_refused(session: Session) -> None:
    distinct = "".join(chr(0x4E00 + i * 7) for i in range(32))  # 32 characters: 31 bigrams
    with pytest.raises(Invalid) as err:
        search_as(session, q=distinct)
    assert err.value.field == "q"


def test_statements_do_not_grow_with_the_page(session: Session, engine: Engine, person: MakeActor,
                                              make: MakeResource) -> None:
    for _ in range(20):
        make(person(Role.PROVIDER), title="批量样本资源")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = search_as(session, q="批量样本")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(page.items) == 20 and len({i.holder_name for i in page.items}) == 20
    assert len(statements) <= 6, statements
