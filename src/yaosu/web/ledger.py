"""The receipt page: anyone pastes a ledger receipt and sees it checked against the exchange's public key."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from yaosu.ledger.receipt import verify_receipt
from yaosu.web.rendering import WebRoute, render, runtime_of
from yaosu.web.security import FormDep

router = APIRouter(route_class=WebRoute)
MAX_RECEIPT_CHARS = 200_000


@router.get("/ledger/receipt")
def receipt_form(request: Request) -> Response:
    """An empty form to paste a receipt into."""
    return render(request, "receipt.html", {"receipt": "", "check": None})


@router.post("/ledger/receipt")
def check_receipt(request: Request, form: FormDep) -> Response:
    """Verify the pasted receipt and show the result."""
    text = form.get("receipt", "")[:MAX_RECEIPT_CHARS]
    runtime = runtime_of(request)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    check = verify_receipt(data, runtime.keys.public_key, runtime.settings.exchange_origin)
    return render(request, "receipt.html", {"receipt": text, "check": check},
                  status_code=200 if check.ok else 422)
