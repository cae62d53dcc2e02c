"""The tracing page (operator and regulator): upload a suspect file, see every buyer's evidence and the verdict."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, UploadFile

from yaosu.api.uploads import saved_upload
from yaosu.watermark.service import trace_file, traceable_products
from yaosu.web.rendering import WebRoute, render, runtime_of, work
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)
PAGE = "/operator/trace"
SHOWN = 50  # candidates listed on the page (the ledger and the API keep every one)


@router.get(PAGE)
def trace_form(request: Request) -> Response:
    """The products with fingerprinted deliveries, and a form to upload a suspect file."""
    with work(request) as (session, actor):
        products = traceable_products(session=session, actor=require_login(actor))
        return render(request, "trace.html", {"products": products, "report": None, "shown": SHOWN})


@router.post(PAGE)
def trace_upload(request: Request, form: FormDep, file: UploadFile) -> Response:
    """Trace the uploaded file to the chosen product's buyers; the verdict is appended to the ledger."""
    keys = runtime_of(request).data_dir / "keys"
    with work(request) as (session, actor), saved_upload(file.file, file.filename) as path:
        report = trace_file(session=session, actor=require_login(actor), key_dir=keys, location=str(path),
                            product_id=form.get("product_id", ""), name=file.filename)
        products = traceable_products(session=session, actor=actor)
        return render(request, "trace.html", {"products": products, "report": report, "shown": SHOWN,
                                              "file_name": file.filename, "chosen": report.product_id})
