"""Products: created from readable resource versions, reviewed by the rules then the operator, every decision kept."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.market import service
from yaosu.market.models import ProductSource
from yaosu.market.schemas import ProductCreate


def _product(resource_ids: list[str], lister: Actor, **extra: Any) -> ProductCreate:
    body: dict[str, Any] = {"title": "企业经营指数", "kind": "report", "sources": resource_ids,
                            "pricing": {"model": "fixed", "price": 500_000},
                            "split_rule": [{"party": lister.party_id, "basis_points": 9500},
                                           {"party": "exchange", "basis_points": 500}]}
    body.update(extra)
    return ProductCreate.model_validate(body)


def _sign(session: Session, actor: Actor, product_id: str) -> None:
    service.sign_declaration(session=session, actor=actor, product_id=product_id,
                             text_sha256=service.DECLARATION_SHA256)


def test_a_clean_product_passes_the_rules_and_the_operator_lists_it(session: Session, factory: Factory,
                                                                    operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    resource = factory.resource(provider)
    product = service.create_product(session=session, actor=provider, data=_product([resource.id], provider))
    lineage = session.scalars(select(ProductSource).where(ProductSource.product_id == product.id)).all()
    assert [(s.resource_id, s.resource_version) for s in lineage] == [(resource.id, 1)]
    _sign(session, provider, product.id)
    decisions = service.submit_product(session=session, actor=provider, product_id=product.id)
    assert [d.outcome for d in decisions] == ["passed"] and product.status == "pending_review"
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True,
                           reason="材料齐全 / complete")
    assert product.status == "listed"
    buyer = factory.actor(Role.BUYER)
    assert service.get_product(session=session, actor=buyer, product_id=product.id).id == product.id
    kinds = list(session.scalars(select(LedgerEvent.type).where(LedgerEvent.subject_id == product.id)
                                 .order_by(LedgerEvent.seq)))
    assert kinds == ["product.created", "product.declaration_signed", "product.submitted", "product.reviewed"]


def test_rules_reject_with_reasons_and_fixes_and_a_fixed_product_resubmits(session: Session,
                                                                           factory: Factory) -> None:
    provider = factory.actor(Role.PROVIDER)
    personal = factory.resource(provider, **{"classification": "personal", "level": 3})
    product = service.create_product(session=session, actor=provider, data=_product([personal.id], provider))
    decisions = service.submit_product(session=session, actor=provider, product_id=product.id)
    assert {(d.rule, d.resource_id) for d in decisions} == {("personal.deidentified_or_consent", personal.id),
                                                            ("declaration.signed", None)}
    assert product.status == "rejected" and all(d.fix for d in decisions)
    _sign(session, provider, product.id)
    product.consent_basis = "个人单独同意, 编号 C-2026-001"
    assert [d.outcome for d in service.submit_product(session=session, actor=provider,
                                                      product_id=product.id)] == ["passed"]


def test_others_cannot_see_submit_or_review_what_is_not_theirs(session: Session, factory: Factory) -> None:
    provider, other = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    product = service.create_product(session=session, actor=provider,
                                     data=_product([factory.resource(provider).id], provider))
    with pytest.raises(NotFound):
        service.get_product(session=session, actor=other, product_id=product.id)
    with pytest.raises(NotFound):
        service.submit_product(session=session, actor=other, product_id=product.id)
    with pytest.raises(NotFound):
        service.list_decisions(session=session, actor=other, product_id=product.id)


def test_a_draft_is_not_reviewed_and_a_listed_product_is_not_resubmitted(session: Session, factory: Factory,
                                                                         operator: Actor) -> None:
    provider = factory.actor(Role.PROVIDER)
    product = service.create_product(session=session, actor=provider,
                                     data=_product([factory.resource(provider).id], provider))
    with pytest.raises(Conflict):
        service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="x")
    _sign(session, provider, product.id)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="ok")
    with pytest.raises(Conflict):
        service.submit_product(session=session, actor=provider, product_id=product.id)


@pytest.mark.parametrize(("extra", "field"), [
    ({"pricing": {"model": "fixed", "price": -5}}, "pricing.price"),
    ({"split_rule": [{"party": "exchange", "basis_points": 500}]}, "shares"),
    ({"split_rule": [{"party": "01NOSUCHPARTY0000000000000", "basis_points": 10_000}]}, "split_rule"),
], ids=["bad-price", "split-not-10000", "unknown-party"])
def test_bad_products_are_refused(session: Session, factory: Factory, extra: dict[str, Any], field: str) -> None:
    provider = factory.actor(Role.PROVIDER)
    with pytest.raises(Invalid) as refused:
        service.create_product(session=session, actor=provider,
                               data=_product([factory.resource(provider).id], provider, **extra))
    assert refused.value.field == field


def test_a_resource_the_lister_cannot_read_is_not_a_source(session: Session, factory: Factory) -> None:
    provider, other = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    hidden = factory.resource(other)
    with pytest.raises(NotFound):
        service.create_product(session=session, actor=provider, data=_product([hidden.id], provider))
