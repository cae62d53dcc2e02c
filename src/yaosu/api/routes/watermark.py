"""Fingerprinted delivery of an order, a product's deliveries, and tracing an uploaded suspect file."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile
from fastapi.responses import FileResponse

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep
from yaosu.api.uploads import saved_upload
from yaosu.node.vault import Vault
from yaosu.watermark import service
from yaosu.watermark.schemas import CandidateRead, DeliveryRead, DeliveryRequest, TraceRead
from yaosu.watermark.service import Declaration, TraceReport

router = APIRouter(tags=["watermark"])


def trace_read(report: TraceReport) -> TraceRead:
    """A trace report in its API shape."""
    result = report.result
    return TraceRead(accused=result.accused, candidates=[CandidateRead(**c.to_json()) for c in result.candidates],
                     suspect_sha256=report.suspect_sha256, rows=result.rows, cells=result.cells, orders=report.orders)


@router.post("/orders/{order_id}/fingerprinted-delivery", status_code=201)
def deliver(order_id: str, data: DeliveryRequest, session: SessionDep, actor: ActorDep,
            runtime: RuntimeDep) -> DeliveryRead:
    """The lister delivers an escrowed dataset order: a copy fingerprinted for the buyer, recorded on the ledger."""
    declared = Declaration(data.tolerances, data.key, data.decimals) if data.tolerances else None
    row = service.deliver(session=session, actor=actor, vault=Vault.for_data_dir(runtime.data_dir),
                          order_id=order_id, out_dir=runtime.data_dir / "deliveries", declared=declared,
                          suffix=f".{data.format}")
    return DeliveryRead.model_validate(row)


@router.get("/orders/{order_id}/fingerprinted-delivery/file")
def download(order_id: str, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> FileResponse:
    """The buyer downloads its fingerprinted copy (checked against the recorded SHA-256 first)."""
    row, path = service.delivery_file(session=session, actor=actor, order_id=order_id,
                                      out_dir=runtime.data_dir / "deliveries")
    media = "text/csv" if path.suffix == ".csv" else "application/vnd.apache.parquet"
    return FileResponse(path, media_type=media, filename=row.file_name,
                        headers={"X-Content-SHA256": row.file_hash})


@router.get("/products/{product_id}/deliveries")
def deliveries(product_id: str, session: SessionDep, actor: ActorDep) -> list[DeliveryRead]:
    """A product's fingerprinted deliveries (lister, operator, regulator)."""
    return [DeliveryRead.model_validate(r)
            for r in service.list_deliveries(session=session, actor=actor, product_id=product_id)]


@router.post("/products/{product_id}/trace")
def trace(product_id: str, file: UploadFile, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> TraceRead:
    """Trace an uploaded suspect file (CSV, Parquet, XLSX) to the product's buyers; the verdict goes to the ledger
    (operator and regulator only)."""
    with saved_upload(file.file, file.filename) as path:
        report = service.trace_file(session=session, actor=actor, key_dir=runtime.data_dir / "keys",
                                    location=str(path), product_id=product_id, name=file.filename)
    return trace_read(report)
