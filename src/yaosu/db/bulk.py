"""Set-based statements for many rows: COPY and arrays on PostgreSQL, executemany elsewhere.

psycopg runs an executemany as one statement per row (pipelined), and SQLAlchemy's multi-row VALUES is
compiled anew for every row count; PostgreSQL's COPY streams the rows in one command (row triggers and
constraints still fire), written by psycopg's C copy writer, in the caller's transaction. SQLite runs
in-process, where executemany is already cheap.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import JSON, ColumnElement, Select, Table, and_, any_, bindparam, func, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


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
    as_json = [isinstance(table.c[n].type, JSON) for n in names]
    session.flush()  # the ORM's pending rows first, as any other statement would
    dbapi = cast("psycopg.Connection[Any]", session.connection().connection.dbapi_connection)
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    import psycopg

    try:
        with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n], ensure_ascii=False) if j else row[n]
                                for n, j in zip(names, as_json, strict=True)])
    except psycopg.Error as exc:  # as SQLAlchemy would raise it (IntegrityError, OperationalError, …)
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
