"""The transparency log: the latest signed checkpoint, entries with inclusion proofs, consistency proofs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep, VisitorDep
from yaosu.ledger import service
from yaosu.ledger.models import LedgerCheckpoint

router = APIRouter(tags=["ledger"])
RECEIPT_REQUEST = "x-yaosu-receipt"
RECEIPT_HEADER = "X-Yaosu-Ledger-Entries"


async def receipt_header(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """On request (`X-Yaosu-Receipt: 1`), name the ledger entries a successful call appended, so the caller
    can fetch each receipt from /ledger/entries/{n} once a checkpoint covers it (within a second)."""
    if not request.headers.get(RECEIPT_REQUEST):
        return await call_next(request)
    appended: list[int] = []
    token = service.APPENDED.set(appended)
    try:
        response = await call_next(request)
    finally:
        service.APPENDED.reset(token)
    if response.status_code < 400:
        response.headers[RECEIPT_HEADER] = ",".join(str(i) for i in appended)
    return response


def _checkpoint(session: SessionDep, cp: LedgerCheckpoint) -> dict[str, Any]:
    return {"size": cp.size, "root_hash": cp.root_hash, "note": service.cosigned_note(session, cp),
            "created_at": cp.created_at.isoformat()}


@router.get("/ledger/checkpoint")
def latest_checkpoint(session: SessionDep, actor: VisitorDep) -> dict[str, Any]:
    """The latest signed checkpoint (C2SP signed note, with any witness cosignatures)."""
    return _checkpoint(session, service.get_checkpoint(session=session, actor=actor))


class CosignatureIn(BaseModel):
    """A witness's cosignature line: `— NAME BASE64` (c2sp.org/tlog-cosignature)."""

    line: str = Field(min_length=10, max_length=400)


@router.post("/ledger/checkpoints/{size}/cosignatures", status_code=201)
def add_cosignature(size: int, body: CosignatureIn, session: SessionDep, actor: ActorDep,
                    runtime: RuntimeDep) -> dict[str, Any]:
    """Store a configured witness's cosignature over checkpoint `size` (operator, regulator or auditor)."""
    row = service.add_cosignature(session=session, actor=actor, size=size, line=body.line,
                                  witnesses=runtime.settings.witness_keys())
    return {"size": row.size, "witness": row.witness, "timestamp": row.timestamp}


@router.post("/ledger/checkpoints", status_code=201)
def issue_checkpoint(session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> dict[str, Any]:
    """Sign a checkpoint of the current tree now (operator)."""
    cp = service.sign_checkpoint(session=session, actor=actor, keys=runtime.keys,
                                 origin=runtime.settings.exchange_origin)
    return _checkpoint(session, cp)


@router.get("/ledger/entries/{index}")
def entry(index: int, session: SessionDep, actor: VisitorDep,
          tree_size: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """Leaf `index` with its inclusion proof to the checkpoint of `tree_size` (default: the first covering it)."""
    return asdict(service.get_entry_proof(session=session, actor=actor, index=index, tree_size=tree_size))


@router.get("/ledger/consistency")
def consistency(first: Annotated[int, Query(ge=0)], second: Annotated[int, Query(ge=0)], session: SessionDep,
                actor: VisitorDep) -> dict[str, Any]:
    """The consistency proof between the trees of `first` and `second` leaves."""
    proof = service.get_consistency(session=session, actor=actor, first=first, second=second)
    return {"first": first, "second": second, "proof": proof}
