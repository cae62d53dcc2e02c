"""Catalog filters, visibility per actor, and the frequent-word path (capped totals, newest-first walk)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.integration.catalog.conftest import MakeActor, MakeResource, search_as, titles_of
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.catalog import search


@pytest.fixture
def holders(person: MakeActor, make: MakeResource) -> dict[str, str]:
    """Two holders with resources across domains, classifications, grades and opening conditions."""
    first, second = person(Role.PROVIDER), person(Role.PROVIDER)
    public = {"classification": "public", "tags": ["目录样本"], "grade": "general"}
    traded = {"classification": "enterprise", "tags": ["目录样本"]}
    make(first, title="甲港口数据", domain="transport", level=2, open_condition="unconditional", **public)
    make(first, title="丁卫生数据", domain="health", level=1, open_condition="conditional", **public)
    make(second, title="乙金融数据", domain="finance", grade="important", level=None, **traded)
    make(second, title="丙交通数据", domain="transport", grade="general", level=3, **traded)
    return {"first": first.party_id, "second": second.party_id}


FILTER_CASES = [
    pytest.param({"domain": "transport"}, {"甲港口数据", "丙交通数据"}, id="domain"),
    pytest.param({"classification": "public"}, {"甲港口数据", "丁卫生数据"}, id="classification"),
    pytest.param({"grade": "important"}, {"乙金融数据"}, id="grade"),
    pytest.param({"open_condition": "conditional"}, {"丁卫生数据"}, id="open-condition"),
    pytest.param({"holder_party_id": "second"}, {"乙金融数据", "丙交通数据"}, id="holder"),
    pytest.param({"domain": "transport", "classification": "enterprise"}, {"丙交通数据"}, id="two-filters"),
    pytest.param({"domain": "energy"}, set(), id="nothing-in-domain"),
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
@pytest.mark.parametrize("q", ["", "目录样本", "数据"], ids=["no-words", "tag", "word"])
def test_filters(session: Session, holders: dict[str, str], filters: dict[str, str], expected: set[str],
                 q: str) -> None:
    if "holder_party_id" in filters:
        filters = {**filters, "holder_party_id": holders[filters["holder_party_id"]]}
    page = search_as(session, q=q, **filters)
    assert titles_of(page) == expected
    assert page.total == len(expected)


@pytest.fixture
def drafts(person: MakeActor, make: MakeResource) -> dict[str, Actor]:
    """An owner with a draft, a submitted and a cancelled resource, and a registered one by someone else."""
    owner, other = person(Role.PROVIDER), person(Role.PROVIDER)
    make(owner, status="draft", title="草稿港口资料")
    make(owner, status="submitted", title="待审港口资料")
    make(owner, status="cancelled", title="注销港口资料")
    make(other, status="notice", title="公示港口资料")
    return {"owner": owner, "third": person(Role.BUYER), "other": other}


@pytest.mark.parametrize(("who", "expected"), [
    pytest.param("anonymous", {"公示港口资料"}, id="anonymous-sees-public-only"),
    pytest.param("third", {"公示港口资料"}, id="third-party-sees-public-only"),
    pytest.param("other", {"公示港口资料"}, id="other-holder-sees-own-and-public"),
    pytest.param("owner", {"公示港口资料", "草稿港口资料", "待审港口资料"}, id="owner-sees-own-uncancelled"),
    pytest.param("operator", {"公示港口资料", "草稿港口资料", "待审港口资料", "注销港口资料"},
                 id="operator-all"),
])
@pytest.mark.parametrize("q", ["港口资料", "港口", ""], ids=["confirmed-word", "bigram", "no-words"])
def test_visibility(session: Session, operator: Actor, drafts: dict[str, Actor], who: str, expected: set[str],
                    q: str) -> None:
    actor = {"anonymous": Actor.anonymous(), "operator": operator}.get(who) or drafts[who]
    page = search_as(session, actor, q=q)
    assert titles_of(page) == expected
    assert page.total == len(expected)


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the planner's limits so a handful of rows takes the frequent-word path."""
    monkeypatch.setattr(search, "SMALL", 1)
    monkeypatch.setattr(search, "CAP", 3)
    monkeypatch.setattr(search, "WALK_FIRST", 2)


@pytest.mark.parametrize("q", ["高频", "高频词"], ids=["looked-up-word", "confirmed-word"])
@pytest.mark.parametrize("domain", [None, "transport"], ids=["postings-drive", "filter-drives"])
def test_frequent_words_count_to_a_cap_and_walk_newest_first(
        session: Session, person: MakeActor, make: MakeResource, operator: Actor, small_limits: None, q: str,
        domain: str | None) -> None:
    owner = person(Role.PROVIDER)
    titles = []
    for i in range(8):
        make(owner, title=f"高频词资源{i}", domain="transport")
        make(owner, title=f"高频词草稿{i}", domain="transport", status="draft")  # hidden from visitors
        titles.append(f"高频词资源{i}")
    make(owner, title="高频词其他领域", domain="energy", status="draft")
    newest = titles[::-1]
    query = {"q": q, "domain": domain, "page_size": 2}
    first = search_as(session, **query)
    assert [i.title for i in first.items] == newest[:2]
    assert (first.total, first.total_exact) == (3, False)
    second = search_as(session, **query, page=2)
    assert [i.title for i in second.items] == newest[2:4]
    last = search_as(session, **query, page=4)
    assert [i.title for i in last.items] == newest[6:8]
    assert (last.total, last.total_exact) == (8, True)
    everything = search_as(session, operator, q=q, domain=domain, page_size=20)
    assert everything.total == (16 if domain else 17) and everything.total_exact


def test_frequent_word_walk_sees_the_holders_own_drafts(session: Session, person: MakeActor,
                                                        make: MakeResource, small_limits: None) -> None:
    owner, other = person(Role.PROVIDER), person(Role.PROVIDER)
    for i in range(4):
        make(other, title=f"高频公开{i}")
    draft = make(owner, status="draft", title="高频草稿")
    assert [i.id for i in search_as(session, owner, q="高频", page_size=1).items] == [draft.id]
    assert draft.id not in {i.id for i in search_as(session, other, q="高频", page_size=5).items}
