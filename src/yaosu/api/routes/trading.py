"""Negotiations, auctions, price history and statements (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yaosu.api.deps import ActorDep, SessionDep
from yaosu.market import auctions, negotiations, prices
from yaosu.market.trading_schemas import (
    AuctionCreate,
    AuctionRead,
    BidCreate,
    BidRead,
    NegotiationMessage,
    NegotiationRead,
    NegotiationRequest,
    PricePointRead,
)
from yaosu.settlement import statements
from yaosu.settlement.statements import Statement

router = APIRouter(tags=["market"])


@router.post("/negotiations", status_code=201)
def request_negotiation(data: NegotiationRequest, session: SessionDep, actor: ActorDep) -> NegotiationRead:
    """A buyer requests a negotiation on a listed product priced `negotiated`."""
    return NegotiationRead.model_validate(negotiations.request_negotiation(session=session, actor=actor, data=data))


@router.get("/negotiations")
def my_negotiations(session: SessionDep, actor: ActorDep) -> list[NegotiationRead]:
    """The acting party's negotiations, as buyer or lister."""
    return [NegotiationRead.model_validate(n) for n in negotiations.list_negotiations(session=session, actor=actor)]


@router.get("/negotiations/{negotiation_id}")
def get_negotiation(negotiation_id: str, session: SessionDep, actor: ActorDep) -> NegotiationRead:
    """A negotiation, for its parties and the overseers."""
    return NegotiationRead.model_validate(negotiations.get_negotiation(session=session, actor=actor,
                                                                       negotiation_id=negotiation_id))


@router.post("/negotiations/{negotiation_id}/messages")
def send_message(negotiation_id: str, data: NegotiationMessage, session: SessionDep,
                 actor: ActorDep) -> NegotiationRead:
    """One DSP message; a wrong sender or state is 409 `invalid_transition`; FINALIZED opens the order."""
    return NegotiationRead.model_validate(negotiations.send_message(session=session, actor=actor,
                                                                    negotiation_id=negotiation_id, data=data))


@router.post("/auctions", status_code=201)
def open_auction(data: AuctionCreate, session: SessionDep, actor: ActorDep) -> AuctionRead:
    """The lister auctions its listed product."""
    return AuctionRead.model_validate(auctions.open_auction(session=session, actor=actor, data=data))


@router.get("/auctions/{auction_id}")
def get_auction(auction_id: str, session: SessionDep, actor: ActorDep) -> AuctionRead:
    """An auction and, once closed, its winner and price."""
    return AuctionRead.model_validate(auctions.get_auction(session=session, actor=actor, auction_id=auction_id))


@router.post("/auctions/{auction_id}/bids", status_code=201)
def bid(auction_id: str, data: BidCreate, session: SessionDep, actor: ActorDep) -> BidRead:
    """Bid; the amount is held in escrow until the bid loses, is outbid or wins."""
    return BidRead.model_validate(auctions.place_bid(session=session, actor=actor, auction_id=auction_id,
                                                     amount=data.amount, purpose=data.purpose))


@router.get("/auctions/{auction_id}/bids")
def bids(auction_id: str, session: SessionDep, actor: ActorDep) -> list[BidRead]:
    """One's own bids; every bid once the auction closed (or while an ascending one runs)."""
    return [BidRead.model_validate(b) for b in auctions.list_bids(session=session, actor=actor,
                                                                  auction_id=auction_id)]


@router.post("/auctions/{auction_id}/close")
def close_auction(auction_id: str, session: SessionDep, actor: ActorDep) -> AuctionRead:
    """Close after the deadline (anyone): holds released, the winner's order opened at the clearing price."""
    return AuctionRead.model_validate(auctions.close_auction(session=session, actor=actor, auction_id=auction_id))


@router.get("/products/{product_id}/prices")
def price_history(product_id: str, session: SessionDep, actor: ActorDep) -> list[PricePointRead]:
    """Every list, negotiated, auction and order price of a product (its lister, operator, regulator)."""
    return [PricePointRead.model_validate(p) for p in prices.price_history(session=session, actor=actor,
                                                                           product_id=product_id)]


@router.get("/account/statement")
def statement(session: SessionDep, actor: ActorDep, start: str | None = None, end: str | None = None,
              party_id: str | None = None) -> Statement:
    """The acting party's statement for a period (ISO dates; the current month by default)."""
    begin, until = statements.parse_period(start, end)
    return statements.statement(session=session, actor=actor, start=begin, end=until, party_id=party_id)


@router.get("/account/statement.csv")
def statement_csv(session: SessionDep, actor: ActorDep, start: str | None = None, end: str | None = None,
                  party_id: str | None = None) -> Response:
    """The same statement as CSV."""
    begin, until = statements.parse_period(start, end)
    stmt = statements.statement(session=session, actor=actor, start=begin, end=until, party_id=party_id)
    return Response(statements.to_csv(stmt), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="statement-{stmt.party_id}.csv"'})
