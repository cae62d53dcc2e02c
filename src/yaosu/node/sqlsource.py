"""Read one database table by SQLAlchemy URL, streamed with a server-side cursor (never `fetchall`)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
from sqlalchemy import MetaData, Table, create_engine, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, NoSuchTableError, SQLAlchemyError
from sqlalchemy.types import TypeEngine

from yaosu.errors import Invalid
from yaosu.node.readers import TableSource, guarded
from yaosu.node.rowbatches import to_batch

_BY_PYTHON_TYPE: dict[type, pa.DataType] = {
    bool: pa.bool_(), int: pa.int64(), float: pa.float64(), str: pa.string(), bytes: pa.binary(),
    dt.datetime: pa.timestamp("us"), dt.date: pa.date32(), dt.time: pa.time64("us"),
}


def public_url(url: URL) -> str:
    """The URL without password and query parameters (which may carry credentials), safe to store."""
    bare = URL.create(url.drivername, username=url.username, host=url.host, port=url.port, database=url.database)
    return bare.render_as_string(hide_password=False)


def arrow_type(sql_type: TypeEngine[object]) -> pa.DataType:
    """The Arrow type for a column's SQL type; anything without an exact match is read as text."""
    try:
        python_type = sql_type.python_type
    except NotImplementedError:
        return pa.string()
    if python_type is decimal.Decimal:
        precision, scale = getattr(sql_type, "precision", None), getattr(sql_type, "scale", None)
        if precision and scale is not None and precision <= 38:
            return pa.decimal128(precision, scale)
        return pa.string()
    return _BY_PYTHON_TYPE.get(python_type, pa.string())


def _parse(location: str, table: str | None) -> URL:
    if not table:
        raise Invalid("数据库来源需要 --table / a database source needs --table", field="table")
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise Invalid(f"数据库 URL 无效 / bad database URL: {exc}", field="path") from exc
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and not Path(url.database).is_file():  # SQLite would create an empty file
        raise Invalid(f"数据库文件不存在 / no such database file: {url.database}", field="path", code="not_found")
    return url


def open_sql_table(location: str, table: str | None, batch_rows: int) -> TableSource:
    """Table `table` at `location`: schema from reflection, rows in partitions of `batch_rows`."""
    url = _parse(location, table)
    assert table is not None
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            reflected = Table(table, MetaData(), autoload_with=conn)
    except NoSuchTableError as exc:
        raise Invalid(f"表不存在 / no table {table!r} at {public_url(url)}", field="table", code="not_found") from exc
    except (NoSuchModuleError, SQLAlchemyError) as exc:
        raise Invalid(f"无法连接数据库 / cannot read the database {public_url(url)}: {type(exc).__name__}",
                      field="path", code="unreadable") from exc
    schema = pa.schema([pa.field(c.name, arrow_type(c.type)) for c in reflected.columns])

    def stream() -> Iterator[pa.RecordBatch]:
        try:
            with engine.connect() as conn:
                result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(
                    select(reflected))
                for rows in result.partitions(batch_rows):
                    yield to_batch(schema, [tuple(r) for r in rows])
        except SQLAlchemyError as exc:
            raise Invalid(f"读取数据库失败 / reading the table failed: {type(exc).__name__}", field="path",
                          code="unreadable") from exc
        finally:
            engine.dispose()

    return TableSource(table, schema, guarded(stream(), table), None,
                       f"database table {table} at {public_url(url)}")
