"""A listed dataset product made from a vault dataset, and its buyers with escrowed orders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from sqlalchemy.orm import Session

from tests.factories import Factory, resource_payload
from tests.integration.market.helpers import PURPOSE, sign
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.market import orders, service
from yaosu.market.models import Order, Product
from yaosu.market.schemas import ProductCreate
from yaosu.node import service as node_service
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.resources.from_dataset import register_dataset
from yaosu.resources.schemas import DatasetRegistration
from yaosu.runtime import Runtime

TOLERANCES = {"金额": 5.0, "评分": 0.05}


def sales_table(rows: int = 4000) -> pa.Table:
    """A plain enterprise table: an order code, a city, an amount and a score."""
    rng = np.random.default_rng(9)
    return pa.table({"单号": [f"SO{i:06d}" for i in range(rows)], "城市": rng.choice(["杭州", "宁波"], rows).tolist(),
                     "金额": np.round(rng.uniform(100, 9000, rows), 2), "评分": np.round(rng.uniform(0, 100, rows), 3)})


@dataclass
class Shop:
    provider: Actor
    product: Product
    buyers: list[Actor]
    orders: list[Order]
    vault: Vault


@pytest.fixture
def shop(session: Session, factory: Factory, operator: Actor, runtime: Runtime, tmp_path: Path) -> Shop:
    """A dataset product listed by a provider, ordered (escrowed) by three buyers."""
    source = tmp_path / "sales.csv"
    pacsv.write_csv(sales_table(), source)
    provider = factory.actor(Role.PROVIDER)
    vault = Vault.for_data_dir(runtime.data_dir)
    ds = node_service.add_dataset(session=session, actor=provider, vault=vault, location=str(source))
    draft = resource_payload()
    draft.pop("version")
    resource = register_dataset(session=session, actor=provider, node=LocalNode(vault),
                                data=DatasetRegistration.model_validate({"dataset_id": ds.id, "resource": draft}))
    data = ProductCreate.model_validate({
        "title": "门店销售明细", "kind": "dataset", "sources": [resource.id],
        "pricing": {"model": "fixed", "price": 500},
        "split_rule": [{"party": provider.party_id, "basis_points": 9000},
                       {"party": "exchange", "basis_points": 1000}]})
    product = service.create_product(session=session, actor=provider, data=data)
    service.sign_declaration(session=session, actor=provider, product_id=product.id,
                             text_sha256=service.DECLARATION_SHA256)
    service.submit_product(session=session, actor=provider, product_id=product.id)
    service.review_product(session=session, actor=operator, product_id=product.id, approve=True, reason="ok")
    buyers, placed = [], []
    for i in range(3):
        buyer = factory.actor(Role.BUYER)
        orders.deposit(session=session, actor=buyer, amount=1000, key="d")
        order = orders.place_order(session=session, actor=buyer, product_id=product.id, usage={},
                                   client_key=f"k{i}", purpose=PURPOSE)
        sign(session, buyer, order)
        sign(session, provider, order)
        placed.append(order)
        buyers.append(buyer)
    return Shop(provider, product, buyers, placed, vault)
