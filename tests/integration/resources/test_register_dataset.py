"""Registering a vault dataset: the node supplies hash, rows and schema, and the scan is stored on the resource."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Factory, resource_payload
from yaosu.auth.roles import Role
from yaosu.errors import NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.node import service as node_service
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.resources.from_dataset import register_dataset
from yaosu.resources.models import Resource
from yaosu.resources.scan_service import latest_scan
from yaosu.resources.schemas import DatasetRegistration
from yaosu.runtime import Runtime

MOBILES = [f"1391234{i:04d}" for i in range(60)]


def _draft() -> dict[str, object]:
    body = resource_payload(classification="personal", level=3)
    body.pop("version")
    return body


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "会员.csv"
    path.write_text("会员号,联系电话\n" + "\n".join(f"M{i:05d},{m}" for i, m in enumerate(MOBILES)) + "\n",
                    encoding="utf-8")
    return path


def test_the_node_decides_the_version_and_the_scan_is_recorded(session: Session, factory: Factory,
                                                                runtime: Runtime, csv_file: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    vault = Vault.for_data_dir(runtime.data_dir)
    ds = node_service.add_dataset(session=session, actor=provider, vault=vault, location=str(csv_file))
    resource = register_dataset(session=session, actor=provider, node=LocalNode(vault),
                                data=DatasetRegistration.model_validate({"dataset_id": ds.id, "resource": _draft()}))
    version = resource.latest_version()
    assert version is not None and (version.content_hash, version.row_count) == (ds.content_hash, 60)
    assert [f["name"] for f in version.schema_fields] == ["会员号", "联系电话"]
    scan = latest_scan(session, resource.id)
    assert scan is not None and scan.rows == 60 and scan.version_number == version.number
    entities = {c["name"]: c["entity"] for c in scan.report["columns"]}
    assert entities["联系电话"] == "CN_MOBILE"
    events = session.scalars(select(LedgerEvent.payload).where(LedgerEvent.subject_id == resource.id)).all()
    assert len(events) >= 2 and not any(m in p for p in events for m in MOBILES)  # summaries, never values


def test_another_partys_dataset_cannot_be_registered(session: Session, factory: Factory, runtime: Runtime,
                                                    csv_file: Path) -> None:
    owner, other = factory.actor(Role.PROVIDER), factory.actor(Role.PROVIDER)
    vault = Vault.for_data_dir(runtime.data_dir)
    ds = node_service.add_dataset(session=session, actor=owner, vault=vault, location=str(csv_file))
    before = session.scalar(select(func.count()).select_from(Resource))
    with pytest.raises(NotFound):
        register_dataset(session=session, actor=other, node=LocalNode(vault),
                         data=DatasetRegistration.model_validate({"dataset_id": ds.id, "resource": _draft()}))
    assert session.scalar(select(func.count()).select_from(Resource)) == before


def test_api_registers_a_dataset(client: TestClient, session: Session, factory: Factory, runtime: Runtime,
                                 csv_file: Path) -> None:
    provider = factory.actor(Role.PROVIDER)
    ds = node_service.add_dataset(session=session, actor=provider, vault=Vault.for_data_dir(runtime.data_dir),
                                  location=str(csv_file))
    token = factory.token(provider)
    session.flush()
    auth = {"Authorization": f"Bearer {token}"}
    body = json.loads(json.dumps({"dataset_id": ds.id, "resource": _draft()}, default=str))
    created = client.post("/api/v1/resources/from-dataset", json=body, headers=auth)
    assert created.status_code == 201, created.text
    resource_id = created.json()["id"]
    latest = client.get(f"/api/v1/resources/{resource_id}/scans/latest", headers=auth)
    assert latest.status_code == 200 and latest.json()["rows"] == 60
    missing = client.post("/api/v1/resources/from-dataset", json={**body, "dataset_id": "nope"}, headers=auth)
    assert missing.status_code == 404
