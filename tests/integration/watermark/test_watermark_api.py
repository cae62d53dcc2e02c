"""Fingerprinted delivery and tracing over the API: the lister delivers, the regulator traces an upload."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.watermark.conftest import TOLERANCES, Shop
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.runtime import Runtime


def _auth(factory: Factory, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {factory.token(actor)}"}


def test_deliver_list_and_trace(client: TestClient, session: Session, factory: Factory, shop: Shop,
                                runtime: Runtime) -> None:
    lister, regulator = _auth(factory, shop.provider), _auth(factory, factory.actor(Role.REGULATOR))
    buyer = _auth(factory, shop.buyers[0])
    session.flush()
    first = client.post(f"/api/v1/orders/{shop.orders[0].id}/fingerprinted-delivery",
                        json={"tolerances": TOLERANCES, "key": ["单号"]}, headers=lister)
    assert first.status_code == 201, first.text
    assert first.json()["recipient_party_id"] == shop.buyers[0].party_id and "secret" not in first.text
    second = client.post(f"/api/v1/orders/{shop.orders[1].id}/fingerprinted-delivery", json={"format": "csv"},
                         headers=lister)
    assert second.status_code == 201, second.text
    assert client.post(f"/api/v1/orders/{shop.orders[2].id}/fingerprinted-delivery", json={},
                       headers=buyer).status_code == 404
    listed = client.get(f"/api/v1/products/{shop.product.id}/deliveries", headers=regulator).json()
    assert {d["order_id"] for d in listed} == {shop.orders[0].id, shop.orders[1].id}
    assert client.get(f"/api/v1/products/{shop.product.id}/deliveries", headers=buyer).status_code == 404

    mine = client.get(f"/api/v1/orders/{shop.orders[1].id}/fingerprinted-delivery/file",
                      headers=_auth(factory, shop.buyers[1]))
    assert mine.status_code == 200 and mine.headers["x-content-sha256"] == second.json()["file_hash"]
    assert client.get(f"/api/v1/orders/{shop.orders[1].id}/fingerprinted-delivery/file",
                      headers=buyer).status_code == 404  # another buyer never gets this buyer's copy
    leaked = pacsv.read_csv(io.BytesIO(mine.content)).slice(0, 2000)
    sink = io.BytesIO()
    pq.write_table(leaked, sink)
    files = {"file": ("泄露.parquet", sink.getvalue(), "application/octet-stream")}
    assert client.post(f"/api/v1/products/{shop.product.id}/trace", files=files, headers=buyer).status_code == 403
    traced = client.post(f"/api/v1/products/{shop.product.id}/trace", files=files, headers=regulator)
    assert traced.status_code == 200, traced.text
    body = traced.json()
    assert body["accused"] == [shop.buyers[1].party_id] and body["orders"] == {
        shop.buyers[1].party_id: [shop.orders[1].id]}
    assert len(body["candidates"]) == 2 and body["candidates"][1]["p_value"] > 1e-10
    bad = client.post(f"/api/v1/products/{shop.product.id}/trace", files={"file": ("x.exe", b"MZ", "x")},
                      headers=regulator)
    assert bad.status_code == 422 and bad.json()["code"] == "unsupported_format"
