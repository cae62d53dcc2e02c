"""The public registry: visitors see resources in notice or registered, never drafts or submissions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.registration.conftest import Flow
from yaosu.auth.actor import Actor
from yaosu.errors import NotFound
from yaosu.registration import service
from yaosu.rights import service as rights


def test_visitor_reads_a_registered_resource_through_the_api(client: TestClient, flow: Flow,
                                                             provider: Actor) -> None:
    resource, cert = flow.registered(provider, title="公共交通客流统计")
    right = flow.rights(resource, "processing")[0]
    for url in (f"/api/v1/resources/{resource.id}", f"/api/v1/resources/{resource.id}/rights",
                f"/api/v1/rights/{right.id}/chain", f"/api/v1/resources/{resource.id}/registrations",
                f"/api/v1/certificates/{cert.number}"):
        res = client.get(url)
        assert res.status_code == 200, (url, res.text)
    assert "公共交通客流统计" in client.get(f"/api/v1/resources/{resource.id}").text


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_visitor_never_sees_a_resource_before_notice(client: TestClient, flow: Flow, provider: Actor,
                                                     stage: str) -> None:
    resource = flow.factory.resource(provider, title="未公示的内部数据")
    if stage == "submitted":
        flow.submit(provider, "initial", resource.id)
    right = flow.rights(resource, "holding")[0]
    for url in (f"/api/v1/resources/{resource.id}", f"/api/v1/resources/{resource.id}/rights",
                f"/api/v1/rights/{right.id}", f"/api/v1/rights/{right.id}/chain",
                f"/api/v1/resources/{resource.id}/registrations"):
        res = client.get(url)
        assert res.status_code == 404, (url, res.text)
        assert "未公示的内部数据" not in res.text
    anonymous = Actor.anonymous()
    with pytest.raises(NotFound):
        rights.list_rights(session=flow.session, actor=anonymous, subject_id=resource.id)
    with pytest.raises(NotFound):
        service.list_registrations(session=flow.session, actor=anonymous, resource_id=resource.id)


def test_visitor_cannot_write(client: TestClient, flow: Flow, provider: Actor) -> None:
    resource, _ = flow.registered(provider)
    right = flow.rights(resource, "processing")[0]
    res = client.post(f"/api/v1/rights/{right.id}/grants",
                      json={"to_party_id": provider.party_id, "purposes": ["x"], "actions": ["use"]})
    assert res.status_code == 401
