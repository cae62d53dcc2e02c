"""Delivering an order fingerprinted, tracing a leak to its buyer, and who may do either."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Factory
from tests.integration.watermark.conftest import TOLERANCES, Shop, sales_table
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.errors import Conflict, Forbidden, NotFound
from yaosu.ledger.models import LedgerEvent
from yaosu.watermark import attacks, service
from yaosu.watermark.models import FingerprintedDelivery
from yaosu.watermark.service import Declaration
from yaosu.watermark.spec import FingerprintSpec

DECLARED = Declaration(TOLERANCES, key=["单号"])


def _deliver_all(session: Session, shop: Shop, out: Path) -> list[FingerprintedDelivery]:
    rows = [service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=shop.orders[0].id,
                            out_dir=out, declared=DECLARED)]
    rows += [service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=o.id, out_dir=out)
             for o in shop.orders[1:]]
    return rows


def test_each_order_gets_its_own_copy_recorded_and_delivered(session: Session, shop: Shop, tmp_path: Path) -> None:
    rows = _deliver_all(session, shop, tmp_path)
    assert [o.status for o in shop.orders] == ["delivered"] * 3
    assert {r.recipient_party_id for r in rows} == {b.party_id for b in shop.buyers}
    assert len({r.file_hash for r in rows}) == 3 and all(r.dataset_id for r in rows)
    copy = pq.read_table(tmp_path / f"{shop.orders[0].id}.parquet")
    assert copy.num_rows == 4000 and copy.column_names == ["单号", "城市", "金额", "评分"]
    events = session.scalars(select(LedgerEvent.type).where(LedgerEvent.subject_id == shop.product.id)).all()
    assert events.count("watermark.delivered") == 3
    assert FingerprintSpec.from_json(rows[2].spec).key == ("单号",)


def test_a_leaked_subset_names_its_buyer_only_and_the_verdict_is_on_the_ledger(
        session: Session, shop: Shop, operator: Actor, runtime, tmp_path: Path) -> None:
    _deliver_all(session, shop, tmp_path)
    leaked = pq.read_table(tmp_path / f"{shop.orders[1].id}.parquet")
    spec_columns = FingerprintSpec.from_json(session.scalars(select(FingerprintedDelivery.spec)).first()).columns
    suspect = attacks.shuffle_reformat(attacks.keep_rows(leaked, spec_columns, np.random.default_rng(1), 0.5),
                                       spec_columns, np.random.default_rng(2))
    path = tmp_path / "黑市.csv"
    pacsv.write_csv(suspect, path)
    report = service.trace_file(session=session, actor=operator, key_dir=runtime.data_dir / "keys",
                                location=str(path), product_id=shop.product.id)
    assert report.result.accused == [shop.buyers[1].party_id]
    assert len(report.result.candidates) == 3 and report.result.candidates[0].p_value < 1e-10
    assert report.orders == {shop.buyers[1].party_id: [shop.orders[1].id]}
    payload = session.scalars(select(LedgerEvent.payload).where(LedgerEvent.type == "watermark.traced")).one()
    assert shop.buyers[1].party_id in payload and report.suspect_sha256 in payload


def test_an_unmarked_copy_accuses_nobody(session: Session, shop: Shop, operator: Actor, runtime,
                                         tmp_path: Path) -> None:
    _deliver_all(session, shop, tmp_path)
    path = tmp_path / "original.parquet"
    pq.write_table(sales_table(), path)
    report = service.trace_file(session=session, actor=operator, key_dir=runtime.data_dir / "keys",
                                location=str(path), product_id=shop.product.id)
    assert report.result.accused == [] and report.orders == {}


def test_only_the_lister_delivers_and_only_once(session: Session, shop: Shop, tmp_path: Path) -> None:
    with pytest.raises(NotFound), session.begin_nested():
        service.deliver(session=session, actor=shop.buyers[0], vault=shop.vault, order_id=shop.orders[0].id,
                        out_dir=tmp_path, declared=DECLARED)
    service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=shop.orders[0].id,
                    out_dir=tmp_path, declared=DECLARED)
    with pytest.raises(Conflict), session.begin_nested():
        service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=shop.orders[0].id,
                        out_dir=tmp_path)


def test_a_second_spec_for_the_same_product_is_refused(session: Session, shop: Shop, tmp_path: Path) -> None:
    service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=shop.orders[0].id,
                    out_dir=tmp_path, declared=DECLARED)
    with pytest.raises(Conflict) as err, session.begin_nested():
        service.deliver(session=session, actor=shop.provider, vault=shop.vault, order_id=shop.orders[1].id,
                        out_dir=tmp_path, declared=Declaration({"金额": 9.0}, key=["单号"]))
    assert err.value.code == "watermark_spec_fixed"
    assert not (tmp_path / f"{shop.orders[1].id}.parquet").exists()


@pytest.mark.parametrize("role", [Role.BUYER, Role.PROVIDER])
def test_only_operator_and_regulator_trace(session: Session, shop: Shop, factory: Factory, runtime, role: Role,
                                           tmp_path: Path) -> None:
    _deliver_all(session, shop, tmp_path)
    with pytest.raises(Forbidden):
        service.trace_file(session=session, actor=factory.actor(role), key_dir=runtime.data_dir / "keys",
                           location=str(tmp_path / f"{shop.orders[0].id}.parquet"), product_id=shop.product.id)
    regulator = factory.actor(Role.REGULATOR)
    report = service.trace_file(session=session, actor=regulator, key_dir=runtime.data_dir / "keys",
                                location=str(tmp_path / f"{shop.orders[0].id}.parquet"), product_id=shop.product.id)
    assert report.result.accused == [shop.buyers[0].party_id]
