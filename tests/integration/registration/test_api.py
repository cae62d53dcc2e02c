"""Registration through the JSON API, and the certificate file through `yaosu cert verify`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.factories import Factory, resource_payload
from tests.integration.registration.conftest import NOTICE_PASSED
from yaosu import clock
from yaosu.auth.roles import Role
from yaosu.cli.main import app as cli
from yaosu.keys import ExchangeKeys
from yaosu.registration.certificate import verify_file

API = "/api/v1"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Parties:
    def __init__(self, factory: Factory) -> None:
        self.provider = factory.token(factory.actor(Role.PROVIDER))
        self.operator = factory.token(factory.actor(Role.OPERATOR))
        self.buyer = factory.token(factory.actor(Role.BUYER))

    def resource(self, client: TestClient, title: str = "城市交通流量数据") -> str:
        res = client.post(f"{API}/resources", json=resource_payload(title=title),
                          headers=_auth(self.provider))
        assert res.status_code == 201, res.text
        return str(res.json()["id"])

    def submit_and_notice(self, client: TestClient, resource_id: str) -> dict[str, Any]:
        res = client.post(f"{API}/registrations", json={"kind": "initial", "resource_id": resource_id},
                          headers=_auth(self.provider))
        assert res.status_code == 201, res.text
        reg_id = res.json()["id"]
        res = client.post(f"{API}/registrations/{reg_id}/notice", headers=_auth(self.operator))
        assert res.status_code == 200, res.text
        assert res.json()["status"] == "notice"
        return dict(res.json())


@pytest.fixture
def parties(factory: Factory) -> Parties:
    return Parties(factory)


def test_objection_upheld_rejects_through_api(client: TestClient, parties: Parties) -> None:
    resource_id = parties.resource(client)
    reg = parties.submit_and_notice(client, resource_id)
    notices = client.get(f"{API}/notices")  # anonymous visitors see the notice
    assert notices.status_code == 200 and reg["id"] in [n["id"] for n in notices.json()]
    res = client.post(f"{API}/registrations/{reg['id']}/objections", headers=_auth(parties.buyer),
                      json={"reasons": "数据来源有争议", "evidence": [{"name": "协议", "sha256": "d" * 64}]})
    assert res.status_code == 201, res.text
    objection = res.json()
    assert objection["status"] == "open" and objection["evidence"][0]["sha256"] == "d" * 64
    forbidden = client.post(f"{API}/objections/{objection['id']}/decision", headers=_auth(parties.provider),
                            json={"uphold": False, "note": "我不同意"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    res = client.post(f"{API}/objections/{objection['id']}/decision", headers=_auth(parties.operator),
                      json={"uphold": True, "note": "异议成立"})
    assert res.status_code == 200 and res.json()["status"] == "upheld"
    clock.advance(NOTICE_PASSED)
    report = client.post(f"{API}/registrations/finalize", headers=_auth(parties.operator)).json()
    assert [r["id"] for r in report["rejected"]] == [reg["id"]] and report["certified"] == []
    got = client.get(f"{API}/registrations/{reg['id']}", headers=_auth(parties.provider)).json()
    assert got["status"] == "rejected"
    resource = client.get(f"{API}/resources/{resource_id}", headers=_auth(parties.provider)).json()
    assert resource["status"] == "rejected"


def test_certificate_file_verifies_offline(client: TestClient, parties: Parties, keys: ExchangeKeys,
                                           tmp_path: Path) -> None:
    resource_id = parties.resource(client)
    reg = parties.submit_and_notice(client, resource_id)
    early = client.post(f"{API}/registrations/finalize", headers=_auth(parties.operator)).json()
    assert early["certified"] == []
    clock.advance(NOTICE_PASSED)
    report = client.post(f"{API}/registrations/finalize", headers=_auth(parties.operator)).json()
    number = report["certified"][0]["number"]
    assert report["certified"][0]["registration_id"] == reg["id"]

    shown = client.get(f"{API}/certificates/{number}")  # anonymous
    assert shown.status_code == 200 and shown.json()["status"] == "valid"
    file_body = client.get(f"{API}/certificates/{number}/file").json()
    assert verify_file(file_body, keys.public_key).ok
    listed = client.get(f"{API}/resources/{resource_id}/certificates").json()
    assert [c["number"] for c in listed] == [number]

    pem = tmp_path / "exchange.pub.pem"
    pem.write_text(client.get(f"{API}/exchange").json()["public_key_pem"])
    cert_path = tmp_path / "cert.json"
    cert_path.write_text(json.dumps(file_body, ensure_ascii=False))
    runner = CliRunner()
    ok = runner.invoke(cli, ["cert", "verify", str(cert_path), "--public-key", str(pem)])
    assert ok.exit_code == 0, ok.output
    assert "有效" in ok.output and number in ok.output
    assert file_body["document"]["resource"]["content_hash"] in ok.output

    file_body["document"]["rights"][0]["share_bp"] = 5000
    cert_path.write_text(json.dumps(file_body, ensure_ascii=False))
    bad = runner.invoke(cli, ["cert", "verify", str(cert_path), "--public-key", str(pem)])
    assert bad.exit_code == 1 and "无效" in bad.output and "Traceback" not in bad.output

    cert_path.write_text("{not json")
    unreadable = runner.invoke(cli, ["cert", "verify", str(cert_path), "--public-key", str(pem)])
    assert unreadable.exit_code == 2
    missing_key = runner.invoke(cli, ["cert", "verify", str(cert_path), "--public-key",
                                      str(tmp_path / "nope")])
    assert missing_key.exit_code == 2


def test_provider_cannot_start_notice_or_finalize(client: TestClient, parties: Parties) -> None:
    resource_id = parties.resource(client)
    res = client.post(f"{API}/registrations", json={"kind": "initial", "resource_id": resource_id},
                      headers=_auth(parties.provider))
    reg_id = res.json()["id"]
    for path in (f"/registrations/{reg_id}/notice", "/registrations/finalize"):
        denied = client.post(API + path, headers=_auth(parties.provider))
        assert denied.status_code == 403, path
    assert client.get(f"{API}/registrations/queue", headers=_auth(parties.provider)).status_code == 403
    queue = client.get(f"{API}/registrations/queue", headers=_auth(parties.operator)).json()
    assert reg_id in [r["id"] for r in queue["submitted"]]


def test_errors_have_one_shape(client: TestClient, parties: Parties) -> None:
    resource_id = parties.resource(client)
    body = {"kind": "initial", "resource_id": resource_id}
    assert client.post(f"{API}/registrations", json=body, headers=_auth(parties.provider)).status_code == 201
    dup = client.post(f"{API}/registrations", json=body, headers=_auth(parties.provider))
    assert dup.status_code == 409
    assert (dup.json()["code"], dup.json()["field"]) == ("conflict", "resource_id")
    hidden = client.post(f"{API}/registrations", json=body, headers=_auth(parties.buyer))
    assert hidden.status_code == 404
    too_big = client.post(f"{API}/registrations", headers=_auth(parties.provider),
                          json={**body, "details": {f"k{i}": i for i in range(51)}})
    assert too_big.status_code == 422 and too_big.json()["field"] == "details"
    assert client.post(f"{API}/registrations", json=body).status_code == 401
    assert client.get(f"{API}/certificates/YS-DR-2000-000001").status_code == 404


def test_revoke_through_api(client: TestClient, parties: Parties) -> None:
    reg = parties.submit_and_notice(client, parties.resource(client))
    clock.advance(NOTICE_PASSED)
    report = client.post(f"{API}/registrations/finalize", headers=_auth(parties.operator)).json()
    cert = report["certified"][0]
    assert cert["registration_id"] == reg["id"]
    denied = client.post(f"{API}/certificates/{cert['id']}/revoke", json={"reason": "x"},
                         headers=_auth(parties.provider))
    assert denied.status_code == 403
    res = client.post(f"{API}/certificates/{cert['id']}/revoke", json={"reason": "签发错误"},
                      headers=_auth(parties.operator))
    assert res.status_code == 200 and res.json()["status"] == "revoked"
    assert client.get(f"{API}/certificates/{cert['number']}").json()["revocation_reason"] == "签发错误"
