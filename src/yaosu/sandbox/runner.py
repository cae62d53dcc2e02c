"""A locked-down DuckDB that runs one emitted sandbox query over in-memory Arrow tables (node side).

Every run opens a fresh in-memory DuckDB with external access disabled (no files, no network:
read_csv, COPY, ATTACH, INSTALL fail even if a query got that far), extension auto-install and
auto-load off, a memory limit, a thread count and no temp directory; it registers the product's
table and the buyer's uploaded table as read-only Arrow views, then locks the configuration so
no SET can undo any of it. A timer thread interrupts the query at the time limit. The connection
is closed afterwards, so the buyer's table is gone with it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.sandbox.refusals import refusal
from yaosu.sandbox.rewrite import HASH, q
from yaosu.sandbox.rules import BUYER_TABLE, NAME

MAX_BUYER_ROWS = 1_000_000
MAX_BUYER_COLUMNS = 50


@dataclass(frozen=True)
class Limits:
    """Resources one sandbox query may use."""

    memory_mb: int = 1024
    threads: int = 2
    timeout_s: float = 30.0


def _config(limits: Limits) -> dict[str, str | bool | int | float | list[str]]:
    return {"enable_external_access": False, "autoinstall_known_extensions": False,
            "autoload_known_extensions": False, "allow_community_extensions": False,
            "allow_unsigned_extensions": False, "memory_limit": f"{limits.memory_mb}MB",
            "threads": limits.threads, "temp_directory": ""}


def _clamped(table: pa.Table, bounds: Mapping[str, tuple[float, float]]) -> pa.Table:
    """`table` with each bounded column clamped into its [lower, upper], in the column's own type."""
    for name, (low, high) in bounds.items():
        column = table.column(name)
        if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
            raise refusal("sandbox_resource_limit", f"column {name} is not numeric but has bounds")
        lo, hi = (pa.scalar(v).cast(column.type, safe=False) for v in (low, high))
        clamped = pc.max_element_wise(pc.min_element_wise(column, hi), lo)
        table = table.set_column(table.column_names.index(name), name, clamped)
    return table


def prepare_product(table: pa.Table, subject: str, salt: bytes, rows_per_subject: int = 1,
                    bounds: Mapping[str, tuple[float, float]] | None = None) -> pa.Table:
    """The product table as the sandbox reads it: bounded columns clamped, `__h` (keyed subject hash) added.

    Clamping once here, not per query, is what keeps a query within 1.3x of raw DuckDB; the emitted
    SQL relies on it, so product tables reach the runner only through this function. `salt` is the
    product's secret: without it a buyer cannot predict the noise seeds. Refused if a subject has
    more rows than the rule allows (a sum's noise is scaled to that many rows).
    """
    column = q(subject)
    con = duckdb.connect(":memory:", config=_config(Limits()))
    try:
        con.register("src", table)
        con.execute("SET lock_configuration = true")
        most = con.sql(f"SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM src GROUP BY {column})"  # noqa: S608
                       ).fetchall()[0][0]
        if most > rows_per_subject:
            raise refusal("sandbox_resource_limit", f"a subject has {most} rows, the rule allows "
                                                    f"{rows_per_subject}")
        hashed = con.sql(f"SELECT hash(CAST({column} AS VARCHAR), $salt) AS h FROM src",  # noqa: S608
                         params={"salt": salt.hex()}).to_arrow_table()
    finally:
        con.close()
    return _clamped(table, bounds or {}).append_column(HASH, hashed.column("h"))


def check_buyer_table(table: pa.Table, join_keys: tuple[str, ...]) -> pa.Table:
    """The buyer's upload, bounded and validated: plain column names, at most 1M rows, unique join keys.

    Unique keys matter: a key repeated 100 times would multiply one subject's contribution past the noise.
    """
    if table.num_rows > MAX_BUYER_ROWS or table.num_columns > MAX_BUYER_COLUMNS:
        raise refusal("buyer_table_invalid", f"at most {MAX_BUYER_ROWS} rows and {MAX_BUYER_COLUMNS} columns")
    names = [n.lower() for n in table.column_names]
    if any(not NAME.match(n) for n in names) or len(set(names)) != len(names):
        raise refusal("buyer_table_invalid", "column names are a-z, 0-9 and _, unique, starting with a letter")
    table = table.rename_columns(names)
    for key in join_keys:
        column = table.column(key)
        if pc.count_distinct(column).as_py() != table.num_rows - column.null_count:
            raise refusal("buyer_table_invalid", f"join column {key} has repeated values")
    return table


class Engine:
    """One locked-down in-memory DuckDB database; every query runs on its own connection (cursor) to it.

    The database is created with external access, extensions and temp files off and its memory and
    thread limits, then its configuration is locked. A query's connection registers the tables it
    may read (Arrow views are connection-local: another query's connection never sees them) and is
    closed after the run, taking the buyer's table with it. Keeping the database per loaded product
    spares each query the cost of starting a database (about 0.1 s on 10M rows here).
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._db = duckdb.connect(":memory:", config=_config(self.limits))
        self._db.execute("SET lock_configuration = true")

    def run(self, sql: str, tables: Mapping[str, pa.Table], timeout_s: float | None = None) -> pa.Table:
        """The result of `sql` over `tables` (name -> Arrow table), interrupted after `timeout_s`."""
        timeout = timeout_s or self.limits.timeout_s
        con = self._db.cursor()
        timer = threading.Timer(timeout, con.interrupt)
        try:
            for name, table in tables.items():
                con.register(name, table)
            timer.start()
            return con.sql(sql).to_arrow_table()
        except duckdb.InterruptException:
            raise refusal("sandbox_timeout", timeout) from None
        except duckdb.OutOfMemoryException:
            raise refusal("sandbox_resource_limit", f"memory {self.limits.memory_mb} MB") from None
        except duckdb.Error as exc:  # DuckDB's message can quote a value from the data: only its kind is told
            raise refusal("sandbox_query_failed", type(exc).__name__) from None
        finally:
            timer.cancel()
            con.close()

    def close(self) -> None:
        self._db.close()


def run(sql: str, tables: Mapping[str, pa.Table], limits: Limits | None = None,
        engine: Engine | None = None) -> pa.Table:
    """The result of `sql` over `tables` on `engine` (default: a fresh locked-down database, closed after)."""
    if engine is not None:
        return engine.run(sql, tables, limits.timeout_s if limits else None)
    fresh = Engine(limits)
    try:
        return fresh.run(sql, tables)
    finally:
        fresh.close()


def tables_for(product_name: str, product: pa.Table, buyer: pa.Table | None) -> dict[str, pa.Table]:
    """The tables one run sees: the product's, and the buyer's upload if any."""
    tables = {product_name: product}
    if buyer is not None:
        tables[BUYER_TABLE] = buyer
    return tables
