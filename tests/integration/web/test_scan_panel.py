"""The resource page shows the latest scan: column entities, categories, levels and the dataset grade."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.resources.test_resource_scans import people, record_for
from tests.integration.web.conftest import Portal
from yaosu.auth.roles import Role
from yaosu.resources.scan_service import record_scan


def test_resource_page_shows_the_scan(portal: Portal, session: Session, factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    portal.login(provider)
    page = portal.client.get(f"/resources/{resource.id}").text
    assert "尚未记录扫描结果" in page
    record_scan(session=session, actor=provider, resource_id=resource.id, data=record_for(people()))
    session.flush()
    page = portal.client.get(f"/resources/{resource.id}").text
    assert "敏感数据扫描" in page and "CN_ID_CARD" in page and "个人身份信息" in page
    assert "ent.id_card" in page and "cls.personal" in page
    assert "扫描得出的分级与申报分级不同" in page  # declared general-2, scanned general-3
    english = portal.client.get(f"/resources/{resource.id}?lang=en").text
    assert "Sensitive-data scan" in english and "PI category" in english and "敏感数据扫描" not in english
