"""Contracts: drafted with the order, signed by both parties' registered keys, required for delivery; disputes."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed, sign, signed_order, signing_key
from yaosu import clock
from yaosu.auth import party_keys
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound, PolicyViolation
from yaosu.ledger.models import LedgerEvent
from yaosu.market import contract, contracts, orders
from yaosu.settlement.escrow import available


def _placed(session: Session, factory: Factory, operator: Actor, **kw: object) -> tuple[Actor, Actor, str]:
    provider, product = listed(session, factory, operator, **kw)  # type: ignore[arg-type]
    buyer = funded_buyer(session, factory, 1_000_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 4},
                               client_key="c", purpose=PURPOSE)
    return provider, buyer, order.id


def test_the_contract_is_drafted_from_the_order(session: Session, factory: Factory, operator: Actor) -> None:
    provider, buyer, order_id = _placed(session, factory, operator, kind="sandbox")
    row = contracts.get_contract(session=session, actor=buyer, order_id=order_id)
    terms = contract.terms_of(row.document)
    assert (terms.purpose, terms.max_count, terms.actions, terms.price) == (PURPOSE, 4, ("query",), 40_004)
    assert (terms.buyer, terms.provider, row.status) == (buyer.party_id, provider.party_id, "drafted")
    assert row.hash == contract.contract_hash(row.document)
    assert timedelta(days=364) < terms.until - clock.now() <= timedelta(days=365)
    hashes = session.scalars(select(LedgerEvent.payload).where(LedgerEvent.subject_id == order_id,
                                                               LedgerEvent.type == "contract.drafted"))
    assert [json.loads(p)["hash"] for p in hashes] == [row.hash]


def test_a_subscription_runs_for_its_periods(session: Session, factory: Factory, operator: Actor) -> None:
    provider, product = listed(session, factory, operator,
                               pricing={"model": "subscription", "period": "quarter", "price": 9_000})
    buyer = funded_buyer(session, factory, 100_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"periods": 2},
                               client_key="s", purpose=PURPOSE)
    terms = contract.terms_of(contracts.get_contract(session=session, actor=provider, order_id=order.id).document)
    assert terms.until - clock.now() > timedelta(days=181) and terms.max_count is None and order.price == 18_000


def test_no_delivery_before_both_have_signed(session: Session, factory: Factory, operator: Actor) -> None:
    provider, buyer, order_id = _placed(session, factory, operator)
    order = orders.get_order(session=session, actor=buyer, order_id=order_id)
    for signer in (buyer, provider):
        with pytest.raises(PolicyViolation) as refused, session.begin_nested():
            orders.deliver_order(session=session, actor=provider, order_id=order_id)
        assert refused.value.code == "contract_not_signed"
        with pytest.raises(PolicyViolation), session.begin_nested():
            contracts.order_terms(session, order_id)
        sign(session, signer, order)
    assert contracts.order_terms(session, order_id).purpose == PURPOSE
    assert orders.deliver_order(session=session, actor=provider, order_id=order_id).status == "delivered"
    kinds = list(session.scalars(select(LedgerEvent.type).where(LedgerEvent.subject_id == order_id)
                                 .order_by(LedgerEvent.seq)))
    assert kinds == ["contract.drafted", "order.placed", "contract.signature_added", "contract.signature_added",
                     "contract.signed", "order.delivered"]


def test_only_good_signatures_by_the_parties_own_keys_count(session: Session, factory: Factory,
                                                            operator: Actor) -> None:
    provider, buyer, order_id = _placed(session, factory, operator)
    doc = contracts.get_contract(session=session, actor=buyer, order_id=order_id).document
    key, key_id = signing_key(session, buyer)
    _, provider_key_id = signing_key(session, provider)
    stranger = factory.actor(Role.BUYER)

    def attempt(actor: Actor, kid: str, sig: bytes) -> None:
        contracts.sign_contract(session=session, actor=actor, order_id=order_id, key_id=kid,
                                signature=base64.b64encode(sig).decode())

    with pytest.raises(NotFound), session.begin_nested():
        attempt(stranger, key_id, contract.sign(doc, key))
    with pytest.raises(Invalid) as wrong_key, session.begin_nested():
        attempt(buyer, provider_key_id, contract.sign(doc, key))  # a key of the other party
    assert wrong_key.value.code == "unknown_key"
    with pytest.raises(Invalid) as forged, session.begin_nested():
        attempt(buyer, key_id, contract.sign({**doc, "price_fen": 1}, key))  # signed a different price
    assert forged.value.code == "bad_signature"
    with pytest.raises(Invalid), session.begin_nested():
        attempt(buyer, key_id, b"short")
    good = contract.sign(doc, key)
    attempt(buyer, key_id, good)
    attempt(buyer, key_id, good)  # the same signature again: no-op
    with pytest.raises(Conflict) as again, session.begin_nested():
        attempt(buyer, key_id, Ed25519PrivateKey.generate().sign(b"x"))
    assert again.value.code == "already_signed"
    party_keys.revoke_key(session=session, actor=provider, key_id=provider_key_id)
    with pytest.raises(Invalid) as revoked, session.begin_nested():
        attempt(provider, provider_key_id, b"\0" * 64)
    assert revoked.value.code == "unknown_key"
    assert contracts.get_contract(session=session, actor=operator, order_id=order_id).status == "drafted"


def test_keys_are_checked_and_belong_to_one_party(session: Session, factory: Factory) -> None:
    one, other = factory.actor(Role.BUYER), factory.actor(Role.PROVIDER)
    for bad in ("zz" * 32, "00" * 31, ""):
        with pytest.raises(Invalid), session.begin_nested():
            party_keys.add_key(session=session, actor=one, public_key=bad)
    _, key_id = signing_key(session, one)
    public = party_keys.list_keys(session=session, actor=one)[0].public_key
    assert party_keys.add_key(session=session, actor=one, public_key=public).id == key_id
    with pytest.raises(Conflict) as taken, session.begin_nested():
        party_keys.add_key(session=session, actor=other, public_key=public)
    assert taken.value.code == "key_taken"
    with pytest.raises(NotFound):
        party_keys.list_keys(session=session, actor=other, party_id=one.party_id)
    with pytest.raises(NotFound):
        party_keys.revoke_key(session=session, actor=other, key_id=key_id)


@pytest.mark.parametrize(("upheld", "status"), [(True, "refunded"), (False, "settled")])
def test_a_dispute_holds_the_money_until_the_operator_rules(session: Session, factory: Factory, operator: Actor,
                                                            upheld: bool, status: str) -> None:
    order, buyer, provider = signed_order(session, factory, operator, usage={"calls": 2}, funds=100_000)
    with pytest.raises(Conflict), session.begin_nested():  # nothing delivered yet
        orders.dispute_order(session=session, actor=buyer, order_id=order.id, reason="未交付")
    orders.deliver_order(session=session, actor=provider, order_id=order.id)
    with pytest.raises(Invalid), session.begin_nested():
        orders.dispute_order(session=session, actor=buyer, order_id=order.id, reason=" ")
    orders.dispute_order(session=session, actor=buyer, order_id=order.id, reason="数据与产品说明不符")
    with pytest.raises(Conflict), session.begin_nested():
        orders.accept_order(session=session, actor=buyer, order_id=order.id)
    with pytest.raises(Forbidden), session.begin_nested():
        orders.resolve_dispute(session=session, actor=buyer, order_id=order.id, upheld=True, reason="x")
    assert available(session, buyer.party_id) == 100_000 - order.price
    ruled = orders.resolve_dispute(session=session, actor=operator, order_id=order.id, upheld=upheld,
                                   reason="核查交付记录")
    assert ruled.status == status and ruled.dispute_reason == "数据与产品说明不符"
    assert available(session, buyer.party_id) == (100_000 if upheld else 100_000 - order.price)
    assert available(session, provider.party_id) == (0 if upheld else order.price - order.price // 10)
    with pytest.raises(Conflict):
        orders.resolve_dispute(session=session, actor=operator, order_id=order.id, upheld=not upheld, reason="再裁")
