"""Registration through the services: notice, objections, certificates and each kind's effect."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.registration.conftest import NOTICE_PASSED, Flow
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.catalog.models import CatalogText
from yaosu.errors import Conflict, Forbidden, Invalid, NotFound, PolicyViolation
from yaosu.keys import ExchangeKeys
from yaosu.registration import service
from yaosu.registration.certificate import certificate_file, verify_file
from yaosu.registration.models import Certificate

NUMBER = re.compile(r"^YS-DR-(\d{4})-(\d{6})$")


def test_initial_registration_is_certified_after_notice(flow: Flow, provider: Actor,
                                                        keys: ExchangeKeys) -> None:
    resource = flow.factory.resource(provider, title="城市交通流量数据")
    reg = flow.submit(provider, "initial", resource.id, details={"statement": "自行采集"})
    assert (reg.status, resource.status) == ("submitted", "submitted")
    flow.notice(reg)
    assert (reg.status, resource.status) == ("notice", "notice")
    assert reg.notice_ends_at is not None and reg.notice_starts_at is not None
    assert reg.notice_ends_at - reg.notice_starts_at == timedelta(days=10)

    clock.advance(timedelta(days=9))
    early = flow.finalize()
    assert early.certified == [] and reg.status == "notice"

    clock.advance(timedelta(days=2))
    report = flow.finalize()
    assert [c.registration_id for c in report.certified] == [reg.id]
    cert = report.certified[0]
    assert (reg.status, resource.status, cert.status) == ("certified", "registered", "valid")
    assert NUMBER.match(cert.number)
    result = verify_file(certificate_file(cert), keys.public_key)
    assert result.ok, result.reason
    doc = result.document
    assert doc is not None
    assert doc["resource"]["content_hash"] == resource.versions[-1].content_hash
    assert doc["registrant"]["party_id"] == provider.party_id
    assert doc["issuer"]["key_id"] == keys.key_id() == cert.key_id
    assert sorted(r["kind"] for r in doc["rights"]) == ["holding", "operation", "processing"]
    assert cert.valid_until.year == cert.issued_at.year + 3
    assert flow.events(reg.id) == ["registration.submitted", "registration.notice_started",
                                   "registration.certified"]
    assert flow.events(cert.id) == ["certificate.issued"]


def test_upheld_objection_rejects_and_holder_may_apply_again(flow: Flow, provider: Actor,
                                                            factory: Factory) -> None:
    resource = factory.resource(provider)
    reg = flow.submit(provider, "initial", resource.id)
    flow.notice(reg)
    objection = flow.object(factory.actor(Role.BUYER), reg)
    assert objection.status == "open"
    service.decide_objection(session=flow.session, actor=flow.operator, objection_id=objection.id,
                             uphold=True, note="来源存在争议")
    clock.advance(NOTICE_PASSED)
    report = flow.finalize()
    assert report.rejected == [reg] and report.certified == []
    assert (reg.status, resource.status) == ("rejected", "rejected")
    anon = Actor.anonymous()
    assert service.list_certificates(session=flow.session, actor=anon, resource_id=resource.id) == []
    again = flow.submit(provider, "initial", resource.id)
    assert again.status == "submitted" and resource.status == "submitted"


def test_open_objection_waits_until_decided(flow: Flow, provider: Actor, factory: Factory) -> None:
    resource = factory.resource(provider)
    reg = flow.submit(provider, "initial", resource.id)
    flow.notice(reg)
    objection = flow.object(factory.actor(Role.PROVIDER), reg)
    clock.advance(NOTICE_PASSED)
    assert flow.finalize().waiting == [reg]
    queue = service.list_queue(session=flow.session, actor=flow.operator)
    assert objection in queue.open_objections and reg in queue.in_notice
    service.decide_objection(session=flow.session, actor=flow.operator, objection_id=objection.id,
                             uphold=False, note="理由不成立")
    report = flow.finalize()
    assert [c.registration_id for c in report.certified] == [reg.id]
    with pytest.raises(Conflict):
        service.decide_objection(session=flow.session, actor=flow.operator, objection_id=objection.id,
                                 uphold=True, note="again")


def test_core_data_is_refused_and_nothing_written(flow: Flow, provider: Actor, session: Session) -> None:
    resource = flow.factory.resource(provider)
    # Resource creation already refuses core data; simulate a later re-grading: registration checks too.
    resource.grade, resource.level = "core", None
    before = flow.counts()
    with pytest.raises(PolicyViolation) as err:
        flow.submit(provider, "initial", resource.id)
    assert err.value.code == "core_data_refused"
    assert flow.counts() == before and resource.status == "draft"


def test_objection_only_during_notice(flow: Flow, provider: Actor, factory: Factory) -> None:
    objector = factory.actor(Role.BUYER)
    resource = factory.resource(provider)
    reg = flow.submit(provider, "initial", resource.id)
    with pytest.raises(NotFound):  # before notice the registration of a draft is private
        flow.object(objector, reg)
    with pytest.raises(Invalid) as before:
        flow.object(flow.operator, reg)
    assert before.value.field == "registration_id"
    flow.notice(reg)
    clock.advance(timedelta(days=10, seconds=1))
    with pytest.raises(Invalid) as after:
        flow.object(objector, reg)
    assert after.value.field == "registration_id"


OPERATOR_ONLY = {
    "start_notice": lambda s, a, reg: service.start_notice(session=s, actor=a, registration_id=reg.id),
    "reject": lambda s, a, reg: service.reject_registration(session=s, actor=a, registration_id=reg.id,
                                                            note="n"),
    "finalize": lambda s, a, reg: service.finalize_due(session=s, actor=a, keys=None),  # type: ignore[arg-type]
    "queue": lambda s, a, reg: service.list_queue(session=s, actor=a),
}


@pytest.mark.parametrize("call", OPERATOR_ONLY.values(), ids=OPERATOR_ONLY.keys())
def test_provider_may_not_run_operator_actions(call: object, flow: Flow, provider: Actor) -> None:
    reg = flow.submit(provider, "initial", flow.factory.resource(provider).id)
    with pytest.raises(Forbidden):
        call(flow.session, provider, reg)  # type: ignore[operator]
    assert reg.status == "submitted"


def test_provider_may_not_decide_objections_or_revoke(flow: Flow, provider: Actor, factory: Factory) -> None:
    resource = factory.resource(provider)
    reg = flow.submit(provider, "initial", resource.id)
    flow.notice(reg)
    objection = flow.object(factory.actor(Role.BUYER), reg)
    with pytest.raises(Forbidden):
        service.decide_objection(session=flow.session, actor=provider, objection_id=objection.id,
                                 uphold=False, note="mine")
    clock.advance(NOTICE_PASSED)
    service.decide_objection(session=flow.session, actor=flow.operator, objection_id=objection.id,
                             uphold=False, note="ok")
    cert = flow.finalize().certified[0]
    with pytest.raises(Forbidden):
        service.revoke_certificate(session=flow.session, actor=provider, certificate_id=cert.id, reason="x")
    assert objection.status == "dismissed" and cert.status == "valid"


def test_non_holder_cannot_apply(flow: Flow, provider: Actor, factory: Factory) -> None:
    other = factory.actor(Role.PROVIDER)
    draft = factory.resource(provider)
    with pytest.raises(NotFound):  # a draft is private: its existence is not revealed
        flow.submit(other, "initial", draft.id)
    resource, _ = flow.registered(provider)
    for kind, details in (("change", {"title": "别人的标题"}), ("cancellation", {})):
        with pytest.raises(Forbidden):
            flow.submit(other, kind, resource.id, details=details)


def test_duplicate_open_registration_is_refused_and_nothing_written(flow: Flow, provider: Actor) -> None:
    resource, _ = flow.registered(provider)
    processing = flow.rights(resource, "processing")[0]
    first = flow.submit(provider, "licence", resource.id, right_id=processing.id)
    before = flow.counts()
    with pytest.raises(Conflict) as err:
        flow.submit(provider, "licence", resource.id, right_id=processing.id)
    assert err.value.details["registration_id"] == first.id
    assert flow.counts() == before
    other_right = flow.rights(resource, "operation")[0]
    assert flow.submit(provider, "licence", resource.id, right_id=other_right.id).status == "submitted"


def test_duplicate_initial_is_refused(flow: Flow, provider: Actor) -> None:
    resource = flow.factory.resource(provider)
    flow.submit(provider, "initial", resource.id)
    before = flow.counts()
    with pytest.raises(Conflict):
        flow.submit(provider, "initial", resource.id)
    assert flow.counts() == before


def test_licence_registration_certifies_the_right(flow: Flow, provider: Actor, factory: Factory) -> None:
    resource, _ = flow.registered(provider)
    right = flow.rights(resource, "processing")[0]
    with pytest.raises(Forbidden):
        flow.submit(factory.actor(Role.PROVIDER), "licence", resource.id, right_id=right.id)
    other_resource, _ = flow.registered(provider)
    with pytest.raises(Invalid) as wrong:
        flow.submit(provider, "licence", other_resource.id, right_id=right.id)
    assert wrong.value.field == "right_id"
    with pytest.raises(Invalid):
        flow.submit(provider, "licence", resource.id)
    cert = flow.certify(flow.submit(provider, "licence", resource.id, right_id=right.id))
    assert cert is not None
    doc = certificate_file(cert)["document"]
    assert [r["id"] for r in doc["rights"]] == [right.id] and doc["kind"] == "licence"
    assert cert.holder_party_id == right.holder_party_id


def test_cancellation_revokes_certificates_and_rights(flow: Flow, provider: Actor) -> None:
    resource, initial = flow.registered(provider)
    licence = flow.certify(flow.submit(provider, "licence", resource.id,
                                       right_id=flow.rights(resource, "processing")[0].id))
    assert licence is not None
    reg = flow.submit(provider, "cancellation", resource.id, details={"reason": "停止运营"})
    report_cert = flow.certify(reg)
    assert report_cert is None
    assert resource.status == "cancelled"
    assert (initial.status, licence.status) == ("revoked", "revoked")
    assert reg.id in initial.revocation_reason
    rights = flow.rights(resource)
    assert rights and all(r.status == "revoked" and r.ended_at is not None for r in rights)
    assert all(reg.id in r.status_reason for r in rights)
    with pytest.raises(Conflict):
        flow.submit(provider, "change", resource.id, details={"title": "复活"})


def test_change_applies_fields_and_supersedes_the_old_certificate(
        flow: Flow, provider: Actor, session: Session, keys: ExchangeKeys) -> None:
    resource, old = flow.registered(provider, title="旧的数据集名称")
    changes = {"title": "新的企业经营数据集", "tags": ["经营", "工商"], "update_frequency": "daily"}
    reg = flow.submit(provider, "change", resource.id, details=changes)
    assert resource.title == "旧的数据集名称"  # nothing changes before the notice passes
    new = flow.certify(reg)
    assert new is not None
    assert (resource.title, resource.tags, resource.update_frequency) == tuple(changes.values())
    text = session.get(CatalogText, resource.id)
    assert text is not None and "新的企业经营数据集" in text.text and "旧的" not in text.text
    assert old.status == "revoked" and old.revocation_reason == f"superseded by {new.number}"
    assert new.status == "valid"
    result = verify_file(certificate_file(new), keys.public_key)
    assert result.ok and result.document is not None
    assert result.document["resource"]["title"] == "新的企业经营数据集"


@pytest.mark.parametrize(("details", "field"), [
    ({"grade": "general"}, "details.grade"),
    ({"title": "x"}, "details.title"),
    ({}, "details"),
    ({"update_frequency": "hourly"}, "details.update_frequency"),
], ids=["unchangeable-field", "short-title", "nothing-changed", "unknown-frequency"])
def test_change_details_are_validated(flow: Flow, provider: Actor, details: dict[str, object],
                                      field: str) -> None:
    resource, _ = flow.registered(provider)
    with pytest.raises(Invalid) as err:
        flow.submit(provider, "change", resource.id, details=details)
    assert err.value.field == field


def test_numbers_increase_within_the_year(flow: Flow, provider: Actor) -> None:
    _, first = flow.registered(provider)
    _, second = flow.registered(provider)
    a, b = NUMBER.match(first.number), NUMBER.match(second.number)
    assert a and b
    assert int(b.group(2)) == int(a.group(2)) + 1
    assert a.group(1) == str(first.issued_at.astimezone(clock.SHANGHAI).year)


def test_objection_registration_revokes_the_certificate(flow: Flow, provider: Actor,
                                                        factory: Factory) -> None:
    claimant = factory.actor(Role.PROVIDER)
    resource, cert = flow.registered(provider)
    with pytest.raises(Invalid) as no_reasons:
        flow.submit(claimant, "objection", resource.id, certificate_id=cert.id)
    assert no_reasons.value.field == "details.reasons"
    details = {"reasons": "数据由我方采集", "evidence": [{"name": "合同", "sha256": "c" * 64}]}
    reg = flow.submit(claimant, "objection", resource.id, certificate_id=cert.id, details=details)
    assert flow.certify(reg) is None
    assert cert.status == "revoked" and reg.id in cert.revocation_reason


def test_dismissed_objection_registration_leaves_the_certificate(flow: Flow, provider: Actor,
                                                                 factory: Factory) -> None:
    resource, cert = flow.registered(provider)
    reg = flow.submit(factory.actor(Role.BUYER), "objection", resource.id, certificate_id=cert.id,
                      details={"reasons": "无依据"})
    service.reject_registration(session=flow.session, actor=flow.operator, registration_id=reg.id,
                                note="无证据")
    clock.advance(NOTICE_PASSED)
    flow.finalize()
    assert (reg.status, cert.status) == ("rejected", "valid")


def test_revoke_and_public_lookup(flow: Flow, provider: Actor) -> None:
    resource, cert = flow.registered(provider)
    anon = Actor.anonymous()
    assert service.get_certificate(session=flow.session, actor=anon, number_or_id=cert.number) is cert
    assert service.get_certificate(session=flow.session, actor=anon, number_or_id=cert.id) is cert
    assert service.list_certificates(session=flow.session, actor=anon, resource_id=resource.id) == [cert]
    with pytest.raises(NotFound):
        service.get_certificate(session=flow.session, actor=anon, number_or_id="YS-DR-1999-000001")
    service.revoke_certificate(session=flow.session, actor=flow.operator, certificate_id=cert.id,
                               reason="错误签发")
    assert cert.status == "revoked" and cert.revoked_at is not None
    with pytest.raises(Conflict):
        service.revoke_certificate(session=flow.session, actor=flow.operator, certificate_id=cert.id,
                                   reason="x")
    assert flow.events(cert.id) == ["certificate.issued", "certificate.revoked"]


def test_notices_are_public_and_end_with_the_period(flow: Flow, provider: Actor) -> None:
    reg = flow.submit(provider, "initial", flow.factory.resource(provider).id)
    anon = Actor.anonymous()
    assert reg not in service.list_notices(session=flow.session, actor=anon)
    flow.notice(reg)
    assert reg in service.list_notices(session=flow.session, actor=anon)
    clock.advance(NOTICE_PASSED)
    assert reg not in service.list_notices(session=flow.session, actor=anon)
    with pytest.raises(Forbidden):
        service.list_queue(session=flow.session, actor=anon)


def test_notice_days_and_states(flow: Flow, provider: Actor) -> None:
    reg = flow.submit(provider, "initial", flow.factory.resource(provider).id)
    with pytest.raises(Invalid) as err:
        service.start_notice(session=flow.session, actor=flow.operator, registration_id=reg.id,
                             notice_days=400)
    assert err.value.field == "notice_days"
    service.start_notice(session=flow.session, actor=flow.operator, registration_id=reg.id, notice_days=3)
    assert reg.notice_ends_at is not None and reg.notice_starts_at is not None
    assert reg.notice_ends_at - reg.notice_starts_at == timedelta(days=3)
    with pytest.raises(Conflict):
        service.start_notice(session=flow.session, actor=flow.operator, registration_id=reg.id)


def test_registrations_are_visible_to_readers_only(flow: Flow, provider: Actor, factory: Factory) -> None:
    resource = factory.resource(provider)
    reg = flow.submit(provider, "initial", resource.id)
    other = factory.actor(Role.BUYER)
    assert service.list_registrations(session=flow.session, actor=provider, resource_id=resource.id) == [reg]
    with pytest.raises(NotFound):
        service.list_registrations(session=flow.session, actor=other, resource_id=resource.id)
    with pytest.raises(NotFound):
        service.get_registration(session=flow.session, actor=other, registration_id=reg.id)
    flow.notice(reg)  # in notice the resource is public
    assert service.get_registration(session=flow.session, actor=other, registration_id=reg.id) is reg


def test_finalize_rejects_a_licence_whose_right_ended(flow: Flow, provider: Actor) -> None:
    resource, _ = flow.registered(provider)
    right = flow.rights(resource, "processing")[0]
    reg = flow.submit(provider, "licence", resource.id, right_id=right.id)
    cancel = flow.submit(provider, "cancellation", resource.id)
    flow.notice(cancel)  # its notice ends first, so it is finalized first
    clock.advance(timedelta(seconds=1))
    flow.notice(reg)
    clock.advance(NOTICE_PASSED)
    report = flow.finalize()
    assert reg in report.rejected and cancel in report.concluded
    assert reg.decision_note and isinstance(report.certified, list)
    assert all(isinstance(c, Certificate) for c in report.certified)


def test_transfer_registration_supersedes_the_old_holders_certificate(flow: Flow, provider: Actor,
                                                                      factory: Factory) -> None:
    from yaosu.rights import service as rights
    from yaosu.rights.schemas import TransferCreate

    buyer = factory.actor(Role.PROVIDER)
    resource, initial = flow.registered(provider)
    holding = flow.rights(resource, "holding")[0]
    new = rights.transfer_right(session=flow.session, actor=provider, right_id=holding.id,
                                data=TransferCreate(to_party_id=buyer.party_id))
    cert = flow.certify(flow.submit(buyer, "transfer", resource.id, right_id=new.id))
    assert cert is not None and cert.holder_party_id == buyer.party_id
    assert initial.status == "revoked" and cert.number in initial.revocation_reason
    assert cert.status == "valid"


def test_licence_granted_by_the_holder_is_registered_by_the_licensee(flow: Flow, provider: Actor,
                                                                     factory: Factory) -> None:
    from yaosu.rights import service as rights
    from yaosu.rights.schemas import GrantCreate

    licensee = factory.actor(Role.BUYER)
    resource, initial = flow.registered(provider)
    processing = flow.rights(resource, "processing")[0]
    licence = rights.grant_right(session=flow.session, actor=provider, right_id=processing.id,
                                 data=GrantCreate(to_party_id=licensee.party_id, purposes=["research"],
                                                  actions=["use"]))
    cert = flow.certify(flow.submit(licensee, "licence", resource.id, right_id=licence.id))
    assert cert is not None and cert.holder_party_id == licensee.party_id
    assert [r["id"] for r in certificate_file(cert)["document"]["rights"]] == [licence.id]
    assert initial.status == "valid"  # a licence does not supersede the holder's certificate
