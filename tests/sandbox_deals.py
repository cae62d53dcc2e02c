"""Sandbox deals for tests: a provider's people dataset on the node, its product configured, a signed order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.market.helpers import PURPOSE, signed_order
from tests.unit.sandbox.fixtures import AGG, people
from yaosu.auth.actor import Actor
from yaosu.bootstrap import ensure_operator
from yaosu.db.engine import unit_of_work
from yaosu.errors import PolicyViolation
from yaosu.market.models import Order
from yaosu.node import service as node_service
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime, system_actor
from yaosu.sandbox import service

VERIFY_RULE = {"key": "id_number", "fields": {"id_number": "id", "name": "name", "phone": "phone"}}


@dataclass
class Deal:
    """A configured product's signed order: who buys, who provides, and the node's vault."""

    order: Order
    buyer: Actor
    provider: Actor
    vault: Vault

    @property
    def node(self) -> LocalNode:
        return LocalNode(self.vault)

    def query(self, session: Session, sql: str, purpose: str = PURPOSE, **extra: Any) -> service.QueryResult:
        return service.run_query(session=session, actor=self.buyer, node=self.node, order_id=self.order.id,
                                 sql=sql, purpose=purpose, **extra)

    def refusal(self, session: Session, sql: str, purpose: str = PURPOSE) -> str:
        """The code of the contract's refusal of this query (the test fails if it is not refused)."""
        with pytest.raises(PolicyViolation) as caught:
            self.query(session, sql, purpose)
        return caught.value.code

    def used(self, session: Session) -> int:
        """Calls the order has spent, as the buyer sees it."""
        return int(service.allowance(session=session, actor=self.buyer, order_id=self.order.id)["used_count"])


def committed_deal(runtime: Runtime, tmp_path: Path, kind: str, calls: int) -> tuple[str, Actor, Actor]:
    """A configured product's signed order, committed in `runtime`'s database: (order id, buyer, provider)."""
    vault = Vault.for_data_dir(runtime.data_dir)
    with unit_of_work(runtime.sessions) as session:
        ensure_operator(session, runtime)
        session.flush()
        operator = system_actor(session)
        order, buyer, provider = signed_order(session, Factory(session=session, operator=operator), operator,
                                              kind=kind, usage={"calls": calls})
        pq.write_table(people(), tmp_path / "people.parquet")
        dataset = node_service.add_dataset(session=session, actor=provider, vault=vault,
                                           location=str(tmp_path / "people.parquet"))
        rule = AGG.model_dump(mode="json") if kind == "sandbox" else VERIFY_RULE
        service.configure_product(session=session, actor=provider, node=LocalNode(vault), product_id=order.product_id,
                                  dataset_id=dataset.id, rule=rule)
        return order.id, buyer, provider


@pytest.fixture
def vault(runtime: Runtime) -> Vault:
    return Vault.for_data_dir(runtime.data_dir)


@pytest.fixture
def deal(session: Session, factory: Factory, operator: Actor, vault: Vault,
         tmp_path: Path) -> Callable[..., Deal]:
    """Make a signed order of a configured `kind` product for `calls` calls, under `rule`."""
    def make(kind: str = "sandbox", calls: int = 3, rule: dict[str, Any] | None = None) -> Deal:
        order, buyer, provider = signed_order(session, factory, operator, kind=kind, usage={"calls": calls})
        path = tmp_path / f"people-{order.id}.parquet"
        pq.write_table(people(), path)
        dataset = node_service.add_dataset(session=session, actor=provider, vault=vault, location=str(path),
                                           name="居民")
        default = AGG.model_dump(mode="json") if kind == "sandbox" else VERIFY_RULE
        service.configure_product(session=session, actor=provider, node=LocalNode(vault), product_id=order.product_id,
                                  dataset_id=dataset.id, rule=rule or default)
        return Deal(order, buyer, provider, vault)
    return make
