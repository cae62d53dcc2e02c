"""Products: create from resource versions, sign the trading declaration, submit to review, list or reject."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.auth.service import require_active_party
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market.listing_rules import RuleSet, SourceFacts, Submission, load_rules, review
from yaosu.market.models import ListingDecision, Product, ProductSource
from yaosu.market.pricing import parse_pricing
from yaosu.market.schemas import ProductCreate, ProductStatus
from yaosu.resources.models import Resource
from yaosu.resources.service import OVERSEERS, PROVIDERS, load_resource
from yaosu.rights.enums import RightKind, RightOrigin
from yaosu.rights.service import active_rights
from yaosu.settlement.escrow import EXCHANGE
from yaosu.settlement.split import Share, check_rule

LISTERS = PROVIDERS  # who may hold rights on resources may list products built from them
DECLARATION = (
    "交易声明和承诺 v1: 本主体声明所挂牌数据来源合法、权属清晰, 不含核心数据与禁止交易的数据, "
    "个人信息已去标识化或取得合法同意, 并承诺遵守交易所规则、如实披露、接受监管。\n"
    "Trading declaration and commitment v1: the lister declares that the listed data was lawfully "
    "obtained with clear rights, holds no core or prohibited data, that personal information is "
    "de-identified or lawfully consented, and commits to the exchange's rules, truthful disclosure and "
    "supervision.")
DECLARATION_SHA256 = hashlib.sha256(DECLARATION.encode()).hexdigest()


def _check_split(session: Session, split_rule: list[Share]) -> None:
    check_rule(split_rule)
    for share in split_rule:
        if share.party != EXCHANGE and session.get(Party, share.party) is None:
            raise Invalid(f"split rule names an unknown party {share.party}", field="split_rule")


@action("product.create", roles=LISTERS)
def create_product(*, session: Session, actor: Actor, data: ProductCreate) -> Product:
    """A draft product of the actor's party from the current versions of resources it may read."""
    require_active_party(session, actor.party_id, field="actor")
    parse_pricing(data.pricing)
    shares = [Share(s.party, s.basis_points) for s in data.split_rule]
    _check_split(session, shares)
    if len(set(data.sources)) != len(data.sources):
        raise Invalid("a source is named twice", field="sources")
    now = clock.now()
    product = Product(lister_party_id=actor.party_id, title=data.title, description=data.description,
                      kind=data.kind.value, status=ProductStatus.DRAFT.value, pricing=data.pricing,
                      split_rule=[{"party": s.party, "basis_points": s.basis_points} for s in shares],
                      current_version=1, consent_basis=data.consent_basis,
                      security_assessment=data.security_assessment, created_at=now, updated_at=now)
    session.add(product)
    session.flush()
    lineage = []
    for resource_id in data.sources:
        resource = load_resource(session, actor, resource_id)
        if resource.current_version < 1:
            raise Invalid(f"resource {resource_id} has no version yet", field="sources")
        session.add(ProductSource(product_id=product.id, version=1, resource_id=resource.id,
                                  resource_version=resource.current_version))
        lineage.append({"resource": resource.id, "version": resource.current_version})
    session.flush()
    append(session, actor, Event("product.created", "product", product.id,
                                 {"title": product.title, "kind": product.kind, "sources": lineage,
                                  "pricing_model": str(data.pricing.get("model")), "split_rule": product.split_rule}))
    return product


def _own(session: Session, actor: Actor, product_id: str) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.lister_party_id != actor.party_id:
        raise NotFound("no such product", field="product_id")
    return product


@action("product.sign_declaration", roles=LISTERS)
def sign_declaration(*, session: Session, actor: Actor, product_id: str, text_sha256: str) -> Product:
    """The lister's user signs the trading declaration and commitment (the text it saw, by its hash)."""
    product = _own(session, actor, product_id)
    if text_sha256 != DECLARATION_SHA256:
        raise Invalid("the declaration signed is not the current text", field="text_sha256")
    product.declaration_signed_by, product.declaration_hash = actor.user_id, text_sha256
    product.updated_at = clock.now()
    append(session, actor, Event("product.declaration_signed", "product", product.id,
                                 {"declaration_sha256": text_sha256, "user": actor.user_id}))
    return product


def _facts(session: Session, product: Product) -> list[SourceFacts]:
    facts = []
    rows = session.scalars(select(ProductSource).where(ProductSource.product_id == product.id,
                                                       ProductSource.version == product.current_version))
    for source in rows:
        resource = session.get(Resource, source.resource_id)
        if resource is None:
            raise NotFound(f"source resource {source.resource_id} is gone", field="sources")
        held = active_rights(session, source.resource_id, product.lister_party_id)
        granted = any(r.kind == RightKind.OPERATION.value and r.origin != RightOrigin.ORIGINAL.value for r in held)
        facts.append(SourceFacts(resource_id=source.resource_id, classification=resource.classification,
                                 grade=resource.grade, domain=resource.domain,
                                 lister_rights=frozenset(r.kind for r in held), operation_granted=granted))
    return facts


@action("product.submit", roles=LISTERS)
def submit_product(*, session: Session, actor: Actor, product_id: str,
                   rules: RuleSet | None = None) -> list[ListingDecision]:
    """Run the automatic listing rules; pass → awaiting the operator's review, any finding → rejected with it."""
    product = _own(session, actor, product_id)
    if product.status not in (ProductStatus.DRAFT.value, ProductStatus.REJECTED.value):
        raise Conflict(f"a product that is {product.status} is not submitted again", field="product_id",
                       code="invalid_transition")
    ruleset = rules or load_rules()
    submission = Submission(sources=_facts(session, product), list_price=parse_pricing(product.pricing).list_price(),
                            consent_basis=product.consent_basis, security_assessment=product.security_assessment,
                            declaration_signed=product.declaration_hash == DECLARATION_SHA256)
    findings = review(ruleset, submission)
    now = clock.now()
    decisions = [ListingDecision(product_id=product.id, version=product.current_version, stage="auto",
                                 outcome="refused", rule=f.rule, rules_version=ruleset.version,
                                 resource_id=f.resource_id, reason=f.reason, fix=f.fix, created_at=now)
                 for f in findings]
    if not findings:
        decisions.append(ListingDecision(product_id=product.id, version=product.current_version, stage="auto",
                                         outcome="passed", rules_version=ruleset.version,
                                         reason="所有自动规则通过 / every automatic rule passed", created_at=now))
    session.add_all(decisions)
    product.status = (ProductStatus.REJECTED if findings else ProductStatus.PENDING_REVIEW).value
    product.updated_at = now
    session.flush()
    append(session, actor, Event("product.submitted", "product", product.id,
                                 {"version": product.current_version, "rules_version": ruleset.version,
                                  "status": product.status, "refused_by": [f.rule for f in findings]}))
    return decisions


@action("product.review", roles={Role.OPERATOR})
def review_product(*, session: Session, actor: Actor, product_id: str, approve: bool, reason: str) -> Product:
    """The operator's manual review of a product that passed the automatic rules: list it or reject it."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("no such product", field="product_id")
    if product.status != ProductStatus.PENDING_REVIEW.value:
        raise Conflict(f"only a product awaiting review is reviewed (this one is {product.status})",
                       field="product_id", code="invalid_transition")
    if not reason.strip() or len(reason) > 500:
        raise Invalid("a review gives its reason (1 to 500 characters)", field="reason")
    session.add(ListingDecision(product_id=product.id, version=product.current_version, stage="manual",
                                outcome="approved" if approve else "rejected", reviewer_user_id=actor.user_id,
                                reason=reason.strip(), created_at=clock.now()))
    product.status = (ProductStatus.LISTED if approve else ProductStatus.REJECTED).value
    product.updated_at = clock.now()
    session.flush()
    append(session, actor, Event("product.reviewed", "product", product.id,
                                 {"version": product.current_version, "status": product.status,
                                  "reason": reason.strip()}))
    return product


def _visible(actor: Actor, product: Product) -> bool:
    return (product.status == ProductStatus.LISTED.value or product.lister_party_id == actor.party_id
            or actor.has(*OVERSEERS))


@action("product.get", roles=ANY_ROLE, public=True)
def get_product(*, session: Session, actor: Actor, product_id: str) -> Product:
    """A listed product (anyone), or one's own or any for the operator and regulator."""
    product = session.get(Product, product_id)
    if product is None or not _visible(actor, product):
        raise NotFound("no such product", field="product_id")
    return product


@action("product.decisions", roles=ANY_ROLE)
def list_decisions(*, session: Session, actor: Actor, product_id: str) -> list[ListingDecision]:
    """Every listing decision on a product, oldest first (its lister, the operator and the regulator)."""
    product = session.get(Product, product_id)
    if product is None or not (product.lister_party_id == actor.party_id or actor.has(*OVERSEERS)):
        raise NotFound("no such product", field="product_id")
    return list(session.scalars(select(ListingDecision).where(ListingDecision.product_id == product.id)
                                .order_by(ListingDecision.created_at, ListingDecision.id)))


@action("product.pending", roles=OVERSEERS)
def pending_products(*, session: Session, actor: Actor, limit: int = 100) -> list[Product]:
    """Products that passed the automatic rules and await the operator's review, oldest first."""
    stmt = (select(Product).where(Product.status == ProductStatus.PENDING_REVIEW.value)
            .order_by(Product.updated_at, Product.id).limit(min(limit, 500)))
    return list(session.scalars(stmt))
