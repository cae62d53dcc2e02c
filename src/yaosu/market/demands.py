"""The demand board (供需撮合): buyers post needs, listed products are ranked against them, listers offer."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market.matching import Candidate, Match, rank
from yaosu.market.models import Demand, Offer, Product, ProductSource
from yaosu.market.orders import BUYERS
from yaosu.market.pricing import parse_pricing
from yaosu.market.schemas import DemandCreate, OfferCreate, ProductStatus
from yaosu.market.service import LISTERS
from yaosu.resources.enums import DOMAINS
from yaosu.resources.models import Resource


@action("demand.post", roles=BUYERS)
def post_demand(*, session: Session, actor: Actor, data: DemandCreate) -> Demand:
    """Post a need on the demand board for listers to answer."""
    if data.domain not in DOMAINS:
        raise Invalid(f"unknown domain; one of: {', '.join(DOMAINS)}", field="domain")
    if data.deadline <= clock.now():
        raise Invalid("the deadline is in the past", field="deadline")
    fields = [f.strip()[:64] for f in data.fields_wanted if f.strip()]
    demand = Demand(buyer_party_id=actor.party_id, title=data.title, domain=data.domain, fields_wanted=fields,
                    purpose=data.purpose, budget=data.budget, deadline=data.deadline, status="open",
                    created_at=clock.now())
    session.add(demand)
    session.flush()
    append(session, actor, Event("demand.posted", "demand", demand.id,
                                 {"title": demand.title, "domain": demand.domain, "budget": demand.budget}))
    return demand


@action("demand.list_open", roles=ANY_ROLE)
def list_open(*, session: Session, actor: Actor, limit: int = 50) -> list[Demand]:
    """Open demands whose deadline has not passed, newest first (any signed-in party)."""
    stmt = (select(Demand).where(Demand.status == "open", Demand.deadline > clock.now())
            .order_by(Demand.created_at.desc()).limit(min(limit, 200)))
    return list(session.scalars(stmt))


def _own_demand(session: Session, actor: Actor, demand_id: str) -> Demand:
    demand = session.get(Demand, demand_id)
    if demand is None or demand.buyer_party_id != actor.party_id:
        raise NotFound("no such demand", field="demand_id")
    return demand


def _candidates(session: Session) -> list[Candidate]:
    out = []
    for product in session.scalars(select(Product).where(Product.status == ProductStatus.LISTED.value)):
        sources = session.scalars(select(Resource).join(ProductSource, ProductSource.resource_id == Resource.id)
                                  .where(ProductSource.product_id == product.id,
                                         ProductSource.version == product.current_version)).all()
        words = [product.title, product.description]
        for resource in sources:
            words += [resource.title, " ".join(resource.tags)]
            version = resource.latest_version()
            words += [str(f.get("name", "")) for f in (version.schema_fields if version else [])]
        out.append(Candidate(product.id, " ".join(words), frozenset(r.domain for r in sources),
                             parse_pricing(product.pricing).list_price()))
    return out


@action("demand.matches", roles=ANY_ROLE)
def match_demand(*, session: Session, actor: Actor, demand_id: str, limit: int = 20) -> list[Match]:
    """Listed products ranked against the actor's demand, each score with its reasons."""
    demand = _own_demand(session, actor, demand_id)
    text = " ".join([demand.title, demand.purpose, *demand.fields_wanted])
    return rank(text, demand.domain, demand.budget, _candidates(session), limit=min(limit, 100))


@action("offer.make", roles=LISTERS)
def make_offer(*, session: Session, actor: Actor, demand_id: str, data: OfferCreate) -> Offer:
    """Answer an open demand with one of the actor's listed products at a price."""
    demand = session.get(Demand, demand_id)
    if demand is None or demand.status != "open" or demand.deadline <= clock.now():
        raise NotFound("no such open demand", field="demand_id")
    product = session.get(Product, data.product_id)
    if product is None or product.lister_party_id != actor.party_id or product.status != ProductStatus.LISTED.value:
        raise NotFound("no such listed product of yours", field="product_id")
    if session.scalar(select(Offer.id).where(Offer.demand_id == demand.id, Offer.product_id == product.id)):
        raise Conflict("this product already answers this demand", field="product_id")
    offer = Offer(demand_id=demand.id, product_id=product.id, provider_party_id=actor.party_id, price=data.price,
                  message=data.message, status="open", created_at=clock.now())
    session.add(offer)
    session.flush()
    append(session, actor, Event("offer.made", "demand", demand.id, {"offer": offer.id, "product": product.id,
                                                                      "price": offer.price}))
    return offer


@action("offer.list", roles=ANY_ROLE)
def list_offers(*, session: Session, actor: Actor, demand_id: str) -> list[Offer]:
    """Offers on a demand: all of them for its buyer, one's own for a lister."""
    demand = session.get(Demand, demand_id)
    if demand is None:
        raise NotFound("no such demand", field="demand_id")
    stmt = select(Offer).where(Offer.demand_id == demand.id).order_by(Offer.created_at, Offer.id)
    if demand.buyer_party_id != actor.party_id:
        stmt = stmt.where(Offer.provider_party_id == actor.party_id)
    return list(session.scalars(stmt))


@action("offer.accept", roles=ANY_ROLE)
def accept_offer(*, session: Session, actor: Actor, offer_id: str) -> Offer:
    """The buyer accepts one offer: the demand closes and the other offers are declined."""
    offer = session.get(Offer, offer_id)
    demand = session.get(Demand, offer.demand_id) if offer is not None else None
    if offer is None or demand is None or demand.buyer_party_id != actor.party_id:
        raise NotFound("no such offer", field="offer_id")
    if demand.status != "open" or offer.status != "open":
        raise Conflict("the demand is closed or the offer is no longer open", field="offer_id",
                       code="invalid_transition")
    offer.status, demand.status = "accepted", "closed"
    session.execute(update(Offer).where(Offer.demand_id == demand.id, Offer.id != offer.id, Offer.status == "open")
                    .values(status="declined"))
    append(session, actor, Event("offer.accepted", "demand", demand.id, {"offer": offer.id,
                                                                          "product": offer.product_id,
                                                                          "price": offer.price}))
    return offer
