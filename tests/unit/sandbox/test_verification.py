"""Verification (核验): answers per record and field from keyed hashes, never the stored record."""

from __future__ import annotations

import hashlib
import hmac

import pyarrow as pa
import pytest

from yaosu.errors import Invalid
from yaosu.sandbox.verification import SMALL_BATCH, Index, VerificationRule, keyed_hashes, normalize

KEY = bytes(range(32))
RULE = VerificationRule(key="id_number", fields={"id_number": "id", "name": "name", "phone": "phone"})
STORED = pa.table({"id_number": ["11010119900101123x", "310101198001015678", "440101197001019999", None],
                   "name": ["张 三", "李四", "王五", "赵六"],
                   "phone": ["138-0000-0000", "+86 13900000000", None, "13700000000"]})
INDEX = Index.build(STORED, RULE, KEY)


@pytest.mark.parametrize(("kind", "raw", "normal"), [
    ("id", " 11010119900101123x ", "11010119900101123X"),
    ("id", "１１０１０１", "110101"),
    ("name", "张　三", "张三"),
    ("phone", "+86 138-0000-0000", "13800000000"),
    ("phone", "", None),
    ("text", "  Hello ", "hello"),
], ids=["id-upper", "id-fullwidth", "name-ideographic-space", "phone-prefix", "empty-is-null", "text"])
def test_normalize(kind: str, raw: str, normal: str | None) -> None:
    assert normalize(pa.array([raw]), kind).to_pylist() == [normal]  # type: ignore[arg-type]


def test_hashes_are_hmac_sha256_with_the_field_as_domain() -> None:
    one = keyed_hashes(pa.table({"id_number": ["X"], "name": ["张三"]}), RULE, KEY)
    expected = hmac.new(KEY, b"name\0" + "张三".encode(), hashlib.sha256).digest()[:8]
    assert int(one["name"][0]) == int.from_bytes(expected, "big")


def test_the_vectorized_and_the_small_batch_paths_agree() -> None:
    many = pa.table({"id_number": [f"{i:018d}" for i in range(SMALL_BATCH + 10)],
                     "name": [f"名{i}" for i in range(SMALL_BATCH + 10)]})
    big = keyed_hashes(many, RULE, KEY)
    small = keyed_hashes(many.slice(0, SMALL_BATCH), RULE, KEY)
    assert (big["name"][:SMALL_BATCH] == small["name"]).all()
    assert (big["id_number"][:SMALL_BATCH] == small["id_number"]).all()


@pytest.mark.parametrize(("record", "result", "levels"), [
    ({"id_number": "11010119900101123X", "name": "张三", "phone": "13800000000"}, "一致", ["一致", "一致"]),
    ({"id_number": "11010119900101123X", "name": "张三", "phone": None}, "一致", ["一致", "未提供"]),
    ({"id_number": "310101198001015678", "name": "李四", "phone": "13900000001"}, "不一致", ["一致", "不一致"]),
    ({"id_number": "440101197001019999", "name": "王五", "phone": "13900000001"}, "不一致", ["一致", "无记录"]),
    ({"id_number": "000000000000000000", "name": "张三", "phone": "13800000000"}, "未找到", ["未找到", "未找到"]),
], ids=["all-match", "phone-not-given", "phone-differs", "phone-not-on-record", "not-found"])
def test_check_answers_per_record_and_field(record: dict[str, str | None], result: str, levels: list[str]) -> None:
    answer = INDEX.check(pa.Table.from_pylist([record]), KEY).to_pylist()[0]
    assert answer == {"result": result, "name": levels[0], "phone": levels[1]}


def test_the_index_holds_no_raw_value() -> None:
    cells = {str(v) for c in INDEX.table.columns for v in c.to_pylist()}
    raw = {str(v) for c in STORED.columns for v in c.to_pylist()}
    assert not cells & raw and INDEX.table.num_rows == 3  # the record without a key is left out


def test_another_key_finds_nothing() -> None:
    record = pa.table({"id_number": ["11010119900101123X"], "name": ["张三"], "phone": ["13800000000"]})
    assert INDEX.check(record, bytes(32 * [7])).column("result").to_pylist() == ["未找到"]


def test_a_batch_needs_the_key_field() -> None:
    with pytest.raises(Invalid):
        INDEX.check(pa.table({"name": ["张三"]}), KEY)
