"""The tracing page: the regulator uploads a leaked copy and sees the buyer named; others are kept out."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.watermark.conftest import TOLERANCES, Shop
from tests.integration.web.conftest import Portal
from yaosu.auth.roles import Role
from yaosu.runtime import Runtime
from yaosu.watermark import service
from yaosu.watermark.service import Declaration


@pytest.fixture
def portal(client: TestClient, session: Session) -> Portal:
    return Portal(client=client, session=session)


def test_the_regulator_traces_an_upload_and_sees_the_verdict(portal: Portal, session: Session, factory: Factory,
                                                            shop: Shop, runtime: Runtime) -> None:
    out = runtime.data_dir / "deliveries"
    for i, order in enumerate(shop.orders[:2]):
        service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=order.id, out_dir=out,
                        declared=Declaration(TOLERANCES, ["单号"]) if i == 0 else None, suffix=".csv")
    regulator = factory.actor(Role.REGULATOR)
    session.flush()
    assert portal.login(regulator).status_code == 303
    page = portal.client.get("/operator/trace?lang=zh-CN")
    assert page.status_code == 200 and "泄露数据溯源" in page.text and shop.product.title in page.text
    leaked = io.BytesIO()
    pacsv.write_csv(pacsv.read_csv(out / f"{shop.orders[0].id}.csv").slice(0, 1500), leaked)
    result = portal.client.post("/operator/trace", data={"csrf_token": portal.csrf("/operator/trace"),
                                                         "product_id": shop.product.id},
                                files={"file": ("泄露.csv", leaked.getvalue(), "text/csv")})
    assert result.status_code == 200, result.text
    assert "认定泄露方" in result.text and shop.buyers[0].party_id in result.text and shop.orders[0].id in result.text
    english = portal.client.get("/operator/trace?lang=en")
    assert "Trace a leaked copy" in english.text


def test_a_buyer_cannot_open_the_tracing_page(portal: Portal, factory: Factory, session: Session) -> None:
    buyer = factory.actor(Role.BUYER)
    session.flush()
    portal.login(buyer)
    assert portal.client.get("/operator/trace").status_code == 403
