"""16 clients, each on its own connection, placing, paying, delivering, accepting and cancelling 10,000 orders
(PostgreSQL; a smaller run on SQLite), resending requests on purpose: the books stay exact.

Each client places its share of the orders through the batch actions and one by one, then delivers,
accepts and cancels some of them one by one; about a third of all requests are sent twice (the client
"did not see the answer"), and a lost race is retried with the same request. At the end: every
balance is its postings' sum and the sum of all of them is zero (no drift), every entry balances, no
account owed nothing is negative, each buyer's escrow is exactly the price of its open orders and its
available money exactly what it deposited less what it spent, each order was held once and released or
refunded at most once (no double spend), and every intended order exists exactly once.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Factory, make_uscc
from tests.integration.settlement.flows import PURPOSE, funded_buyer, listed_product, sign_order, under_contract
from tests.integration.settlement.test_journal import _invariants
from yaosu.auth.actor import Actor
from yaosu.auth.roles import PartyKind, Role
from yaosu.auth.schemas import PartyCreate
from yaosu.auth.service import insert_party
from yaosu.db.engine import make_engine, session_factory, unit_of_work
from yaosu.errors import Conflict
from yaosu.market import batch, orders
from yaosu.market.models import Order
from yaosu.settlement.journal import account_id, balance
from yaosu.settlement.models import AccountKind, JournalEntry

FUNDS = 6_000_000  # fen per buyer: enough that no order is refused, so every intended order must exist
BUYERS = 8


@dataclass(frozen=True)
class Scale:
    clients: int
    orders: int  # in all
    chunk: int  # orders per batch request
    singles: int  # per client: orders placed one by one, and as many deliver/accept and cancel steps


PG_SCALE, SQLITE_SCALE = Scale(16, 10_000, 50, 6), Scale(4, 400, 25, 4)


@dataclass
class World:
    operator: Actor
    provider: Actor
    product_id: str
    buyers: list[Actor]


@dataclass
class Client:
    """One client's view: the keys it meant to place and what it did."""

    n: int
    world: World
    scale: Scale
    sessions: sessionmaker[Session]
    rng: random.Random
    intended: set[tuple[str, str]] = field(default_factory=set)
    escrowed: list[tuple[str, Actor]] = field(default_factory=list)
    resent: int = 0

    def call(self, func, **kwargs):  # type: ignore[no-untyped-def]
        """One request in its own transaction, retried with the same content after a lost race."""
        for _ in range(30):
            try:
                with unit_of_work(self.sessions) as session:
                    return func(session=session, **kwargs)
            except DBAPIError:  # deadlock, serialization failure or a raced key: the same request again
                continue
        raise AssertionError("a request lost 30 races in a row")

    def twice(self, func, **kwargs):  # type: ignore[no-untyped-def]
        """Send a request, and sometimes again as a client that lost the answer would; both answers."""
        first = self.call(func, **kwargs)
        if self.rng.random() >= 0.35:
            return first, None
        self.resent += 1
        try:
            return first, self.call(func, **kwargs)
        except Conflict as refused:  # a step already taken is refused, not taken again
            assert refused.code == "invalid_transition"
            return first, refused


def _place(client: Client, count: int, tag: str) -> None:
    w, rng = client.world, client.rng
    if tag.startswith("s"):  # one by one
        buyer = rng.choice(w.buyers)
        key = f"c{client.n}-{tag}"
        client.intended.add((buyer.party_id, key))
        first, again = client.twice(orders.place_order, actor=buyer, product_id=w.product_id,
                                    usage={"calls": 1 + rng.randrange(3)}, client_key=key, purpose=PURPOSE)
        assert again is None or again.id == first.id
        client.escrowed.append((first.id, buyer))
        return
    settle = tag.startswith("b") and rng.random() < 0.5
    buyer = rng.choice(w.buyers)
    people = w.buyers if settle else [buyer]
    items = [batch.BatchItem(rng.choice(people).party_id, {"calls": 1 + rng.randrange(3)}, f"c{client.n}-{tag}-{i}")
             for i in range(count)]
    client.intended.update((i.buyer_party_id, i.client_key) for i in items)
    extra = {} if settle else {"purpose": PURPOSE}
    act, actor = (batch.settle_batch, w.operator) if settle else (batch.place_batch, buyer)
    first, again = client.twice(act, actor=actor, product_id=w.product_id, items=items, **extra)
    assert len(first.placed) == count and (again is None or (again.placed == [] and again.replayed == first.placed))
    if not settle:
        client.escrowed.extend((oid, buyer) for oid in first.placed)


def _advance(client: Client) -> None:
    """Deliver and accept some escrowed orders one by one, cancel others."""
    w, rng = client.world, client.rng
    rng.shuffle(client.escrowed)
    chosen = [client.escrowed.pop() for _ in range(min(2 * client.scale.singles, len(client.escrowed)))]
    for n, (oid, buyer) in enumerate(chosen):
        if n % 2:
            client.twice(orders.cancel_order, actor=buyer, order_id=oid)
            continue
        for party in (buyer, w.provider):  # both sign the order's contract, then it may be delivered
            client.call(sign_order, actor=party, order_id=oid)
        client.twice(orders.deliver_order, actor=w.provider, order_id=oid)
        client.twice(orders.accept_order, actor=buyer, order_id=oid)


def _run(client: Client, errors: list[BaseException]) -> None:
    try:
        scale = client.scale
        mine = scale.orders // scale.clients
        for s in range(scale.singles):
            _place(client, 1, f"s{s}")
        placed, b = scale.singles, 0
        while placed < mine:
            count = min(scale.chunk, mine - placed)
            _place(client, count, f"b{b}")
            placed, b = placed + count, b + 1
        _advance(client)
    except BaseException as exc:  # reported by the test thread
        errors.append(exc)


def _world(sessions: sessionmaker[Session]) -> World:
    with unit_of_work(sessions) as session:
        party = insert_party(session, None, PartyCreate(kind=PartyKind.ORGANIZATION, name="并发运营方",
                                                        uscc=make_uscc(424242), roles=[Role.OPERATOR]))
        operator = Actor(party_id=party.id, user_id=None, roles=frozenset({Role.OPERATOR}), name=party.name)
        factory = Factory(session=session, operator=operator)
        provider, product = listed_product(session, factory, operator)
        buyers = [funded_buyer(session, factory, FUNDS) for _ in range(BUYERS)]
        for buyer in buyers:  # the contracts under which the settlement job settles usage
            under_contract(session, buyer, provider, product)
        return World(operator, provider, product.id, buyers)


def _check(session: Session, world: World, intended: set[tuple[str, str]]) -> None:
    _invariants(session)  # balances = postings, sum zero, entries balance, nothing owed negative
    rows = session.execute(select(Order.id, Order.buyer_party_id, Order.client_key, Order.price, Order.status)).all()
    assert {(r.buyer_party_id, r.client_key) for r in rows} == intended and len(rows) == len(intended)
    steps = Counter(session.execute(select(JournalEntry.reference, JournalEntry.kind)).all())
    for r in rows:  # held once; released or refunded once, as the status says; never both
        assert steps[(r.id, "hold")] == 1
        assert (steps[(r.id, "release")], steps[(r.id, "refund")]) == {
            "settled": (1, 0), "cancelled": (0, 1)}.get(r.status, (0, 0))
    for buyer in world.buyers:
        mine = [r for r in rows if r.buyer_party_id == buyer.party_id]
        open_ = sum(r.price for r in mine if r.status in ("escrowed", "delivered"))
        spent = sum(r.price for r in mine if r.status == "settled")
        assert balance(session, account_id(session, buyer.party_id, AccountKind.ESCROW)) == open_
        assert balance(session, account_id(session, buyer.party_id, AccountKind.AVAILABLE)) == FUNDS - open_ - spent
    paid = sum(r.price for r in rows if r.status == "settled")
    earned = (balance(session, account_id(session, world.provider.party_id, AccountKind.AVAILABLE))
              + balance(session, account_id(session, None, AccountKind.FEE_INCOME)))
    assert earned == paid  # zero drift: what buyers paid is exactly what the provider and the fee received
    assert session.scalar(select(func.count()).select_from(Order).where(Order.status == "settled")) > 0


def test_sixteen_clients_ten_thousand_orders(committing_url: str, is_postgres: bool) -> None:
    scale = PG_SCALE if is_postgres else SQLITE_SCALE
    setup_engine = make_engine(committing_url)
    world = _world(session_factory(setup_engine))
    engines = [make_engine(committing_url) for _ in range(scale.clients)]  # each client its own connection
    clients = [Client(n, world, scale, session_factory(e), random.Random(n)) for n, e in enumerate(engines)]
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_run, args=(c, errors)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for e in engines:
        e.dispose()
    if errors:
        raise errors[0]
    intended = set().union(*(c.intended for c in clients))
    assert len(intended) == scale.orders and sum(c.resent for c in clients) > scale.clients
    contracts = {(b.party_id, "contract") for b in world.buyers}
    with unit_of_work(session_factory(setup_engine)) as session:
        _check(session, world, intended | contracts)
    setup_engine.dispose()
