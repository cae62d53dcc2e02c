"""Sandbox and verification (核验) products: set the rule, read the schema, query, check, allowance, usage log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime
from yaosu.sandbox import service
from yaosu.sandbox.schemas import (
    CheckRequest,
    ConfigureRequest,
    QueryRequest,
    QueryResponse,
    SandboxProductRead,
    UsageRead,
    rows_table,
    table_json,
)

router = APIRouter(tags=["sandbox"])


def _node(runtime: Runtime) -> LocalNode:
    """The data node in this process (its vault under the data directory)."""
    return LocalNode(Vault.for_data_dir(runtime.data_dir))


@router.post("/products/{product_id}/sandbox", status_code=201)
def configure(product_id: str, data: ConfigureRequest, session: SessionDep, actor: ActorDep,
              runtime: RuntimeDep) -> SandboxProductRead:
    """Set a sandbox or verification product's rule over one of the lister's node datasets (once)."""
    row = service.configure_product(session=session, actor=actor, node=_node(runtime),
                                    product_id=product_id, dataset_id=data.dataset_id, rule=data.rule)
    return SandboxProductRead.model_validate(row)


@router.get("/products/{product_id}/sandbox")
def schema(product_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The documented schema and rule a buyer writes queries or submits records against."""
    return service.product_schema(session=session, actor=actor, product_id=product_id)


@router.post("/orders/{order_id}/queries")
def query(order_id: str, data: QueryRequest, session: SessionDep, actor: ActorDep,
          runtime: RuntimeDep) -> QueryResponse:
    """Run SQL in the sandbox: answered, or refused by the rule with the reason (logged, nothing spent).

    Refusals by the contract (count spent, expired, other purpose) are errors (422) and change nothing."""
    result = service.run_query(session=session, actor=actor, node=_node(runtime),
                               order_id=order_id, sql=data.sql, purpose=data.purpose,
                               buyer_table=data.buyer_table())
    return QueryResponse(decision=result.decision, code=result.code, reason=result.reason,
                         result=table_json(result.table), rows=result.rows, epsilon=result.epsilon,
                         remaining_count=result.remaining_count, remaining_epsilon=result.remaining_epsilon,
                         usage_id=result.usage_id)


@router.post("/orders/{order_id}/checks")
def check(order_id: str, data: CheckRequest, session: SessionDep, actor: ActorDep,
          runtime: RuntimeDep) -> dict[str, Any]:
    """核验: 一致 / 不一致 / 未找到 per record and a level per field; each record is one call."""
    table = service.check_records(session=session, actor=actor, node=_node(runtime),
                                  order_id=order_id, records=rows_table(data.records, "records"),
                                  purpose=data.purpose)
    return {"results": table.to_pylist()}


@router.get("/orders/{order_id}/allowance")
def allowance(order_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """What is left of the order's contract: calls, epsilon, end date (buyer and provider)."""
    return service.allowance(session=session, actor=actor, order_id=order_id)


@router.get("/products/{product_id}/usage")
def usage(product_id: str, session: SessionDep, actor: ActorDep, limit: int = 100) -> list[UsageRead]:
    """The product's usage log, newest first (its provider, the operator, the regulator)."""
    return [UsageRead.model_validate(u) for u in
            service.usage_log(session=session, actor=actor, product_id=product_id, limit=limit)]
