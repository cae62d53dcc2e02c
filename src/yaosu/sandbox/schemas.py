"""Sandbox requests and responses (API, CLI and web edges)."""

from __future__ import annotations

import decimal
from datetime import datetime
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from yaosu.errors import Invalid
from yaosu.sandbox.checker import MAX_SQL_CHARS
from yaosu.sandbox.runner import MAX_BUYER_ROWS

Cell = str | int | float | bool | None
MAX_CHECKS = 10_000


class ConfigureRequest(BaseModel):
    """Attach a node dataset and a rule (analysis rule for sandbox, verification rule for 核验) to a product."""

    model_config = ConfigDict(extra="forbid")
    dataset_id: str = Field(min_length=26, max_length=26)
    rule: dict[str, Any]


class QueryRequest(BaseModel):
    """A buyer's SQL, the purpose it is for, and optionally its own table to join (rows of plain values)."""

    model_config = ConfigDict(extra="forbid")
    sql: str = Field(min_length=1, max_length=MAX_SQL_CHARS)
    purpose: str = Field(min_length=1, max_length=500)
    buyer_rows: list[dict[str, Cell]] | None = Field(default=None, max_length=MAX_BUYER_ROWS)

    def buyer_table(self) -> pa.Table | None:
        """The buyer's rows as an Arrow table (None without rows)."""
        return rows_table(self.buyer_rows, "buyer_rows") if self.buyer_rows else None


class CheckRequest(BaseModel):
    """Records to verify (each a dict of the product's fields) and the purpose."""

    model_config = ConfigDict(extra="forbid")
    records: list[dict[str, Cell]] = Field(min_length=1, max_length=MAX_CHECKS)
    purpose: str = Field(min_length=1, max_length=500)


def rows_table(rows: list[dict[str, Cell]], field: str) -> pa.Table:
    """JSON rows as an Arrow table; Invalid naming the field if the rows do not make one."""
    try:
        return pa.Table.from_pylist(rows)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise Invalid(f"行数据无法组成表 / the rows do not make a table: {exc}", field=field) from None


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def table_json(table: pa.Table | None) -> dict[str, Any] | None:
    """A result table as {"columns": [...], "rows": [[...], ...]}."""
    if table is None:
        return None
    return {"columns": table.column_names,
            "rows": [[_plain(v) for v in row.values()] for row in table.to_pylist()]}


class QueryResponse(BaseModel):
    decision: str
    code: str | None = None
    reason: dict[str, str] | None = None
    result: dict[str, Any] | None = None
    rows: int
    epsilon: float
    remaining_count: int | None
    remaining_epsilon: float | None
    usage_id: str


class UsageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    buyer_party_id: str
    kind: str
    text_hash: str
    decision: str
    code: str | None
    rows: int
    units: int
    epsilon: float
    created_at: datetime


class SandboxProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: str
    kind: str
    dataset_id: str
    rule: dict[str, Any]
    rule_hash: str
    key_id: str
