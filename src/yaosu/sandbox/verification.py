"""Verification (核验) by keyed hashes: 一致 / 不一致 / 未找到 per record and a match per field (pure).

The node builds an index once from the dataset: every field is normalized (NFKC, spaces, case,
phone digits) and replaced by HMAC-SHA256 under the provider's key with the field name as domain
separator, truncated to 64 bits (128 for the lookup key). The index holds no raw value and cannot
be reversed without the key. A check hashes the submitted records the same way, finds the key
by binary search and compares field hashes: no per-call scan of the raw data, no stored record
returned. Both sides compute HMAC inside DuckDB (sha256 over the padded key and the message,
RFC 2104), batch by batch, so a batch of checks is vectorized.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yaosu.errors import Invalid
from yaosu.sandbox.rules import Name

FieldKind = Literal["name", "id", "phone", "text"]
MATCH, MISMATCH, NOT_PROVIDED, UNKNOWN = "一致", "不一致", "未提供", "无记录"
FOUND_ALL, FOUND_SOME, NOT_FOUND = "一致", "不一致", "未找到"
RESULTS_EN = {"一致": "match", "不一致": "mismatch", "未找到": "not_found", "未提供": "not_provided",
              "无记录": "not_on_record"}
MAX_BATCH = 100_000
SMALL_BATCH = 64  # up to this many submitted records are hashed with hashlib
_BLOCK = 64


class VerificationRule(BaseModel):
    """Which field finds the record (`key`) and which fields are compared, each with its normalization."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: Name
    fields: dict[Name, FieldKind] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _key_known(self) -> VerificationRule:
        if self.key not in self.fields:
            raise ValueError(f"the key field {self.key!r} must be one of the fields")
        return self


def normalize(values: pa.Array | pa.ChunkedArray, kind: FieldKind) -> pa.Array | pa.ChunkedArray:
    """The column in canonical form for `kind`; empty strings become null (not provided)."""
    text = pc.utf8_normalize(pc.cast(values, pa.string()), "NFKC")
    if kind == "phone":
        text = pc.replace_substring_regex(text, r"\D", "")
        text = pc.replace_substring_regex(text, r"^86(\d{11})$", r"\1")
    elif kind == "id":
        text = pc.utf8_upper(pc.replace_substring_regex(text, r"[\s-]", ""))
    elif kind == "name":
        text = pc.replace_substring_regex(text, r"\s", "")
    else:
        text = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) < 16:
        raise Invalid("a verification key has at least 16 bytes", field="key")
    block = key.ljust(_BLOCK, b"\0") if len(key) <= _BLOCK else key  # keys are 32 bytes: no pre-hash needed
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


def _duckdb_hmac(normalized: pa.Table, key: bytes) -> pa.Table:
    """HMAC-SHA256 prefixes (16 bytes) of every column, computed in DuckDB: the vectorized path."""
    inner, outer = _pads(key)
    parts = [f"unhex(substr(sha256($o || unhex(sha256($i || encode('{f}' || chr(0) || \"{f}\")))), 1, 32)) "
             f"AS \"{f}\"" for f in normalized.column_names]
    con = duckdb.connect(":memory:", config={"enable_external_access": False, "threads": 2})
    try:
        con.register("v", normalized)
        sql = f"SELECT {', '.join(parts)} FROM v"  # noqa: S608 (field names are validated Names)
        return con.sql(sql, params={"i": inner, "o": outer}).to_arrow_table()
    finally:
        con.close()


def _python_hmac(normalized: pa.Table, key: bytes) -> pa.Table:
    """The same prefixes with hashlib, for a handful of submitted records (a DuckDB start costs more)."""
    columns = {}
    for f in normalized.column_names:
        tag = f.encode() + b"\0"
        columns[f] = pa.array([None if v is None else hmac.new(key, tag + v.encode(), hashlib.sha256).digest()[:16]
                               for v in normalized.column(f).to_pylist()], pa.binary())
    return pa.table(columns)


def keyed_hashes(table: pa.Table, rule: VerificationRule, key: bytes) -> dict[str, np.ndarray]:
    """field -> uint64 HMAC prefixes (shape (n, 2) for the key field), 0 where the value is null."""
    _pads(key)
    normalized = pa.table({f: normalize(table.column(f), kind) for f, kind in rule.fields.items()
                           if f in table.column_names})
    hashed = _python_hmac(normalized, key) if table.num_rows <= SMALL_BATCH else _duckdb_hmac(normalized, key)
    out = {}
    for name in hashed.column_names:
        column = hashed.column(name).combine_chunks()
        raw = pc.fill_null(column, b"\0" * 16).cast(pa.binary(16))
        words = np.frombuffer(raw.buffers()[1], dtype=">u8", count=2 * len(raw),
                              offset=raw.offset * 16).astype(np.uint64).reshape(-1, 2)
        out[name] = words if name == rule.key else words[:, 0].copy()
    return out


class Index:
    """The keyed-hash index of a dataset: sorted key hashes and, per field, the hash to compare."""

    def __init__(self, rule: VerificationRule, table: pa.Table) -> None:
        self.rule = rule
        self.table = table  # columns key_hi, key_lo and one per compared field, sorted by key_hi
        self._arrays = {name: table.column(name).to_numpy() for name in table.column_names}

    @classmethod
    def build(cls, data: pa.Table, rule: VerificationRule, key: bytes) -> Index:
        """The index of `data` (every rule field must be a column); records without a key are left out."""
        missing = set(rule.fields) - set(data.column_names)
        if missing:
            raise Invalid(f"the dataset has no column {sorted(missing)}", field="fields")
        hashes = keyed_hashes(data, rule, key)
        keys = hashes.pop(rule.key)
        present = keys.any(axis=1)
        order = np.argsort(keys[present, 0], kind="stable")
        columns = {"key_hi": keys[present, 0][order], "key_lo": keys[present, 1][order]}
        columns |= {f: h[present][order] for f, h in hashes.items()}
        return cls(rule, pa.table(columns))

    def check(self, records: pa.Table, key: bytes) -> pa.Table:
        """Per record: `result` (一致 / 不一致 / 未找到) and a match level per compared field."""
        if records.num_rows > MAX_BATCH:
            raise Invalid(f"at most {MAX_BATCH} records per batch", field="records")
        if self.rule.key not in records.column_names:
            raise Invalid(f"each record needs the key field {self.rule.key}", field=self.rule.key)
        submitted = keyed_hashes(records, self.rule, key)
        probe = submitted.pop(self.rule.key)
        stored_hi = self._arrays["key_hi"]
        pos = np.minimum(np.searchsorted(stored_hi, probe[:, 0]), max(len(stored_hi) - 1, 0))
        found = (len(stored_hi) > 0) & probe.any(axis=1)
        if len(stored_hi):
            found &= (stored_hi[pos] == probe[:, 0]) & (self._arrays["key_lo"][pos] == probe[:, 1])
        columns: dict[str, pa.Array] = {}
        all_match = found.copy()
        for name in self.rule.fields:
            if name == self.rule.key:
                continue
            mine = submitted.get(name, np.zeros(records.num_rows, dtype=np.uint64))  # absent: not provided
            theirs = self._arrays[name][pos] if len(stored_hi) else np.zeros_like(mine)
            level = np.where(mine == 0, NOT_PROVIDED,
                             np.where(theirs == 0, UNKNOWN, np.where(mine == theirs, MATCH, MISMATCH)))
            level = np.where(found, level, NOT_FOUND)
            all_match &= (level == MATCH) | (level == NOT_PROVIDED)
            columns[name] = pa.array(level.astype(str))
        result = np.where(~found, NOT_FOUND, np.where(all_match, FOUND_ALL, FOUND_SOME))
        return pa.table({"result": pa.array(result.astype(str)), **columns})
