"""Each masking operator over a table of inputs and expected outputs."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pyarrow as pa
import pytest

from yaosu.errors import Invalid
from yaosu.privacy.mask import MASKERS, Context
from yaosu.privacy.mask.fpe import fpe_decrypt

KEY = bytes(range(32))
CTX = Context(key=KEY, column="c")

CASES: list[tuple[str, dict[str, Any], list[Any], list[Any], str]] = [
    ("keep", {}, ["a", None], ["a", None], "keep"),
    ("redact", {}, ["张三", None, ""], ["***", None, "***"], "redact-default"),
    ("redact", {"token": "[删除]"}, ["x"], ["[删除]"], "redact-token"),
    ("partial_mask", {"keep_first": 6, "keep_last": 4}, ["11010519491231002X"], ["110105********002X"], "id-6-4"),
    ("partial_mask", {"keep_first": 3, "keep_last": 4}, ["13812345678"], ["138****5678"], "mobile-3-4"),
    ("partial_mask", {"keep_first": 1, "mask_char": "某"}, ["欧阳修"], ["欧某某"], "cjk-mask-char"),
    ("partial_mask", {"keep_first": 3, "keep_last": 4}, ["1234567", "12"], ["*******", "**"], "short-all-masked"),
    ("partial_mask", {"keep_last": 2}, [None, "abc"], [None, "*bc"], "nulls-stay"),
    ("partial_mask", {"keep_first": 3, "keep_last": 4}, [13812345678], ["138****5678"], "int-input"),
    ("generalize_date", {"level": "month"}, ["1990-05-17", "19900517", None, "nope"],
     ["1990-05", "1990-05", None, "*"], "date-month"),
    ("generalize_date", {"level": "year"}, [datetime.date(2001, 2, 3)], ["2001"], "date32-year"),
    ("generalize_date", {"level": "year"}, ["1850-01-01", "1990-13-01"], ["*", "*"], "date-out-of-hierarchy"),
    ("generalize_age", {}, [0, 17, 18, 44, 75, 120, -1, None], ["0-17", "0-17", "18-29", "30-44", "75+", "75+", "*",
                                                                None], "age-default-bands"),
    ("generalize_age", {"bands": [20, 40]}, [19.5, 20, 39.9, 40], ["*", "20-39", "20-39", "40+"], "age-custom"),
    ("generalize_address", {"level": "district"},
     ["广东省深圳市南山区科技园", "北京市朝阳区建国路", "河北省保定市易县城关", "江苏省苏州市昆山市花桥镇", "某村"],
     ["广东省深圳市南山区", "北京市朝阳区", "河北省保定市易县", "江苏省苏州市", "*"], "address-district"),
    ("generalize_address", {"level": "city"}, ["广东省深圳市南山区科技园", "上海浦东新区"],
     ["广东省深圳市", "*"], "address-city"),
    ("generalize_address", {"level": "city", "regions": ["北京市"]}, ["北京市朝阳区", "广东省深圳市南山区"],
     ["北京市", "*"], "address-regions"),
    ("generalize_gps", {"cell": 0.01}, ["39.9042,116.4074", "-33.8688, 151.2093", "91,0", "x", None],
     ["39.90,116.40", "-33.87,151.20", "*", "*", None], "gps-0.01"),
    ("generalize_gps", {"cell": 0.5}, ["39.9042,-116.4074"], ["39.5,-116.5"], "gps-0.5"),
    ("generalize_gps", {"cell": 2}, ["39.9,116.4"], ["38,116"], "gps-2"),
    ("suppress", {"threshold": 2}, ["a", "a", "b", None], ["a", "a", None, None], "suppress-rare"),
]


@pytest.mark.parametrize(("operator", "params", "values", "expected"),
                         [c[:4] for c in CASES], ids=[c[4] for c in CASES])
def test_operator_table(operator: str, params: dict[str, Any], values: list[Any], expected: list[Any]) -> None:
    assert MASKERS.get(operator)(pa.array(values), params, CTX).to_pylist() == expected


BAD_PARAMS = [
    ("partial_mask", {"keep_first": -1}, "keep_first"),
    ("partial_mask", {"keep_first": "6"}, "keep_first"),
    ("partial_mask", {"mask_char": "**"}, "mask_char"),
    ("redact", {"token": "x" * 65}, "token"),
    ("hash", {"encoding": "base64"}, "encoding"),
    ("hash", {"length": 8}, "length"),
    ("hash", {"encoding": "base32", "length": 49}, "length"),
    ("tokenize", {"prefix": "名字"}, "prefix"),
    ("fpe", {"alphabet": "hex"}, "alphabet"),
    ("generalize_date", {"level": "decade"}, "level"),
    ("generalize_age", {"bands": [30, 18]}, "bands"),
    ("generalize_gps", {"cell": 0.00001}, "cell"),
    ("generalize_gps", {"cell": 0.123456}, "cell"),
    ("noise", {}, "bound"),
    ("noise", {"bound": 1, "distribution": "gauss"}, "distribution"),
    ("noise", {"bound": 1, "min": "0"}, "min"),
    ("noise", {"bound": 1, "min": 5, "max": 1}, "min"),
    ("suppress", {"threshold": 0}, "threshold"),
    ("suppress", {"scope": "table"}, "scope"),
]


@pytest.mark.parametrize(("operator", "params", "field"), BAD_PARAMS,
                         ids=[f"{op}-{field}-{i}" for i, (op, _, field) in enumerate(BAD_PARAMS)])
def test_bad_params_name_the_field(operator: str, params: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        MASKERS.get(operator)(pa.array([1.5], pa.float64()) if operator == "noise" else pa.array(["1"]), params, CTX)
    assert caught.value.field == field


def test_hash_is_keyed_hex_and_base32() -> None:
    values = pa.array(["a", "b", "a", None])
    hexed = MASKERS.get("hash")(values, {}, CTX).to_pylist()
    assert hexed[0] == hexed[2] != hexed[1] and hexed[3] is None
    assert len(hexed[0]) == 32 and set(hexed[0]) <= set("0123456789abcdef")
    b32 = MASKERS.get("hash")(values, {"encoding": "base32", "length": 48}, CTX).to_pylist()
    assert len(b32[0]) == 48 and set(b32[0]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    import hashlib
    assert hashlib.sha256(b"a").hexdigest()[:32] != hexed[0]  # never a bare hash


def test_tokens_carry_prefix_and_differ_by_domain() -> None:
    values = pa.array(["张三"])
    name = MASKERS.get("tokenize")(values, {"prefix": "NAME_"}, CTX).to_pylist()[0]
    other = MASKERS.get("tokenize")(values, {"prefix": "ID_"}, CTX).to_pylist()[0]
    assert name.startswith("NAME_") and len(name) == 5 + 16
    assert name[5:] != other[3:]


def test_tokens_join_across_columns_of_one_product() -> None:
    a = MASKERS.get("tokenize")(pa.array(["x", "y"]), {}, Context(key=KEY, column="left"))
    b = MASKERS.get("tokenize")(pa.array(["y", "x"]), {}, Context(key=KEY, column="right"))
    assert a.to_pylist() == b.to_pylist()[::-1]


def test_fpe_keeps_non_alphabet_characters_and_round_trips() -> None:
    values = pa.array(["138-1234-5678", "11010519491231002X", "12345", None])
    enciphered = MASKERS.get("fpe")(values, {}, CTX)
    out = enciphered.to_pylist()
    assert out[0][3] == "-" and out[0][8] == "-" and out[0] != values[0].as_py()
    assert out[1].endswith("X") and out[1][:17].isdigit()
    assert out[2] == "*****"  # too short for FF3-1 (10^5 < 10^6): masked
    assert out[3] is None
    assert fpe_decrypt(enciphered, {}, CTX).to_pylist()[:2] == values.to_pylist()[:2]


def test_noise_is_bounded_seeded_and_keeps_type() -> None:
    values = pa.array(list(range(1000)), pa.int64())
    first = MASKERS.get("noise")(values, {"bound": 3}, CTX)
    again = MASKERS.get("noise")(values, {"bound": 3}, CTX)
    other = MASKERS.get("noise")(values, {"bound": 3}, Context(key=bytes(32), column="c"))
    assert first.type == pa.int64() and first.equals(again) and not first.equals(other)
    assert max(abs(a - b) for a, b in zip(first.to_pylist(), values.to_pylist(), strict=True)) <= 3
    clamped = MASKERS.get("noise")(pa.array([0.0, 100.0]), {"bound": 5, "min": 0, "max": 100}, CTX).to_pylist()
    assert 0 <= clamped[0] <= 5 and 95 <= clamped[1] <= 100


def test_permute_is_a_seeded_permutation() -> None:
    values = pa.array([str(i) for i in range(100)])
    shuffled = MASKERS.get("permute")(values, {}, CTX)
    assert sorted(shuffled.to_pylist()) == sorted(values.to_pylist())
    assert shuffled.to_pylist() != values.to_pylist()
    assert shuffled.equals(MASKERS.get("permute")(values, {}, CTX))
    assert not shuffled.equals(MASKERS.get("permute")(values, {}, Context(key=KEY, column="c", batch_index=1)))


def test_suppress_uses_whole_input_counts_when_given() -> None:
    from yaosu.privacy.mask.simple import count_values
    batches = [pa.record_batch({"c": ["a", "b"]}), pa.record_batch({"c": ["a", "c"]})]
    counts = count_values(batches, ["c"])
    context = Context(key=KEY, column="c", frequencies=counts)
    assert MASKERS.get("suppress")(batches[0].column(0), {"threshold": 2}, context).to_pylist() == ["a", None]


def test_drop_and_short_keys() -> None:
    assert MASKERS.get("drop")(pa.array(["a"]), {}, CTX).null_count == 1
    with pytest.raises(Invalid):
        MASKERS.get("hash")(pa.array(["a"]), {}, Context(key=b"short", column="c"))


@pytest.mark.parametrize("key", [bytes(32), bytes(range(64)), bytes(range(100))], ids=["32", "64", "100-hashed"])
def test_hmac_many_is_rfc2104_hmac_sha256(key: bytes) -> None:
    import hmac

    from yaosu.privacy.mask.keyed import hmac_many
    values = [b"", b"a", "张三".encode(), b"x" * 200]
    data = b"".join(values)
    ends = list(itertools.accumulate(len(v) for v in values))
    starts = [0, *ends[:-1]]
    expected = b"".join(hmac.digest(key, v, "sha256") for v in values)
    assert hmac_many(key, data, starts, ends) == expected


def test_numpy_base32_matches_the_standard_library() -> None:
    import base64

    import numpy as np

    from yaosu.privacy.mask.keyed import encode_digests
    digests = np.random.default_rng(1).integers(0, 256, (50, 32), dtype=np.uint8)
    out = encode_digests(digests, "base32", 48)
    assert [bytes(row).decode() for row in out] == [base64.b32encode(bytes(d[:30])).decode() for d in digests]


def test_memo_across_batches_gives_the_same_digests() -> None:
    from yaosu.privacy.mask.base import DigestMemo
    shared = Context(key=KEY, column="c", memo={})
    first = MASKERS.get("hash")(pa.array(["a", "b", None]), {}, shared)
    second = MASKERS.get("hash")(pa.array(["c", "b", "a"]), {}, shared)
    fresh = MASKERS.get("hash")(pa.array(["c", "b", "a"]), {}, Context(key=KEY, column="c"))
    assert second.equals(fresh) and second[2] == first[0]
    memo = shared.memo["hash/c"]
    assert isinstance(memo, DigestMemo) and sorted(memo.values.to_pylist()) == ["a", "b", "c"]
