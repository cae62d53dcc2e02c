"""Set-based statements for many rows: COPY and arrays on PostgreSQL, executemany elsewhere.

psycopg runs an executemany as one statement per row (pipelined), and SQLAlchemy's multi-row VALUES is
compiled anew for every row count; PostgreSQL's COPY streams the rows in one command (row triggers and
constraints still fire), written by psycopg's C copy writer, in the caller's transaction. SQLite runs
in-process, where executemany is already cheap.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import JSON, ColumnElement, Select, Table, and_, any_, bindparam, func, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk statement's rows are built.

    A batch makes tens of thousands of small acyclic objects (dicts, tuples); reference counting frees
    them, but each allocation burst also triggers generation-0 scans that found nothing and cost a
    quarter of the batch's time (measured). Nested and concurrent pauses are counted; the collector
    is re-enabled, if it was enabled, when the last one ends."""
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def is_postgres(session: Session) -> bool:
    """True if the session works on PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def any_of(session: Session, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN values`: on PostgreSQL `column = ANY(:array)`, one parameter however many values."""
    if is_postgres(session):
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(list(values))


def where_pairs(session: Session, query: Select[Any], first: ColumnElement[Any], second: ColumnElement[Any],
                pairs: Sequence[tuple[Any, Any]]) -> Select[Any]:
    """`query` kept to rows whose (`first`, `second`) is one of `pairs`: on PostgreSQL a join with the pairs
    unnested from two arrays (its planner probes a two-column index per pair, where `= ANY` on each column
    can fall back to scanning one column's matches), a row-value IN elsewhere."""
    if not is_postgres(session):
        return query.where(tuple_(first, second).in_(list(pairs)))
    wanted = func.unnest(bindparam(None, [a for a, _ in pairs], type_=postgresql.ARRAY(first.type)),
                         bindparam(None, [b for _, b in pairs], type_=postgresql.ARRAY(second.type))
                         ).table_valued("a", "b").render_derived(name="wanted")
    return query.join(wanted, and_(first == wanted.c.a, second == wanted.c.b))


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, values as the column types take them) into `table`."""
    if not rows:
        return
    if not is_postgres(session):
        session.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    values = itemgetter(*names)
    as_json = [i for i, n in enumerate(names) if isinstance(table.c[n].type, JSON)]
    session.flush()  # the ORM's pending rows first, as any other statement would
    dbapi = cast("psycopg.Connection[Any]", session.connection().connection.dbapi_connection)
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    import psycopg

    try:
        with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                line = list(values(row)) if len(names) > 1 else [row[names[0]]]
                for i in as_json:
                    line[i] = json.dumps(line[i], ensure_ascii=False)
                copy.write_row(line)
    except psycopg.Error as exc:  # as SQLAlchemy would raise it (IntegrityError, OperationalError, …)
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
