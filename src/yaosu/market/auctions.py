"""Auctions of listed products: the lister opens one, buyers bid with their money held, anyone closes it.

Every bid's amount moves from the bidder's available money into escrow when it is placed (ADR 0011: a bid is
a commitment the winner can always pay), so closing never has to fall to a next bidder. A sealed bid is
seen only by its bidder until the close; in an ascending auction the standing amount is public and an
outbid bid's hold is released at once. At the close, after the deadline (`yaosu.clock`), the pure kernel
(`market.auction`) names the winner and the price with deterministic ties; every hold is released and
the winner's order is opened at the clearing price into escrow, in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market import auction as kernel
from yaosu.market.models import Product
from yaosu.market.negotiations import listed_product, party_actor
from yaosu.market.orders import BUYERS, open_order
from yaosu.market.service import LISTERS
from yaosu.market.trading_models import Auction, Bid
from yaosu.market.trading_schemas import AuctionCreate
from yaosu.settlement import escrow

SEALED = ("first_price", "second_price")
MAX_BIDS = 1000  # per auction: bounds the close's work


def _event(auction: Auction, kind: str, **extra: object) -> Event:
    return Event(f"auction.{kind}", "auction", auction.id, {"product": auction.product_id, "kind": auction.kind,
                                                           "status": auction.status, **extra})


@action("auction.open", roles=LISTERS)
def open_auction(*, session: Session, actor: Actor, data: AuctionCreate) -> Auction:
    """The lister auctions its listed product until `deadline`, at no less than `reserve` fen."""
    product = listed_product(session, data.product_id)
    if product.lister_party_id != actor.party_id:
        raise NotFound("no such listed product of yours", field="product_id")
    if data.deadline <= clock.now():
        raise Invalid("the deadline is in the past", field="deadline")
    if session.scalar(select(Auction.id).where(Auction.product_id == product.id, Auction.status == "open")):
        raise Conflict("this product is already being auctioned", field="product_id", code="auction_open")
    auction = Auction(product_id=product.id, lister_party_id=actor.party_id, kind=data.kind, reserve=data.reserve,
                      increment=data.increment, deadline=data.deadline, status="open", created_at=clock.now())
    session.add(auction)
    session.flush()
    append(session, actor, _event(auction, "opened", reserve=auction.reserve,
                                  deadline=auction.deadline.isoformat()))
    return auction


def _load(session: Session, auction_id: str, *, lock: bool = False) -> Auction:
    """The auction; `lock` takes its row lock first, so concurrent bids and closes on it run one at a time."""
    auction = session.get(Auction, auction_id, with_for_update=lock)
    if auction is None:
        raise NotFound("no such auction", field="auction_id")
    return auction


def _held(session: Session, auction_id: str) -> list[Bid]:
    return list(session.scalars(select(Bid).where(Bid.auction_id == auction_id, Bid.status == "held")
                                .order_by(Bid.placed_at, Bid.id)))


def _release(session: Session, bid: Bid) -> None:
    escrow.refund(session, bid.bidder_party_id, bid.amount, bid.id, f"bid:{bid.id}:release")
    bid.status = "released"


def _kernel_bids(held: list[Bid]) -> list[kernel.Bid]:
    return [kernel.Bid(b.bidder_party_id, b.amount, b.placed_at) for b in held]


def _check_bid(session: Session, actor: Actor, auction: Auction, amount: int, held: list[Bid]) -> list[Bid]:
    """The held bids this bid replaces (an outbid or one's own earlier bid); Conflict if it is refused."""
    now = clock.now()
    if auction.status != "open" or now > auction.deadline:
        raise Conflict("the auction has closed", field="auction_id", code="auction_closed")
    if auction.lister_party_id == actor.party_id:
        raise Invalid("a lister does not bid on its own product", field="auction_id")
    if len(held) >= MAX_BIDS:
        raise Conflict("this auction has taken its most bids", field="auction_id", code="too_many_bids")
    if auction.kind in SEALED:
        if any(b.bidder_party_id == actor.party_id for b in held):
            raise Conflict("a sealed-bid auction takes one bid per bidder", field="auction_id",
                           code="already_bid")
        if amount < auction.reserve:
            raise Conflict(f"a bid must be at least {auction.reserve} fen", field="amount", code="bid_too_low")
        return []
    rules = kernel.Ascending(auction.reserve, auction.increment, auction.deadline)
    rules.accept(kernel.leader(_kernel_bids(held)), kernel.Bid(actor.party_id, amount, now))
    return held  # in an ascending auction only the new standing bid stays held


@action("auction.bid", roles=BUYERS)
def place_bid(*, session: Session, actor: Actor, auction_id: str, amount: int, purpose: str) -> Bid:
    """Bid `amount` fen for `purpose`; it is held in escrow from the bidder's available money (insufficient_funds
    otherwise)."""
    if not 0 < len(purpose.strip()) <= 500:
        raise Invalid("a bid states its purpose of use (1 to 500 characters)", field="purpose")
    auction = _load(session, auction_id, lock=True)
    replaced = _check_bid(session, actor, auction, amount, _held(session, auction.id))
    bid = Bid(auction_id=auction.id, bidder_party_id=actor.party_id, bidder_user_id=actor.user_id, amount=amount,
              purpose=purpose.strip(), status="held", placed_at=clock.now())
    session.add(bid)
    session.flush()
    for old in replaced:  # first, so a leader raising its own bid may reuse the money already held
        _release(session, old)
    escrow.hold(session, actor.party_id, amount, bid.id, f"bid:{bid.id}:hold")
    sealed = auction.kind in SEALED
    append(session, actor, _event(auction, "bid", bid=bid.id, amount=None if sealed else amount))
    return bid


def _outcome(auction: Auction, held: list[Bid]) -> kernel.Outcome:
    bids = _kernel_bids(held)
    if auction.kind == "ascending":
        rules = kernel.Ascending(auction.reserve, auction.increment, auction.deadline)
        return rules.close(kernel.leader(bids), clock.now())
    return kernel.sealed("first_price" if auction.kind == "first_price" else "second_price", bids, auction.reserve)


@action("auction.close", roles=ANY_ROLE)
def close_auction(*, session: Session, actor: Actor, auction_id: str) -> Auction:
    """Close an auction whose deadline has passed (anyone may): release every hold, open the winner's order."""
    auction = _load(session, auction_id, lock=True)
    if auction.status != "open":
        raise Conflict(f"the auction is already closed ({auction.status})", field="auction_id",
                       code="auction_closed")
    if clock.now() <= auction.deadline:
        raise Conflict("the auction is still open", field="auction_id", code="auction_open")
    held = _held(session, auction.id)
    outcome = _outcome(auction, held)
    winning = next((b for b in held if b.bidder_party_id == outcome.winner), None)
    for bid in held:
        _release(session, bid)
    auction.closed_at, auction.reason = clock.now(), outcome.reason
    auction.status = "sold" if winning is not None else "unsold"
    append(session, actor, _event(auction, "closed", winner=outcome.winner, price=outcome.price,
                                  bids=[{"bidder": b.bidder_party_id, "amount": b.amount} for b in held]))
    if winning is not None and outcome.price is not None:
        winning.status = "won"
        auction.winner_party_id, auction.price = winning.bidder_party_id, outcome.price
        buyer = party_actor(session, winning.bidder_user_id, winning.bidder_party_id)
        order = open_order(session, buyer, listed_product(session, auction.product_id), {"auction": auction.id},
                           outcome.price, f"auction:{auction.id}", purpose=winning.purpose)
        auction.order_id = order.id
    return auction


@action("auction.get", roles=ANY_ROLE)
def get_auction(*, session: Session, actor: Actor, auction_id: str) -> Auction:
    """An auction (any signed-in party: auctions are announced to the market)."""
    return _load(session, auction_id)


@action("auction.list", roles=ANY_ROLE)
def list_auctions(*, session: Session, actor: Actor, limit: int = 100) -> list[tuple[Auction, Product]]:
    """Open auctions by deadline, then the latest closed ones, each with its product."""
    both = select(Auction, Product).join(Product, Product.id == Auction.product_id)
    running = both.where(Auction.status == "open").order_by(Auction.deadline, Auction.id).limit(min(limit, 500))
    closed = both.where(Auction.status != "open").order_by(Auction.closed_at.desc(), Auction.id).limit(20)
    return [(a, p) for stmt in (running, closed) for a, p in session.execute(stmt)]


@action("auction.bids", roles=ANY_ROLE)
def list_bids(*, session: Session, actor: Actor, auction_id: str) -> list[Bid]:
    """The bids one may see: one's own; after the close, or in an ascending auction, all of them
    (to the lister and the overseers while a sealed auction is open: none but their own, which is none)."""
    auction = _load(session, auction_id)
    stmt = select(Bid).where(Bid.auction_id == auction.id).order_by(Bid.placed_at, Bid.id)
    revealed = auction.status != "open" or auction.kind == "ascending"
    if not revealed:
        stmt = stmt.where(Bid.bidder_party_id == actor.party_id)
    return list(session.scalars(stmt))
