"""Invariants of the operators, by hypothesis: no original survives, keys matter, hierarchies and bounds hold."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.privacy.mask import MASKERS, Context
from yaosu.privacy.mask.fpe import fpe_decrypt
from yaosu.privacy.mask.generalize import (
    address_contains,
    band_labels,
    date_contains,
    gps_contains,
)

keys = st.binary(min_size=32, max_size=64)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="*"), max_size=30)
columns = st.lists(st.one_of(st.none(), text), min_size=1, max_size=60)
digits = st.text(alphabet="0123456789", min_size=12, max_size=30)  # ≥ 10^12: a chance collision is negligible
alnum = st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=30)


def no_original_left(values: list[str | None], out: pa.Array) -> bool:
    """No non-null original value equals any output value."""
    originals = pa.array([v for v in values if v is not None], pa.string())
    return not pc.any(pc.is_in(out.cast(pa.string()), value_set=originals)).as_py()


@settings(max_examples=60, deadline=None)
@given(columns, keys, st.sampled_from([("redact", {}), ("hash", {}), ("hash", {"encoding": "base32"}),
                                       ("tokenize", {"prefix": "T_"})]))
def test_no_original_value_survives(values: list[str | None], key: bytes, op: tuple[str, dict[str, Any]]) -> None:
    operator, params = op
    # "***" is the redaction token itself; the text strategy already excludes "*".
    out = MASKERS.get(operator)(pa.array(values, pa.string()), params, Context(key=key, column="c"))
    assert len(out) == len(values)
    assert no_original_left(values, out)
    assert out.is_null().to_pylist() == [v is None for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(text.filter(lambda v: len(v) >= 12), min_size=1, max_size=40), keys,
       st.integers(0, 4), st.integers(0, 4))
def test_partial_mask_with_enough_masked_chars_leaves_no_original(values: list[str], key: bytes,
                                                                  first: int, last: int) -> None:
    params = {"keep_first": first, "keep_last": last}
    out = MASKERS.get("partial_mask")(pa.array(values), params, Context(key=key, column="c"))
    assert no_original_left(list(values), out)
    assert pc.utf8_length(out).to_pylist() == [len(v) for v in values]
    for value, masked in zip(values, out.to_pylist(), strict=True):
        assert masked[:first] == value[:first] and masked[len(value) - last:] == value[len(value) - last:]


@settings(max_examples=40, deadline=None)
@given(st.lists(digits, min_size=1, max_size=20, unique=True), keys)
def test_fpe_digits_round_trips_preserves_format_and_hides(values: list[str], key: bytes) -> None:
    context = Context(key=key, column="c")
    out = MASKERS.get("fpe")(pa.array(values), {}, context)
    assert all(o.isdigit() and len(o) == len(v) for o, v in zip(out.to_pylist(), values, strict=True))
    assert fpe_decrypt(out, {}, context).to_pylist() == values
    assert no_original_left(list(values), out)


@settings(max_examples=30, deadline=None)
@given(st.lists(alnum, min_size=1, max_size=20, unique=True), keys)
def test_fpe_alphanumeric_round_trips(values: list[str], key: bytes) -> None:
    context, params = Context(key=key, column="c"), {"alphabet": "alphanumeric"}
    out = MASKERS.get("fpe")(pa.array(values), params, context)
    assert all(o.isalnum() and o.isascii() and len(o) == len(v) for o, v in zip(out.to_pylist(), values, strict=True))
    assert fpe_decrypt(out, params, context).to_pylist() == values
    assert no_original_left(list(values), out)


@settings(max_examples=40, deadline=None)
@given(columns, keys, keys, st.sampled_from(["hash", "tokenize"]))
def test_pseudonyms_deterministic_under_one_key_different_under_another(
        values: list[str | None], key: bytes, other: bytes, operator: str) -> None:
    column = pa.array(values, pa.string())
    one = MASKERS.get(operator)(column, {}, Context(key=key, column="c"))
    assert one.equals(MASKERS.get(operator)(column, {}, Context(key=key, column="d")))
    if key != other:
        two = MASKERS.get(operator)(column, {}, Context(key=other, column="c"))
        assert all(a != b for a, b in zip(one.to_pylist(), two.to_pylist(), strict=True) if a is not None)
    distinct = {v for v in values if v is not None}
    assert len({v for v in one.to_pylist() if v is not None}) == len(distinct)


dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12), st.none())


@settings(max_examples=60, deadline=None)
@given(st.lists(dates, min_size=1, max_size=40), st.sampled_from(["month", "year"]))
def test_date_generalization_stays_in_hierarchy(values: list[str | None], level: str) -> None:
    out = MASKERS.get("generalize_date")(pa.array(values, pa.string()), {"level": level}, Context(key=bytes(32)))
    assert pc.all(date_contains(out, level)).as_py() in (True, None)
    assert out.null_count == values.count(None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-10, 200), st.integers(-5, 150)), min_size=1, max_size=40),
       st.lists(st.integers(0, 120), min_size=1, max_size=8, unique=True))
def test_age_bands_stay_in_hierarchy(values: list[float | None], edges: list[int]) -> None:
    edges = sorted(edges)
    out = MASKERS.get("generalize_age")(pa.array(values, pa.float64()), {"bands": edges}, Context(key=bytes(32)))
    allowed = {*band_labels(edges), "*"}
    assert {v for v in out.to_pylist() if v is not None} <= allowed


parts = st.text(alphabet="东西南北中新华海滨江山湖城乡镇村路省市区县", min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(parts, min_size=1, max_size=30), st.sampled_from(["district", "city"]))
def test_address_generalization_stays_in_hierarchy(values: list[str], level: str) -> None:
    out = MASKERS.get("generalize_address")(pa.array(values), {"level": level}, Context(key=bytes(32)))
    assert pc.all(address_contains(out, level)).as_py()
    for value, general in zip(values, out.to_pylist(), strict=True):
        assert general == "*" or value.startswith(general)


coords = st.tuples(st.floats(-90, 90), st.floats(-180, 180)).map(lambda p: f"{p[0]:.6f},{p[1]:.6f}")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(coords, st.text(max_size=10)), min_size=1, max_size=30),
       st.sampled_from([0.001, 0.01, 0.05, 0.1, 0.25, 1, 5]))
def test_gps_generalization_stays_on_grid(values: list[str], cell: float) -> None:
    params = {"cell": cell}
    out = MASKERS.get("generalize_gps")(pa.array(values), params, Context(key=bytes(32)))
    assert pc.all(gps_contains(out, params)).as_py()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=50), keys,
       st.floats(0.01, 100), st.sampled_from(["uniform", "laplace"]))
def test_noise_stays_within_bound(values: list[float | None], key: bytes, bound: float, kind: str) -> None:
    column = pa.array(values, pa.float64())
    out = MASKERS.get("noise")(column, {"bound": bound, "distribution": kind}, Context(key=key, column="c"))
    for before, after in zip(values, out.to_pylist(), strict=True):
        assert (before is None) == (after is None)
        if before is not None:
            assert abs(after - before) <= bound * (1 + 1e-9)
