"""The market's pages: a buyer orders, accepts and cancels; deposits at the simulated bank; a provider sees its
products and sales, marks delivery and reads its statement with a CSV download (zh-CN and en, CSRF checked)."""

from __future__ import annotations

import base64
import json
import re

from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, funded_buyer, listed, sign, signing_key
from tests.integration.web.conftest import Portal
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.roles import Role
from yaosu.canonical import canonical_json
from yaosu.market import orders
from yaosu.market.models import Order
from yaosu.settlement.escrow import available

PER_CALL = {"model": "per_call", "tiers": [{"up_to": 10, "unit": 1_000}, {"unit": 500}]}
_KEY = re.compile(r'name="client_key" value="([^"]+)"')


def _orders_of(session: Session, buyer: Actor) -> list[Order]:
    session.expire_all()
    return list(session.query(Order).filter(Order.buyer_party_id == buyer.party_id))


def test_buyer_orders_from_the_product_page_and_accepts_the_delivery(
        portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    provider, product = listed(session, factory, operator, pricing=PER_CALL, title="航运景气指数")
    buyer = funded_buyer(session, factory, 20_000)
    session.flush()
    assert "航运景气指数" in portal.client.get("/products").text
    portal.login(buyer)
    page = portal.client.get(f"/products/{product.id}").text
    assert "按次计费" in page and "调用次数" in page and "价格历史" not in page
    key = _KEY.search(page).group(1)  # type: ignore[union-attr]
    form = {"calls": "12", "client_key": key, "purpose": PURPOSE}
    forged = portal.post(f"/products/{product.id}/order", form, token="forged")
    assert forged.status_code == 403 and _orders_of(session, buyer) == []
    done = portal.post(f"/products/{product.id}/order", form)
    again = portal.post(f"/products/{product.id}/order", form)
    assert done.status_code == again.status_code == 303 and done.headers["location"] == "/orders"
    placed = _orders_of(session, buyer)
    assert len(placed) == 1 and placed[0].price == 11_000  # ten at 10 yuan, two at 5 yuan; placed once
    mine = portal.client.get("/orders").text
    assert "¥110.00" in mine and "已托管待交付" in mine and f"/orders/{placed[0].id}/cancel" in mine
    contract_page = portal.client.get(f"/orders/{placed[0].id}/contract").text
    assert "数据产品交易合同" in contract_page or PURPOSE in contract_page
    assert f"/orders/{placed[0].id}/contract/sign" in contract_page
    key, key_id = signing_key(session, buyer)
    session.flush()
    signed = canonical_json(json.loads(portal.client.get(f"/orders/{placed[0].id}/contract.json").content))
    signature = base64.b64encode(key.sign(signed)).decode()
    bad = portal.post(f"/orders/{placed[0].id}/contract/sign", {"key_id": key_id, "signature": "AAAA"})
    assert bad.status_code == 422
    assert portal.post(f"/orders/{placed[0].id}/contract/sign",
                       {"key_id": key_id, "signature": signature}).status_code == 303
    assert "✔ " + key_id in portal.client.get(f"/orders/{placed[0].id}/contract").text
    sign(session, provider, placed[0])
    orders.deliver_order(session=session, actor=provider, order_id=placed[0].id, note="已发送")
    session.flush()
    assert f"/orders/{placed[0].id}/accept" in portal.client.get("/orders").text
    assert portal.post(f"/orders/{placed[0].id}/accept", {}).status_code == 303
    assert "已结算" in portal.client.get("/orders").text
    assert available(session, provider.party_id) == 9_900


def test_a_refused_order_shows_why_and_writes_nothing(portal: Portal, factory: Factory, operator: Actor,
                                                      session: Session) -> None:
    _, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 50_000})
    buyer = funded_buyer(session, factory, 100)
    session.flush()
    portal.login(buyer)
    refused = portal.post(f"/products/{product.id}/order", {"client_key": "k1", "purpose": PURPOSE})
    assert refused.status_code == 422 and "可用余额不足" in refused.text
    assert _orders_of(session, buyer) == []


def test_cancel_refunds(portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    _, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 5_000})
    buyer = funded_buyer(session, factory, 8_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={}, client_key="c",
                               purpose=PURPOSE)
    session.flush()
    portal.login(buyer)
    assert portal.post(f"/orders/{order.id}/cancel", {}).status_code == 303
    assert "已取消" in portal.client.get("/orders").text and available(session, buyer.party_id) == 8_000


def test_account_and_the_simulated_bank(portal: Portal, factory: Factory, session: Session) -> None:
    buyer = funded_buyer(session, factory, 1_000)
    session.flush()
    portal.login(buyer)
    page = portal.client.get("/account").text
    assert "模拟银行" in page and "¥10.00" in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert portal.post("/account/deposit", {"amount": "12.34", "key": key}).status_code == 303
    assert portal.post("/account/deposit", {"amount": "12.34", "key": key}).status_code == 303  # applied once
    assert "¥22.34" in portal.client.get("/account").text
    assert portal.post("/account/deposit", {"amount": "0.001", "key": "x"}).status_code == 422
    assert portal.post("/account/deposit", {"amount": "abc", "key": "y"}).status_code == 422
    assert "Simulated bank" in portal.client.get("/account?lang=en").text


def test_provider_sees_products_sales_delivers_and_reads_the_statement(
        portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    provider, product = listed(session, factory, operator, pricing={"model": "fixed", "price": 7_000},
                               title="港口吞吐量")
    buyer = funded_buyer(session, factory, 10_000, name="远洋贸易公司")
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={}, client_key="c",
                               purpose=PURPOSE)
    session.flush()
    portal.login(provider)
    nav = portal.client.get("/provider/products").text
    assert "港口吞吐量" in nav and "已挂牌" in nav and 'href="/provider/sales"' in nav
    product_page = portal.client.get(f"/products/{product.id}").text
    assert "价格历史" in product_page and "挂牌价" in product_page and "订单价" in product_page
    sales = portal.client.get("/provider/sales").text
    assert "¥70.00" in sales and f"/provider/sales/{order.id}/deliver" in sales
    unsigned = portal.post(f"/provider/sales/{order.id}/deliver", {"note": "x"})
    assert unsigned.status_code == 422 and "尚未经双方签署" in unsigned.text
    sign(session, buyer, order)
    sign(session, provider, order)
    session.flush()
    assert portal.post(f"/provider/sales/{order.id}/deliver", {"note": "链接已发送"}).status_code == 303
    session.expire_all()
    assert session.get(Order, order.id).status == "delivered"  # type: ignore[union-attr]
    orders.accept_order(session=session, actor=buyer, order_id=order.id)
    session.flush()
    statement = portal.client.get("/account/statement").text
    assert "结算放款" in statement and "远洋贸易公司: escrow" in statement and "¥63.00" in statement
    empty = portal.client.get("/account/statement?start=2020-01-01&end=2020-01-31").text
    assert "本期无记录" in empty and "¥0.00" in empty
    csv = portal.client.get("/account/statement.csv")
    assert csv.headers["content-type"].startswith("text/csv") and ",release," in csv.text
    assert portal.client.get("/account/statement?start=nonsense").status_code == 422


def test_buyer_pages_need_login(portal: Portal) -> None:
    for path in ("/orders", "/account", "/account/statement", "/provider/sales"):
        answer = portal.client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_nav_links_and_the_regulator_sees_the_price_history(portal: Portal, factory: Factory, operator: Actor,
                                                            session: Session) -> None:
    _, product = listed(session, factory, operator, pricing={"model": "subscription", "period": "month",
                                                             "price": 3_000})
    buyer = funded_buyer(session, factory, 1)
    session.flush()
    portal.login(buyer)
    page = portal.client.get(f"/products/{product.id}").text
    for link in ('href="/products"', 'href="/orders"', 'href="/account"', 'href="/account/statement"'):
        assert link in page
    assert 'href="/provider/sales"' not in page and "订阅期数" in page and "价格历史" not in page
    portal.client.post("/logout", data={"csrf_token": portal.csrf("/")})
    portal.login(factory.actor(Role.REGULATOR))
    seen = portal.client.get(f"/products/{product.id}?lang=en").text
    assert "Price history" in seen and "List price" in seen and "¥30.00" in seen


def test_a_buyer_disputes_a_delivery_and_the_operator_rules_on_the_queue(
        portal: Portal, factory: Factory, operator: Actor, session: Session) -> None:
    provider, product = listed(session, factory, operator, pricing=PER_CALL, title="港口集装箱吞吐量")
    buyer = funded_buyer(session, factory, 20_000)
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={"calls": 2},
                               client_key="d", purpose=PURPOSE)
    sign(session, buyer, order)
    sign(session, provider, order)
    orders.deliver_order(session=session, actor=provider, order_id=order.id, note="数据包已发送")
    admin = factory.user_for(session.get(Party, operator.party_id))
    session.flush()
    portal.login(buyer)
    assert f"/orders/{order.id}/dispute" in portal.client.get("/orders").text
    assert portal.post(f"/orders/{order.id}/dispute", {"reason": ""}).status_code == 422
    assert portal.post(f"/orders/{order.id}/dispute", {"reason": "字段缺失"}, token="forged").status_code == 403
    assert portal.post(f"/orders/{order.id}/dispute", {"reason": "字段缺失"}).status_code == 303
    assert "争议处理中" in portal.client.get("/orders").text
    portal.client.cookies.clear()
    portal.login(admin)
    queue = portal.client.get("/operator/queue").text
    assert "待裁决的争议" in queue and "字段缺失" in queue and f"/operator/orders/{order.id}/ruling" in queue
    form = re.search(rf'action="/operator/orders/{order.id}/ruling".*?</form>', queue, re.S)
    assert form is not None and re.search(r'name="csrf_token" value="[^"]+"', form.group(0))
    assert 'name="reason"' in form.group(0) and 'maxlength="500"' in form.group(0)
    ruled = portal.post(f"/operator/orders/{order.id}/ruling", {"reason": "交付与说明不符", "decision": "uphold"})
    assert ruled.status_code == 303
    session.expire_all()
    assert session.get(Order, order.id).status == "refunded" and available(session, buyer.party_id) == 20_000
    assert "待裁决的争议" in portal.client.get("/operator/queue").text and "字段缺失" not in \
        portal.client.get("/operator/queue").text
