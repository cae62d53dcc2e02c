"""Home, catalog, resource detail, chain of title, operator queue, and the closed-network rule."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.web.conftest import Portal
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.registration import service as registration
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.models import Objection
from yaosu.registration.schemas import ObjectionCreate, RegistrationCreate
from yaosu.resources.models import Resource
from yaosu.rights.service import list_rights

STATIC = Path(__file__).resolve().parents[3] / "src" / "yaosu" / "web" / "static"


def in_notice(factory: Factory, operator: Actor, provider: Actor, **overrides: object) -> Resource:
    """A resource of `provider`, submitted and put on public notice."""
    resource = factory.resource(provider, **overrides)
    reg = registration.submit_registration(session=factory.session, actor=provider, data=RegistrationCreate(
        kind=RegistrationKind.INITIAL, resource_id=resource.id))
    registration.start_notice(session=factory.session, actor=operator, registration_id=reg.id)
    factory.session.flush()
    return resource


def titles(html: str) -> list[str]:
    return re.findall(r'<a href="/resources/[0-9A-Z]+">([^<]+)</a>', html)


def test_catalog_search_finds_public_resources_and_hides_drafts(
        portal: Portal, factory: Factory, operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    in_notice(factory, operator, provider, title="港口集装箱吞吐量统计")
    in_notice(factory, operator, provider, title="城市道路交通流量")
    factory.resource(provider, title="港口吞吐量草稿")  # draft: not public
    found = titles(portal.client.get("/catalog", params={"q": "吞吐"}).text)
    assert found == ["港口集装箱吞吐量统计"]
    portal.login(provider)
    assert sorted(titles(portal.client.get("/catalog", params={"q": "吞吐"}).text)) == \
        ["港口吞吐量草稿", "港口集装箱吞吐量统计"]


def test_catalog_filters_and_paging(portal: Portal, factory: Factory, operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    for n in range(21):
        in_notice(factory, operator, provider, title=f"金融风控数据{n:02d}", domain="finance")
    in_notice(factory, operator, provider, title="气象观测数据", domain="meteorology")
    first = portal.client.get("/catalog", params={"domain": "finance"})
    assert "共 21 条结果" in first.text and "第 1 / 2 页" in first.text
    assert len(titles(first.text)) == 20 and "气象观测数据" not in first.text
    second = portal.client.get("/catalog", params={"domain": "finance", "page": 2})
    assert len(titles(second.text)) == 1
    assert "气象观测数据" in portal.client.get("/catalog", params={"domain": "meteorology"}).text


@pytest.mark.parametrize("query", ["page=0", "page=-3", "page=abc"])
def test_bad_catalog_parameters_give_a_friendly_page(portal: Portal, query: str) -> None:
    res = portal.client.get(f"/catalog?{query}")
    assert res.status_code == 422
    assert "请求无效" in res.text and res.headers["content-type"].startswith("text/html")


def test_home_counts_and_latest(portal: Portal, factory: Factory, operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    in_notice(factory, operator, provider, title="公共交通刷卡数据", classification="public",
              open_condition="conditional")
    in_notice(factory, operator, provider, title="企业用电数据")
    home = portal.client.get("/").text
    assert "公共交通刷卡数据" in home and "企业用电数据" in home
    assert re.search(r'<span class="num">1</span><span class="cap">公共数据</span>', home)


def test_resource_detail_shows_labels_versions_rights_and_registration(
        portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    provider = factory.actor(Role.PROVIDER, name="北方电网数据中心")
    resource = in_notice(factory, operator, provider, title="用电负荷数据", level=3)
    portal.login(factory.actor(Role.BUYER))
    page = portal.client.get(f"/resources/{resource.id}").text
    assert "企业数据" in page and "一般数据 · 3级" in page and "商贸流通" in page
    assert resource.versions[0].content_hash in page
    assert "数据资源持有权" in page and "数据加工使用权" in page and "数据产品经营权" in page
    assert "北方电网数据中心" in page
    assert "首次登记" in page and "公示中" in page
    for right in list_rights(session=session, actor=provider, subject_id=resource.id):
        assert f'href="/rights/{right.id}"' in page


def test_chain_of_title_page(portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    provider = factory.actor(Role.PROVIDER, name="华南数据集团")
    resource = in_notice(factory, operator, provider)
    right = list_rights(session=session, actor=provider, subject_id=resource.id)[0]
    portal.login(provider)
    page = portal.client.get(f"/rights/{right.id}").text
    assert "权属链" in page and "原始取得" in page and "华南数据集团" in page
    assert f'href="/resources/{resource.id}"' in page


def test_hidden_or_missing_resource_is_a_404_page(portal: Portal, factory: Factory) -> None:
    draft = factory.resource(factory.actor(Role.PROVIDER))
    portal.login(factory.actor(Role.BUYER))
    for path in (f"/resources/{draft.id}", "/resources/01HZZZZZZZZZZZZZZZZZZZZZZZ"):
        res = portal.client.get(path)
        assert res.status_code == 404
        assert "未找到" in res.text and "Traceback" not in res.text


def test_visitor_sees_a_resource_in_notice_but_not_a_draft(portal: Portal, factory: Factory,
                                                            operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    public = in_notice(factory, operator, provider)
    res = portal.client.get(f"/resources/{public.id}", follow_redirects=False)
    assert res.status_code == 200 and public.title in res.text
    draft = factory.resource(provider, title="尚未提交的草稿数据")
    hidden = portal.client.get(f"/resources/{draft.id}", follow_redirects=False)
    assert hidden.status_code in (303, 404) and "尚未提交的草稿数据" not in hidden.text


def test_operator_starts_notice_and_finalizes_to_a_certificate(
        portal: Portal, factory: Factory, session: Session) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider, title="海关进出口统计")
    reg = registration.submit_registration(session=session, actor=provider, data=RegistrationCreate(
        kind=RegistrationKind.INITIAL, resource_id=resource.id))
    session.flush()
    portal.login(factory.actor(Role.OPERATOR))
    queue = portal.client.get("/operator/queue").text
    assert "海关进出口统计" in queue and f"/operator/registrations/{reg.id}/notice" in queue
    res = portal.post(f"/operator/registrations/{reg.id}/notice", {})
    assert res.status_code == 303
    assert "已开始公示" in portal.client.get("/operator/queue").text
    clock.advance(timedelta(days=11))
    assert portal.post("/operator/finalize", {}).status_code == 303
    assert "发证 1 件" in portal.client.get("/operator/queue").text
    detail = portal.client.get(f"/resources/{resource.id}").text
    number = re.search(r"YS-DR-\d{4}-\d{6}", detail)
    assert number and f"/api/v1/certificates/{number.group(0)}/file" in detail
    assert "已登记" in detail and "已发证" in detail


def test_operator_decides_an_objection(portal: Portal, factory: Factory, operator: Actor,
                                       session: Session) -> None:
    provider, objector = factory.actor(Role.PROVIDER), factory.actor(Role.MERCHANT, name="异议公司")
    resource = in_notice(factory, operator, provider)
    reg = registration.list_registrations(session=session, actor=provider, resource_id=resource.id)[0]
    objection = registration.file_objection(session=session, actor=objector, registration_id=reg.id,
                                            data=ObjectionCreate(reasons="数据来源于本公司"))
    session.flush()
    portal.login(factory.actor(Role.OPERATOR))
    assert "数据来源于本公司" in portal.client.get("/operator/queue").text
    res = portal.post(f"/operator/objections/{objection.id}/decide",
                      {"decision": "dismiss", "note": "证据不足"})
    assert res.status_code == 303
    session.expire_all()
    decided = session.get(Objection, objection.id)
    assert decided is not None and (decided.status, decided.decision_note) == ("dismissed", "证据不足")
    again = portal.post(f"/operator/objections/{objection.id}/decide", {"decision": "uphold", "note": "x"})
    assert again.status_code == 409 and "操作冲突" in again.text


def test_pages_reference_no_external_urls(portal: Portal, factory: Factory, operator: Actor,
                                          session: Session) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = in_notice(factory, operator, provider)
    right = list_rights(session=session, actor=provider, subject_id=resource.id)[0]
    public = ("/", "/catalog", "/login", "/catalog?lang=en", "/?lang=zh-CN")
    pages = [portal.client.get(p).text for p in public]
    portal.login(provider)
    pages += [portal.client.get(p).text for p in ("/resources/new", f"/resources/{resource.id}", "/me",
                                                   f"/rights/{right.id}", "/resources/nope")]
    portal.login(factory.actor(Role.OPERATOR))
    pages.append(portal.client.get("/operator/queue").text)
    assets = [portal.client.get(f"/static/{f.name}").text for f in STATIC.iterdir()]
    assert len(assets) >= 2
    for text in pages + assets:
        for url in re.findall(r"https?://[^\s\"'<>)]+", text):
            assert url.startswith("http://testserver/"), url
        assert not re.search(r"""(src|href|action)=["']//""", text)
        assert "@import" not in text
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)


@pytest.mark.parametrize(("cap", "expected"), [(3, "至少 20 条结果"), (500, "共 25 条结果")], ids=["capped", "exact"])
def test_catalog_says_at_least_when_the_total_is_a_lower_bound(
        portal: Portal, factory: Factory, operator: Actor, monkeypatch: pytest.MonkeyPatch,
        cap: int, expected: str) -> None:
    from yaosu.catalog import search

    provider = factory.actor(Role.PROVIDER)
    for i in range(25):  # more than a page: the cap is never below one page (20)
        in_notice(factory, operator, provider, title=f"高频词资源{i}")
    monkeypatch.setattr(search, "SMALL", 1)
    monkeypatch.setattr(search, "CAP", cap)
    monkeypatch.setattr(search, "WALK_FIRST", 2)
    assert expected in portal.client.get("/catalog", params={"q": "高频"}).text
