"""The de-identification API: mask, anonymize, lineage, releases and budgets under /api/v1, errors shared."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.node.models import Dataset


def test_owner_derives_releases_and_reads_lineage_and_budget(
        client: TestClient, session: Session, factory: Factory, provider: Actor, people_ds: Dataset) -> None:
    auth = {"Authorization": f"Bearer {factory.token(provider)}"}
    base = f"/api/v1/datasets/{people_ds.id}"
    masked = client.post(f"{base}/mask", headers=auth, json={
        "name": "masked", "policy": {"columns": {"身份证号": {"operator": "tokenize"}}}})
    assert masked.status_code == 201, masked.text
    assert masked.json()["operation"] == "mask" and masked.json()["source_dataset_id"] == people_ds.id
    anon = client.post(f"{base}/anonymize", headers=auth, json={
        "name": "anon", "qi": ["年龄", "性别", "区县"], "k": 5, "bands": {"年龄": 10},
        "hierarchies": {"区县": "address"}})
    assert anon.status_code == 201, anon.text
    assert anon.json()["report"]["after"]["k"] >= 5
    down = client.get(f"{base}/lineage", headers=auth).json()
    assert down["lineage"] is None and {d["operation"] for d in down["derived"]} == {"mask", "anonymize"}
    assert client.put(f"{base}/budget", headers=auth, json={"epsilon": 0.5}).json()["epsilon"] == 0.5
    made = client.post(f"{base}/releases", headers=auth, json={"kind": "count", "epsilon": 0.4})
    assert made.status_code == 201, made.text
    refused = client.post(f"{base}/releases", headers=auth, json={"kind": "count", "epsilon": 0.4})
    assert refused.status_code == 429 and refused.json()["code"] == "budget_exceeded"
    budget = client.get(f"{base}/budget", headers=auth).json()
    assert [r["id"] for r in budget["releases"]] == [made.json()["id"]]
    assert budget["spent_epsilon"] == made.json()["epsilon"]


def test_others_get_404_and_bad_bodies_422(
        client: TestClient, factory: Factory, people_ds: Dataset, provider: Actor) -> None:
    stranger = {"Authorization": f"Bearer {factory.token(factory.actor(Role.PROVIDER))}"}
    base = f"/api/v1/datasets/{people_ds.id}"
    assert client.get(f"{base}/lineage", headers=stranger).status_code == 404
    assert client.get(f"{base}/budget", headers=stranger).status_code == 404
    assert client.post(f"{base}/mask", headers=stranger, json={"name": "x"}).status_code == 404
    assert client.post(f"{base}/releases", headers=stranger, json={"kind": "count", "epsilon": 0.1}).status_code == 404
    assert client.get(f"{base}/lineage").status_code == 401
    auth = {"Authorization": f"Bearer {factory.token(provider)}"}
    bad = client.post(f"{base}/mask", headers=auth, json={"name": "x", "policy": {"columns": {"年龄": {
        "operator": "no_such_operator"}}}})
    assert bad.status_code == 422 and bad.json()["field"].startswith("columns.")
    assert client.post(f"{base}/releases", headers=auth, json={"kind": "sum", "epsilon": 0.1,
                                                               "column": "收入"}).json()["field"] == "bounds"
