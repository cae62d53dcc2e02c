"""The buyer's sandbox page: schema and allowance shown, a query answered, a refusal's reason in zh-CN and en."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE
from tests.integration.web.conftest import Portal
from tests.sandbox_deals import Deal, deal, vault
from tests.unit.sandbox.fixtures import identifiers, people

__all__ = ["deal", "vault"]  # fixtures


def test_the_buyer_queries_from_the_page(client: TestClient, session: Session, factory: Factory,
                                         deal: Callable[..., Deal]) -> None:
    d = deal(calls=2)
    portal = Portal(client, session)
    session.flush()
    portal.login(d.buyer)
    page = client.get(f"/orders/{d.order.id}/sandbox")
    assert page.status_code == 200 and "city" in page.text and "GROUP BY" in page.text
    url = f"/orders/{d.order.id}/sandbox"
    csrf = portal.csrf(url)
    answered = client.post(url, data={"csrf_token": csrf, "purpose": PURPOSE,
                                      "sql": "SELECT city, COUNT(*) AS n FROM data GROUP BY city"})
    assert answered.status_code == 200 and "北京" in answered.text
    assert not [v for v in identifiers(people()) if v in answered.text]
    refused = client.post(url, data={"csrf_token": csrf, "purpose": PURPOSE, "sql": "SELECT name FROM data"})
    assert refused.status_code == 422 and "sql_output_not_allowed" in refused.text and "不能输出" in refused.text
    english = client.post(url + "?lang=en", data={"csrf_token": csrf, "purpose": PURPOSE,
                                                  "sql": "SELECT name FROM data"})
    assert "column name may not be output" in english.text
    wrong = client.post(url, data={"csrf_token": csrf, "purpose": "别的", "sql": "SELECT COUNT(*) FROM data"})
    assert wrong.status_code == 422 and "purpose_mismatch" in wrong.text


def test_a_stranger_cannot_open_the_page(client: TestClient, session: Session, factory: Factory,
                                         deal: Callable[..., Deal]) -> None:
    from yaosu.auth.roles import Role

    d = deal()
    stranger = factory.actor(Role.BUYER)
    portal = Portal(client, session)
    session.flush()
    portal.login(stranger)
    assert client.get(f"/orders/{d.order.id}/sandbox").status_code == 404
