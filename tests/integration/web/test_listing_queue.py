"""The operator's queue lists products awaiting review; listing one with a reason makes it public."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.web.conftest import Portal
from yaosu.auth.roles import Role
from yaosu.market import service
from yaosu.market.models import Product
from yaosu.market.schemas import ProductCreate


def test_operator_lists_a_product_from_the_queue(portal: Portal, factory: Factory, session: Session) -> None:
    provider = factory.actor(Role.PROVIDER)
    product = service.create_product(session=session, actor=provider, data=ProductCreate.model_validate({
        "title": "航运景气指数", "kind": "report", "sources": [factory.resource(provider).id],
        "pricing": {"model": "fixed", "price": 100}, "split_rule": [{"party": provider.party_id,
                                                                      "basis_points": 10_000}]}))
    service.sign_declaration(session=session, actor=provider, product_id=product.id,
                             text_sha256=service.DECLARATION_SHA256)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    session.flush()
    portal.login(factory.actor(Role.OPERATOR))
    queue = portal.client.get("/operator/queue").text
    assert "航运景气指数" in queue and f"/operator/products/{product.id}/review" in queue
    assert "待挂牌审核的数据产品" in queue
    refused = portal.post(f"/operator/products/{product.id}/review", {"decision": "approve"}, token="forged")
    assert refused.status_code == 403 and session.get(Product, product.id).status == "pending_review"
    done = portal.post(f"/operator/products/{product.id}/review", {"decision": "approve", "reason": "材料齐全"})
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Product, product.id).status == "listed"
    assert "已准予挂牌" in portal.client.get("/operator/queue").text


def test_a_provider_neither_sees_the_queue_nor_reviews(portal: Portal, factory: Factory) -> None:
    portal.login(factory.actor(Role.PROVIDER))
    assert portal.client.get("/operator/queue").status_code == 403
    assert portal.post("/operator/products/01NOSUCHPRODUCT00000000000/review",
                       {"decision": "approve", "reason": "x"}).status_code == 403
