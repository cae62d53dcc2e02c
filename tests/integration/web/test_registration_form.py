"""The provider's registration form: errors re-render, keep values, write nothing; success submits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory, content_hash
from tests.integration.web.conftest import Portal
from yaosu.auth.roles import Role
from yaosu.ledger.models import LedgerEvent
from yaosu.registration.models import Registration
from yaosu.registration.service import list_registrations
from yaosu.resources.service import count_resources


def form(**overrides: str) -> dict[str, Any]:
    body = {"title": "港口集装箱吞吐量统计", "description": "月度吞吐量", "domain": "transport",
            "classification": "enterprise", "grade": "general", "level": "2", "open_condition": "",
            "data_item_code": "", "source_system": "码头作业系统", "update_frequency": "monthly",
            "tags": "港口，集装箱, 物流", "content_hash": content_hash("teu-2026"), "row_count": "4800"}
    body.update(overrides)
    return body


def counts(session: Session) -> tuple[int, int, int]:
    registrations = session.scalar(select(func.count()).select_from(Registration))
    events = session.scalar(select(func.count()).select_from(LedgerEvent))
    return count_resources(session), int(registrations or 0), int(events or 0)


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"content_hash": "abc"}, "content_hash", "64 位小写十六进制"),
    ({"title": "港"}, "title", "至少需要 2 个字符"),
    ({"row_count": "many"}, "row_count", "请输入整数"),
    ({"row_count": ""}, "row_count", "必填"),
    ({"domain": ""}, "domain", "必填"),
    ({"level": ""}, "level", "1–4 级"),
    ({"classification": "public"}, "open_condition", "开放属性"),
    ({"grade": "core", "level": ""}, "grade", "核心数据不得登记"),
], ids=["bad-hash", "short-title", "rows-not-int", "rows-missing", "domain-missing", "general-needs-level",
        "public-needs-open-condition", "core-data-refused"])
def test_invalid_form_rerenders_with_the_error_and_writes_nothing(
        portal: Portal, factory: Factory, session: Session, overrides: dict[str, str], field: str,
        message: str) -> None:
    portal.login(factory.actor(Role.PROVIDER))
    before = counts(session)
    res = portal.post("/resources/new", form(**overrides))
    assert res.status_code == 422
    assert message in field_error(res.text, field)
    assert 'value="港口，集装箱, 物流"' in res.text  # entered values are kept
    assert counts(session) == before


def test_valid_form_creates_the_resource_and_submits_its_registration(
        portal: Portal, factory: Factory, session: Session) -> None:
    provider = factory.actor(Role.PROVIDER)
    portal.login(provider)
    before = count_resources(session)
    res = portal.post("/resources/new", form())
    assert res.status_code == 303
    resource_id = res.headers["location"].removeprefix("/resources/")
    assert count_resources(session) == before + 1
    registrations = list_registrations(session=session, actor=provider, resource_id=resource_id)
    assert [(r.kind, r.status) for r in registrations] == [("initial", "submitted")]
    page = portal.client.get(res.headers["location"])
    assert "港口集装箱吞吐量统计" in page.text
    assert content_hash("teu-2026") in page.text
    assert "首次登记" in page.text and "待受理" in page.text
    assert "集装箱" in page.text and "物流" in page.text


def test_form_page_offers_every_domain_and_no_core_grade(portal: Portal, factory: Factory) -> None:
    portal.login(factory.actor(Role.MERCHANT))
    res = portal.client.get("/resources/new")
    assert res.status_code == 200
    assert '<option value="transport"' in res.text and "交通运输" in res.text
    assert '<option value="core"' not in res.text
