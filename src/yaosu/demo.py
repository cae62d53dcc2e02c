"""The scripted demonstration: operator, a provincial data bureau, an enterprise provider and a buyer.

The early steps run on a clock set back by the notice period, so at the real present the notice
has passed and certificates are issued now: the same script serves `yaosu demo` and `serve --demo`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth import party_keys
from yaosu.auth import service as auth
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party, User
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate, UserCreate
from yaosu.bootstrap import setup
from yaosu.db.engine import unit_of_work
from yaosu.errors import Conflict
from yaosu.identifiers import uscc_check_char
from yaosu.keys import load_public_key, read_or_create_secret
from yaosu.market import contracts, orders
from yaosu.market import service as market
from yaosu.market.pricing import Usage, parse_pricing
from yaosu.market.schemas import ProductCreate
from yaosu.registration import certificate as certs
from yaosu.registration import service as registration
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.schemas import RegistrationCreate
from yaosu.resources import service as resources
from yaosu.resources.models import Resource
from yaosu.resources.schemas import ResourceCreate
from yaosu.rights import service as rights
from yaosu.rights.schemas import GrantCreate
from yaosu.runtime import Runtime, system_actor

DEMO_PASSWORD = "yaosu-demo-2026"  # noqa: S105 (published demonstration accounts, see README)
DEMO_PARTIES: list[tuple[str, str, str, list[Role]]] = [
    # username, name, USCC body (17), roles
    ("bureau", "广东省政务服务和数据管理局", "11440000MB2C12345", [Role.PROVIDER, Role.TRUSTEE]),
    ("provider", "粤港物流科技有限公司", "91440300MA5F12345", [Role.PROVIDER, Role.MERCHANT]),
    ("buyer", "湾区普惠金融科技有限公司", "91440101MA9W12345", [Role.BUYER]),
    ("regulator", "广东省数据要素监管办公室", "11440000MB2D12345", [Role.REGULATOR]),
]


@dataclass
class DemoSummary:
    """What the demo did, for a readable report."""

    parties: dict[str, str] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)
    licence_id: str = ""
    certificates: list[str] = field(default_factory=list)
    certificate_file: Path | None = None
    verified: bool = False
    steps: list[str] = field(default_factory=list)


def _digest(label: str) -> str:
    return hashlib.sha256(f"yaosu-demo:{label}".encode()).hexdigest()


def _party(session: Session, operator: Actor, username: str, name: str, body: str, roles: list[Role]) -> Actor:
    party = auth.create_party(session=session, actor=operator, data=PartyCreate(
        kind=PartyKind.ORGANIZATION, name=name, uscc=body + uscc_check_char(body), region="CN-44", roles=roles))
    user = auth.create_user(session=session, actor=operator, data=UserCreate(
        party_id=party.id, username=username, display_name=name, password=DEMO_PASSWORD))
    return auth.actor_for_user(session, user)


def _resources(session: Session, actors: dict[str, Actor]) -> dict[str, Resource]:
    public = ResourceCreate.model_validate({
        "title": "全省市场主体登记信息", "description": "全省企业、个体工商户登记与变更信息，按月更新",
        "domain": "market_regulation", "source_system": "市场主体登记系统", "update_frequency": "monthly",
        "tags": ["市场主体", "工商登记"], "classification": "public", "grade": "general", "level": 3,
        "open_condition": "conditional", "data_item_code": "GD-SCJG-0001",
        "version": {"content_hash": _digest("market-entities-v1"), "row_count": 16_800_000,
                    "schema_fields": [{"name": "uscc", "type": "string"}, {"name": "name", "type": "string"},
                                      {"name": "registered_at", "type": "date"}]}})
    logistics = ResourceCreate.model_validate({
        "title": "港口集装箱吞吐量与运单时效数据", "description": "珠三角主要港口集装箱吞吐量及干线运单时效统计",
        "domain": "transport", "source_system": "运输管理系统 TMS", "update_frequency": "daily",
        "tags": ["物流", "港口", "时效"], "classification": "enterprise", "grade": "general", "level": 2,
        "version": {"content_hash": _digest("port-throughput-v1"), "row_count": 2_400_000,
                    "schema_fields": [{"name": "port", "type": "string"}, {"name": "teu", "type": "int64"}]}})
    return {
        "public": resources.create_resource(session=session, actor=actors["bureau"], data=public),
        "enterprise": resources.create_resource(session=session, actor=actors["provider"], data=logistics),
    }


def _phase_register(session: Session, runtime: Runtime, summary: DemoSummary) -> None:
    """Admit the parties, describe two resources, submit them and open their public notice."""
    operator = system_actor(session)
    actors = {u: _party(session, operator, u, n, b, r) for u, n, b, r in DEMO_PARTIES}
    summary.parties = {u: a.party_id for u, a in actors.items()}
    made = _resources(session, actors)
    summary.resources = {k: r.id for k, r in made.items()}
    summary.steps.append("4 parties admitted; 2 resources described (public data, enterprise data)")
    for key, holder in (("public", "bureau"), ("enterprise", "provider")):
        reg = registration.submit_registration(session=session, actor=actors[holder], data=RegistrationCreate(
            kind=RegistrationKind.INITIAL, resource_id=made[key].id))
        registration.start_notice(session=session, actor=operator, registration_id=reg.id,
                                  notice_days=runtime.settings.notice_days)
    summary.steps.append(f"initial registrations submitted; public notice of {runtime.settings.notice_days} days")


def _actor(session: Session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return auth.actor_for_user(session, user)


def _phase_license(session: Session, runtime: Runtime, summary: DemoSummary) -> None:
    """Certify the initial registrations, license a processing right to the buyer, register the licence."""
    operator = system_actor(session)
    report = registration.finalize_due(session=session, actor=operator, keys=runtime.keys)
    summary.certificates.extend(c.number for c in report.certified)
    summary.steps.append(f"notice passed without objection: {len(report.certified)} initial certificates issued")
    provider, buyer = _actor(session, "provider"), _actor(session, "buyer")
    resource_id = summary.resources["enterprise"]
    processing = next(r for r in rights.active_rights(session, resource_id) if r.kind == "processing")
    licence = rights.grant_right(session=session, actor=provider, right_id=processing.id, data=GrantCreate(
        to_party_id=buyer.party_id, purposes=["credit_risk_model"], actions=["use", "analyze"],
        regions=["CN-44"], valid_until=clock.now() + timedelta(days=365)))
    summary.licence_id = licence.id
    reg = registration.submit_registration(session=session, actor=provider, data=RegistrationCreate(
        kind=RegistrationKind.LICENCE, resource_id=resource_id, right_id=licence.id))
    registration.start_notice(session=session, actor=operator, registration_id=reg.id,
                              notice_days=runtime.settings.notice_days)
    summary.steps.append("processing right (加工使用权) licensed to the buyer for 1 year; "
                         "licence registration in notice")


def _phase_certify(session: Session, runtime: Runtime, summary: DemoSummary, out_dir: Path) -> None:
    """Certify the licence, export its certificate and verify it offline with the public key file."""
    report = registration.finalize_due(session=session, actor=system_actor(session), keys=runtime.keys)
    summary.certificates.extend(c.number for c in report.certified)
    summary.steps.append(f"licence notice passed: {len(report.certified)} licence certificate issued")
    cert = report.certified[-1]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{cert.number}.json"
    path.write_text(json.dumps(certs.certificate_file(cert), ensure_ascii=False, indent=2), encoding="utf-8")
    summary.certificate_file = path
    public_key = load_public_key((runtime.data_dir / "keys" / "exchange-ed25519.pub.pem").read_bytes())
    result = certs.verify_file(json.loads(path.read_text(encoding="utf-8")), public_key)
    summary.verified = result.ok
    summary.steps.append(f"certificate {cert.number} exported and verified offline: {result.reason or 'valid'}")


def _sign_as(session: Session, actor: Actor, order_id: str, key_file: Path) -> None:
    """Sign the order's contract as `actor` with a demonstration key kept (0600) in `key_file`."""
    key = Ed25519PrivateKey.generate()
    pem = read_or_create_secret(key_file, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    loaded = load_pem_private_key(pem, password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    party_keys.add_key(session=session, actor=actor, public_key=party_keys.public_hex(loaded), label="demo")
    contracts.sign_with(session, actor, order_id, loaded)


def _phase_market(session: Session, runtime: Runtime, summary: DemoSummary) -> None:
    """List a product from the provider's certified resource, then the buyer orders it through escrow, both sign the
    contract with demonstration keys and the provider delivers; the buyer accepts (or disputes) in the portal."""
    operator = system_actor(session)
    provider, buyer = _actor(session, "provider"), _actor(session, "buyer")
    product = market.create_product(session=session, actor=provider, data=ProductCreate.model_validate({
        "title": "港口运力指数查询服务", "kind": "api", "sources": [summary.resources["enterprise"]],
        "description": "按港口、按日查询集装箱吞吐量与干线运单时效指数",
        "pricing": {"model": "per_call", "tiers": [{"up_to": 1000, "unit": 50}, {"unit": 20}]},
        "split_rule": [{"party": provider.party_id, "basis_points": 9700},
                       {"party": "exchange", "basis_points": 300}]}))
    market.sign_declaration(session=session, actor=provider, product_id=product.id,
                            text_sha256=market.DECLARATION_SHA256)
    market.submit_product(session=session, actor=provider, product_id=product.id)
    market.review_product(session=session, actor=operator, product_id=product.id, approve=True,
                          reason="演示：材料齐全，准予挂牌")
    usage = {"calls": 200}
    price = parse_pricing(product.pricing).quote(Usage.model_validate(usage))
    orders.deposit(session=session, actor=buyer, amount=price, key="demo-deposit")  # the simulated bank
    order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage=usage,
                               client_key="demo-order", purpose="信用风险建模")
    keys_dir = runtime.data_dir / "demo-keys"
    _sign_as(session, buyer, order.id, keys_dir / "buyer.pem")
    _sign_as(session, provider, order.id, keys_dir / "provider.pem")
    orders.deliver_order(session=session, actor=provider, order_id=order.id, note="演示：API 调用凭证已开通")
    summary.steps.append(f"product listed after review; the buyer ordered 200 calls ({price / 100:.2f} yuan held in "
                         "escrow), both parties signed the contract, the provider delivered: the buyer accepts "
                         "or disputes it in the portal")


def demo_present(session: Session) -> bool:
    """True if the demonstration parties already exist."""
    return session.scalar(select(User.id).where(User.username == DEMO_PARTIES[0][0])) is not None


def run_demo(runtime: Runtime, progress: Callable[[str], None] = lambda _: None) -> DemoSummary:
    """Run the whole journey on `runtime`'s database; returns what happened."""
    setup(runtime)
    summary = DemoSummary()
    period = timedelta(days=runtime.settings.notice_days + 1)
    real_now = clock.now()
    phases: list[tuple[datetime | None, Callable[[Session], None]]] = [
        (real_now - 2 * period, lambda s: _phase_register(s, runtime, summary)),
        (real_now - period, lambda s: _phase_license(s, runtime, summary)),
        (None, lambda s: _phase_certify(s, runtime, summary, runtime.data_dir / "certificates")),
        (None, lambda s: _phase_market(s, runtime, summary)),
    ]
    for i, (at, phase) in enumerate(phases):
        done = len(summary.steps)
        try:
            if at is not None:
                clock.freeze(at)
            with unit_of_work(runtime.sessions) as session:
                if i == 0 and demo_present(session):
                    raise Conflict("demonstration data already present in this data directory")
                phase(session)
        finally:
            clock.reset()
        for step in summary.steps[done:]:
            progress(step)
    return summary


def load_demo_data(runtime: Runtime) -> list[str]:
    """On first start with --demo, load the journey; returns the demo usernames (empty if already loaded)."""
    with unit_of_work(runtime.sessions) as session:
        if demo_present(session) or session.scalar(select(Party.id).where(Party.name == DEMO_PARTIES[0][1])):
            return []
    run_demo(runtime)
    return [u for u, *_ in DEMO_PARTIES]
