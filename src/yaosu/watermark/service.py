"""Actions: fingerprint a file for a recipient, deliver an order's dataset fingerprinted, trace a suspect file.

Every fingerprinted copy is recorded (`watermark_delivery`) with the spec that reads it back and a
`watermark.delivered` ledger event; a trace compares the suspect with every recorded recipient of the
product and appends its verdict and evidence to the ledger (`watermark.traced`) for a dispute panel.
The node's watermark secret stays in this process; only key ids and hashes leave it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.auth.service import require_active_party
from yaosu.canonical import canonical_json
from yaosu.errors import Conflict, Invalid, NotFound
from yaosu.ledger import Event, append
from yaosu.market.models import Order, Product, ProductSource
from yaosu.market.orders import deliver_order
from yaosu.node.models import Dataset
from yaosu.node.readers import TableSource, open_source
from yaosu.node.vault import Vault
from yaosu.resources.models import ResourceVersion
from yaosu.watermark.files import Written, file_sha256, first_batch, suspect_votes, write_fingerprinted
from yaosu.watermark.keys import WatermarkSecret, node_watermark_secret
from yaosu.watermark.models import FingerprintedDelivery
from yaosu.watermark.prf import codeword, codewords, product_keys
from yaosu.watermark.spec import FingerprintSpec, build_spec
from yaosu.watermark.trace import THRESHOLD, Candidate, TraceResult, trace

TRACERS = frozenset({Role.OPERATOR, Role.REGULATOR})
EVIDENCE_SHOWN = 10  # candidates written to the ledger besides the accused


@dataclass(frozen=True)
class Declaration:
    """What the lister declares for a product's first delivery: each marked column's tolerance, the key."""

    tolerances: dict[str, float]
    key: list[str] | None = None
    decimals: dict[str, int] | None = None


def _product(session: Session, product_id: str) -> Product:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("没有这个产品 / no such product", field="product_id")
    return product


def _spec(session: Session, product: Product, key_id: str, head: pa.RecordBatch,
          declared: Declaration | None) -> FingerprintSpec:
    """The product's spec: the one its earlier deliveries used (so one trace reads them all), else a new one."""
    earlier = session.scalars(select(FingerprintedDelivery.spec).where(
        FingerprintedDelivery.product_id == product.id, FingerprintedDelivery.key_id == key_id)
        .order_by(FingerprintedDelivery.created_at).limit(1)).first()
    fresh = build_spec(head, declared.tolerances, key=declared.key, decimals=declared.decimals) \
        if declared is not None and declared.tolerances else None
    if earlier is None:
        if fresh is None:
            raise Invalid("首次交付须声明各数值列的容差 / the first delivery of a product must declare the tolerance "
                          "of each marked column", field="tolerance", code="watermark_no_columns")
        return fresh
    recorded = FingerprintSpec.from_json(earlier)
    if fresh is not None and fresh != recorded:
        raise Conflict("该产品已按另一水印规格交付 / this product was already delivered under another fingerprint "
                       "spec; omit the declaration to reuse it", field="tolerance", code="watermark_spec_fixed")
    return recorded


def _record(session: Session, actor: Actor, product: Product, recipient: str, written: Written,
            spec: FingerprintSpec, secret: WatermarkSecret, order_id: str | None,
            dataset_id: str | None) -> FingerprintedDelivery:
    row = FingerprintedDelivery(product_id=product.id, order_id=order_id, recipient_party_id=recipient,
                                dataset_id=dataset_id, spec=spec.to_json(), key_id=secret.key_id,
                                file_name=written.path.name[:200], file_hash=written.sha256, rows=written.rows,
                                created_by_user_id=actor.user_id)
    session.add(row)
    session.flush()
    append(session, actor, Event("watermark.delivered", "product", product.id, {
        "delivery": row.id, "order": order_id, "recipient": recipient, "file_sha256": written.sha256,
        "rows": written.rows, "scheme": spec.scheme, "key_id": secret.key_id, "dataset": dataset_id}))
    return row


def _fingerprint(session: Session, actor: Actor, key_dir: Path, source: TableSource, product: Product,
                 recipient: str, out: Path, declared: Declaration | None, order_id: str | None,
                 dataset_id: str | None) -> FingerprintedDelivery:
    require_active_party(session, recipient, field="recipient")
    secret = node_watermark_secret(key_dir)
    head, batches = first_batch(source)
    spec = _spec(session, product, secret.key_id, head, declared)
    keys = product_keys(secret.secret, product.id)
    written = write_fingerprinted(batches, source.schema, out, spec, keys, codeword(keys, recipient, spec.bits))
    try:
        return _record(session, actor, product, recipient, written, spec, secret, order_id, dataset_id)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


@action("watermark.fingerprint", roles=frozenset({Role.OPERATOR}))
def fingerprint_file(*, session: Session, actor: Actor, key_dir: Path, location: str, product_id: str,
                     recipient: str, out: Path, declared: Declaration | None = None) -> FingerprintedDelivery:
    """Fingerprint a file (CSV, Parquet, XLSX, JSON lines) for `recipient` of `product_id` into `out` and record
    the delivery (the operator's form of the delivery code path)."""
    product = _product(session, product_id)
    return _fingerprint(session, actor, key_dir, open_source(location), product, recipient, out, declared, None,
                        None)


def source_dataset(session: Session, order: Order, product: Product) -> Dataset:
    """The vault dataset the ordered product version is made from (its resource version's content hash)."""
    hashes = select(ResourceVersion.content_hash).join(
        ProductSource, (ProductSource.resource_id == ResourceVersion.resource_id)
        & (ProductSource.resource_version == ResourceVersion.number)).where(
        ProductSource.product_id == product.id, ProductSource.version == order.product_version)
    dataset = session.scalars(select(Dataset).where(Dataset.content_hash.in_(hashes))
                              .order_by(Dataset.created_at).limit(1)).first()
    if dataset is None:
        raise NotFound("本节点没有该产品的源数据集 / this node holds no source dataset of the product",
                       field="order_id", code="watermark_no_source")
    return dataset


@action("watermark.deliver", roles=ANY_ROLE)
def deliver(*, session: Session, actor: Actor, vault: Vault, order_id: str, out_dir: Path,
            declared: Declaration | None = None, suffix: str = ".parquet") -> FingerprintedDelivery:
    """The lister delivers an escrowed order of a dataset product: its source dataset, read from the vault,
    fingerprinted for the buyer into `out_dir`; the delivery recorded and the order marked delivered."""
    order = session.get(Order, order_id)
    product = session.get(Product, order.product_id) if order is not None else None
    if order is None or product is None or product.lister_party_id != actor.party_id:
        raise NotFound("no such order", field="order_id")
    if product.kind != "dataset":
        raise Invalid("只有数据集产品以带水印文件交付 / only dataset products are delivered as fingerprinted files",
                      field="order_id", code="watermark_not_dataset")
    if order.status != "escrowed":
        raise Conflict(f"the order is {order.status}, not escrowed", field="order_id", code="invalid_transition")
    dataset = source_dataset(session, order, product)
    source = vault.open(dataset.id, dataset.name)
    row = _fingerprint(session, actor, vault.key_dir, source, product, order.buyer_party_id,
                       out_dir / f"{order.id}{suffix}", declared, order.id, dataset.id)
    try:
        deliver_order(session=session, actor=actor, order_id=order.id,
                      note=f"fingerprinted copy sha256:{row.file_hash}")
    except BaseException:
        (out_dir / f"{order.id}{suffix}").unlink(missing_ok=True)
        raise
    return row


@dataclass(frozen=True)
class TraceReport:
    """A trace's verdict and evidence: the suspect's hash, what was read, every candidate."""

    product_id: str
    suspect_sha256: str
    result: TraceResult
    orders: dict[str, list[str]]


def _groups(session: Session, product_id: str) -> dict[tuple[str, str], list[FingerprintedDelivery]]:
    rows = session.scalars(select(FingerprintedDelivery).where(FingerprintedDelivery.product_id == product_id)
                           .order_by(FingerprintedDelivery.created_at, FingerprintedDelivery.id))
    groups: dict[tuple[str, str], list[FingerprintedDelivery]] = defaultdict(list)
    for row in rows:
        groups[(row.key_id, canonical_json(row.spec).decode())].append(row)
    return groups


def _trace_group(location: str, secret: WatermarkSecret, product_id: str, spec: FingerprintSpec,
                 recipients: list[str]) -> TraceResult:
    keys = product_keys(secret.secret, product_id)
    return trace(suspect_votes(location, spec, keys), codewords(keys, recipients, spec.bits), recipients)


def _merge(results: list[TraceResult]) -> TraceResult:
    best: dict[str, Candidate] = {}
    for result in results:
        for c in result.candidates:
            if c.recipient not in best or c.p_value < best[c.recipient].p_value:
                best[c.recipient] = c
    ranked = sorted(best.values(), key=lambda c: (c.p_value, c.recipient))
    return TraceResult(ranked, [c.recipient for c in ranked if c.p_value < THRESHOLD],
                       max((r.rows for r in results), default=0), sum(r.cells for r in results))


def _evidence(report: TraceReport, name: str) -> dict[str, Any]:
    shown = [c for c in report.result.candidates if c.recipient in report.result.accused] + \
        [c for c in report.result.candidates if c.recipient not in report.result.accused][:EVIDENCE_SHOWN]
    return {"suspect_sha256": report.suspect_sha256, "suspect_name": name[:200], "rows": report.result.rows,
            "cells": report.result.cells, "threshold": THRESHOLD, "accused": report.result.accused,
            "candidates_compared": len(report.result.candidates), "orders": report.orders,
            "evidence": [c.to_json() for c in shown]}


@action("watermark.trace", roles=TRACERS)
def trace_file(*, session: Session, actor: Actor, key_dir: Path, location: str, product_id: str,
               name: str | None = None) -> TraceReport:
    """Compare a suspect file with every recorded recipient of `product_id`; name those with p < 1e-10 and append
    the verdict and its evidence to the ledger (operator and regulator only)."""
    _product(session, product_id)
    secret = node_watermark_secret(key_dir)
    groups = _groups(session, product_id)
    if not groups:
        raise NotFound("该产品没有带水印的交付记录 / the product has no fingerprinted deliveries",
                       field="product_id", code="watermark_no_deliveries")
    if not any(k == secret.key_id for k, _ in groups):
        raise Invalid("交付由另一节点密钥加水印 / the deliveries were fingerprinted under another node key",
                      field="key", code="watermark_wrong_key")
    results = [_trace_group(location, secret, product_id, FingerprintSpec.from_json(rows[0].spec),
                            sorted({r.recipient_party_id for r in rows}))
               for (key_id, _), rows in groups.items() if key_id == secret.key_id]
    merged = _merge(results)
    orders: dict[str, list[str]] = defaultdict(list)
    for rows in groups.values():
        for r in rows:
            if r.recipient_party_id in merged.accused:
                orders[r.recipient_party_id].append(r.order_id or f"delivery:{r.id}")
    report = TraceReport(product_id, file_sha256(Path(location)), merged, dict(orders))
    append(session, actor, Event("watermark.traced", "product", product_id,
                                 _evidence(report, name or Path(location).name)))
    return report



@action("watermark.deliveries", roles=ANY_ROLE)
def list_deliveries(*, session: Session, actor: Actor, product_id: str) -> list[FingerprintedDelivery]:
    """A product's fingerprinted deliveries, newest first, for its lister, the operator and the regulator."""
    product = _product(session, product_id)
    if product.lister_party_id != actor.party_id and not actor.has(*TRACERS):
        raise NotFound("没有这个产品 / no such product", field="product_id")
    return list(session.scalars(select(FingerprintedDelivery).where(FingerprintedDelivery.product_id == product_id)
                                .order_by(FingerprintedDelivery.created_at.desc(), FingerprintedDelivery.id.desc())))


@action("watermark.traceable", roles=TRACERS)
def traceable_products(*, session: Session, actor: Actor) -> list[tuple[Product, int]]:
    """Products with fingerprinted deliveries and how many, most delivered first (operator and regulator)."""
    counts = (select(FingerprintedDelivery.product_id, func.count().label("n"))
              .group_by(FingerprintedDelivery.product_id).subquery())
    rows = session.execute(select(Product, counts.c.n).join(counts, counts.c.product_id == Product.id)
                           .order_by(counts.c.n.desc(), Product.id)).all()
    return [(product, int(n)) for product, n in rows]


@action("watermark.delivery_file", roles=ANY_ROLE)
def delivery_file(*, session: Session, actor: Actor, order_id: str,
                  out_dir: Path) -> tuple[FingerprintedDelivery, Path]:
    """The buyer's fingerprinted copy of an order (the buyer only: nobody else may hold that buyer's copy)."""
    row = session.scalars(select(FingerprintedDelivery).where(FingerprintedDelivery.order_id == order_id)
                          .order_by(FingerprintedDelivery.created_at.desc()).limit(1)).first()
    if row is None or row.recipient_party_id != actor.party_id:
        raise NotFound("没有这份交付 / no such delivery", field="order_id")
    path = out_dir / row.file_name
    if not path.is_file() or file_sha256(path) != row.file_hash:
        raise Conflict("交付文件缺失或已改变 / the delivery file is missing or altered", field="order_id",
                       code="watermark_file_altered")
    return row, path
