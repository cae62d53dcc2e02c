"""The sandbox over the API: query, refusal with its reason, contract refusals with codes, 核验, allowance, usage."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE
from tests.sandbox_deals import Deal
from tests.unit.sandbox.fixtures import identifiers, people
from yaosu.auth.actor import Actor

SQL = "SELECT city, COUNT(*) AS n FROM data GROUP BY city ORDER BY city"


def _auth(factory: Factory, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {factory.token(actor)}"}


def test_query_refusal_and_count_over_the_api(client: TestClient, session: Session, factory: Factory,
                                              deal: Callable[..., Deal]) -> None:
    d = deal(calls=1)
    auth = _auth(factory, d.buyer)
    session.flush()
    url = f"/api/v1/orders/{d.order.id}/queries"
    refused = client.post(url, json={"sql": "SELECT MIN(id_number) FROM data", "purpose": PURPOSE}, headers=auth)
    assert refused.status_code == 200 and refused.json()["decision"] == "refused"
    assert refused.json()["code"] == "sql_function_not_allowed" and refused.json()["reason"]["en"]
    buyer_rows = [{"phone": p} for p in people().column("phone").to_pylist()[:30]]
    answered = client.post(url, json={"sql": "SELECT COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone",
                                      "purpose": PURPOSE, "buyer_rows": buyer_rows}, headers=auth)
    body = answered.json()
    assert answered.status_code == 200 and body["decision"] == "answered", body
    assert body["result"]["columns"] == ["n"] and body["remaining_count"] == 0
    assert not {str(v) for row in body["result"]["rows"] for v in row} & identifiers(people())
    spent = client.post(url, json={"sql": SQL, "purpose": PURPOSE}, headers=auth)
    assert spent.status_code == 422 and spent.json()["code"] == "allowance_exhausted"
    other = client.post(url, json={"sql": SQL, "purpose": "营销"}, headers=auth)
    assert other.json()["code"] == "purpose_mismatch"
    left = client.get(f"/api/v1/orders/{d.order.id}/allowance", headers=auth).json()
    assert left["used_count"] == 1 and left["remaining_count"] == 0
    log = client.get(f"/api/v1/products/{d.order.product_id}/usage", headers=_auth(factory, d.provider))
    assert [u["decision"] for u in log.json()] == ["answered", "refused"]
    assert client.get(f"/api/v1/products/{d.order.product_id}/usage", headers=auth).status_code == 404


def test_checks_over_the_api(client: TestClient, session: Session, factory: Factory,
                             deal: Callable[..., Deal]) -> None:
    d = deal(kind="verification", calls=5)
    auth = _auth(factory, d.buyer)
    session.flush()
    first = people().slice(0, 1).to_pylist()[0]
    records = [{"id_number": first["id_number"], "name": first["name"]}, {"id_number": "1", "name": "x"}]
    reply = client.post(f"/api/v1/orders/{d.order.id}/checks", json={"records": records, "purpose": PURPOSE},
                        headers=auth)
    assert reply.status_code == 200, reply.text
    assert [r["result"] for r in reply.json()["results"]] == ["一致", "未找到"]
    schema = client.get(f"/api/v1/products/{d.order.product_id}/sandbox", headers=auth).json()
    assert schema["kind"] == "verification" and schema["rule"]["key"] == "id_number"
