"""The buyer's sandbox page: the product's documented schema and rule, what is left of the contract, a SQL
box, and the answer or the reason the rule (or the contract) refused the query, in Chinese or English."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from yaosu.errors import PolicyViolation
from yaosu.market.models import Order
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.sandbox.schemas import table_json
from yaosu.sandbox.service import allowance, product_schema, run_query
from yaosu.web.rendering import WebRoute, render, runtime_of, work
from yaosu.web.security import FormDep, require_login

router = APIRouter(route_class=WebRoute)


def _example(rule: dict[str, Any]) -> str:
    """A first query to edit (a suggestion shown in the box; the buyer's text is what is checked and run)."""
    dims = rule.get("dimensions") or []
    if not dims:
        return ""
    return f"SELECT {dims[0]}, COUNT(*) AS n FROM {rule['table']} GROUP BY {dims[0]}"  # noqa: S608


def _page(request: Request, order_id: str, sql: str = "", purpose: str | None = None,
          outcome: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    with work(request) as (session, actor):
        require_login(actor)
        left = allowance(session=session, actor=actor, order_id=order_id)
        order = session.get(Order, order_id)
        assert order is not None  # allowance() answered, so the order exists and the actor may see it
        schema = product_schema(session=session, actor=actor, product_id=order.product_id)
        rule = schema["rule"]
        example = _example(rule) if schema["kind"] == "sandbox" else ""
        return render(request, "sandbox.html", {
            "order_id": order_id, "schema": schema, "rule": rule, "left": left, "sql": sql or example,
            "purpose": left["purpose"] if purpose is None else purpose, "outcome": outcome,
            "is_buyer": order.buyer_party_id == actor.party_id}, status_code=status_code)


@router.get("/orders/{order_id}/sandbox")
def sandbox_page(request: Request, order_id: str) -> Response:
    """The sandbox of one order: schema, rule, allowance and an empty query box."""
    return _page(request, order_id)


@router.post("/orders/{order_id}/sandbox")
def sandbox_run(request: Request, order_id: str, form: FormDep) -> Response:
    """Run the buyer's SQL and show the answer or the refusal's reason."""
    sql, purpose = form.get("sql", "")[:8000], form.get("purpose", "").strip()
    outcome: dict[str, Any]
    try:
        with work(request) as (session, actor):
            r = run_query(session=session, actor=require_login(actor), order_id=order_id, sql=sql, purpose=purpose,
                          node=LocalNode(Vault.for_data_dir(runtime_of(request).data_dir)))
            outcome = {"decision": r.decision, "code": r.code, "reason": r.reason, "result": table_json(r.table),
                       "rows": r.rows, "epsilon": r.epsilon}
    except PolicyViolation as exc:  # the contract refused it: nothing was written
        outcome = {"decision": "refused", "code": exc.code,
                   "reason": {"zh": exc.details.get("zh", exc.message), "en": exc.details.get("en", exc.message)}}
    return _page(request, order_id, sql, purpose, outcome, 200 if outcome["decision"] == "answered" else 422)
