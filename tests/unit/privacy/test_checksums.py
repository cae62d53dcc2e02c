"""Vectorized identifier checksums, against python-stdnum as the oracle and edge-case tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import imei as stdnum_imei
from stdnum import luhn as stdnum_luhn
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from yaosu.identifiers import USCC_ALPHABET, is_valid_uscc, uscc_check_char
from yaosu.privacy.checksums import (
    PROVINCE_CODES,
    cn_id_card_ok,
    cn_id_card_valid,
    imei_valid,
    luhn_valid,
    uscc_ok,
    uscc_valid,
    vin_ok,
    vin_valid,
)

TODAY = date(2026, 1, 15)
DIGITS = "0123456789"
# Regions stdnum's county table knows for every year since 1900; stdnum checks the full 6-digit
# county (and its years of existence) while we check only the province prefix, so the oracle
# domain is restricted to these.
STDNUM_REGIONS = ["110101", "110105", "310104", "710000"]


def column(kernel: Callable[[pa.Array], pa.BooleanArray], values: list[str | None]) -> list[bool]:
    return [bool(v) for v in kernel(pa.array(values, pa.string())).to_pylist()]


def id_check(first17: str) -> str:
    return stdnum_ric.calc_check_digit(first17 + "0")


def with_check(first17: str) -> str:
    """`first17` plus its correct MOD 11-2 check, so only the rule a table row names can reject it."""
    return first17 + id_check(first17)


birth = st.dates(min_value=date(1900, 1, 1), max_value=TODAY).map(lambda d: d.strftime("%Y%m%d"))
id_body = st.tuples(st.sampled_from(STDNUM_REGIONS), birth, st.text(DIGITS, min_size=3, max_size=3)).map("".join)


@given(st.lists(id_body, min_size=1, max_size=30))
def test_id_card_valid_numbers_agree_with_stdnum(bodies: list[str]) -> None:
    """Generated valid IDs (birth dates 1900-01-01..today, regions stdnum knows) pass both checks."""
    codes = [b + id_check(b) for b in bodies]
    assert column(lambda c: cn_id_card_valid(c, TODAY), codes) == [stdnum_ric.is_valid(c) for c in codes]
    assert all(column(lambda c: cn_id_card_valid(c, TODAY), codes))


@given(st.lists(st.tuples(id_body, st.sampled_from(DIGITS + "X")), min_size=1, max_size=30))
def test_id_card_any_check_char_agrees_with_stdnum(pairs: list[tuple[str, str]]) -> None:
    """With a random check character (mostly wrong), the vectorized verdict equals stdnum's."""
    codes = [b + c for b, c in pairs]
    assert column(lambda c: cn_id_card_valid(c, TODAY), codes) == [stdnum_ric.is_valid(c) for c in codes]


@given(id_body, st.integers(0, 16), st.integers(1, 9))
def test_id_card_single_digit_corruption_is_caught(body: str, pos: int, delta: int) -> None:
    """MOD 11-2 catches every single-digit error (or the corruption broke the date/region)."""
    code = body + id_check(body)
    bad = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1:]
    assert not cn_id_card_ok(bad, TODAY)
    assert not stdnum_ric.is_valid(bad)


legacy_birth = st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)).map(lambda d: d.strftime("%y%m%d"))
legacy_body = st.tuples(st.sampled_from(STDNUM_REGIONS), legacy_birth,
                        st.text(DIGITS, min_size=3, max_size=3)).map("".join)


@given(st.lists(st.one_of(legacy_body, st.text(DIGITS, min_size=15, max_size=15)), min_size=1, max_size=30))
def test_legacy_15_digit_ids_agree_with_stdnum_on_their_18_digit_upgrade(codes: list[str]) -> None:
    """stdnum has no 15-digit rule; a legacy number is valid iff its GB 11643 upgrade ('19' + check) is.

    Random 15-digit strings only count where their region is one stdnum knows for every year.
    """
    got = column(lambda c: cn_id_card_valid(c, TODAY), codes)
    for code, ok in zip(codes, got, strict=True):
        if code[:6] in STDNUM_REGIONS:
            assert ok == stdnum_ric.is_valid(with_check(code[:6] + "19" + code[6:]))
        else:
            date_ok = stdnum_ric.is_valid(with_check("110101" + "19" + code[6:]))  # a county valid in every year
            assert ok == (int(code[:2]) in PROVINCE_CODES and date_ok)


uscc_body = st.tuples(st.sampled_from("123456789ABCDEFGY"), st.sampled_from("1239"),
                      st.text(DIGITS, min_size=6, max_size=6),
                      st.text(USCC_ALPHABET, min_size=9, max_size=9)).map("".join)


@given(st.lists(st.tuples(uscc_body, st.sampled_from(USCC_ALPHABET), st.booleans()), min_size=1, max_size=30))
def test_uscc_agrees_with_stdnum_and_scalar(rows: list[tuple[str, str, bool]]) -> None:
    """Valid and random-check USCCs: vectorized == scalar `yaosu.identifiers`; == stdnum where it applies.

    stdnum requires positions 1-8 to be digits (it does not know the letter authorities A-G, Y),
    so the stdnum comparison is restricted to digit authorities.
    """
    codes = [b + (uscc_check_char(b) if good else c) for b, c, good in rows]
    got = column(uscc_valid, codes)
    assert got == [is_valid_uscc(c) for c in codes]
    digit_led = [(g, c) for g, c in zip(got, codes, strict=True) if c[0].isdigit()]
    assert [g for g, _ in digit_led] == [stdnum_uscc.is_valid(c) for _, c in digit_led]


def luhn_complete(body: str) -> str:
    return body + stdnum_luhn.calc_check_digit(body)


@given(st.lists(st.tuples(st.text(DIGITS, min_size=11, max_size=18), st.sampled_from(DIGITS), st.booleans()),
                min_size=1, max_size=30))
def test_luhn_agrees_with_stdnum(rows: list[tuple[str, str, bool]]) -> None:
    """Lengths 12..19 (our domain; stdnum accepts any length): vectorized == stdnum.luhn."""
    codes = [luhn_complete(b) if good else b + c for b, c, good in rows]
    assert column(luhn_valid, codes) == [stdnum_luhn.is_valid(c) for c in codes]


@given(st.lists(st.tuples(st.text(DIGITS, min_size=14, max_size=14), st.sampled_from(DIGITS), st.booleans()),
                min_size=1, max_size=30))
def test_imei_agrees_with_stdnum(rows: list[tuple[str, str, bool]]) -> None:
    """15-digit IMEIs only (stdnum also accepts 14 and 16 digits without a check): == stdnum.imei."""
    codes = [luhn_complete(b) if good else b + c for b, c, good in rows]
    assert column(imei_valid, codes) == [stdnum_imei.is_valid(c) for c in codes]


VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_VALUE = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
             **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
             **dict(zip("STUVWXYZ", range(2, 10), strict=True))}


def reference_vin_check(vin: str) -> str:
    """Plain ISO 3779 reference (python-stdnum 2.x ships no VIN module, so this is the oracle)."""
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    return "0123456789X"[sum(VIN_VALUE[c] * w for c, w in zip(vin, weights, strict=True)) % 11]


vin_text = st.text(VIN_CHARS, min_size=17, max_size=17)


@given(st.lists(st.tuples(vin_text, st.booleans()), min_size=1, max_size=30))
def test_vin_agrees_with_reference(rows: list[tuple[str, bool]]) -> None:
    """Random VINs, with the check digit fixed or left random: vectorized == the scalar reference."""
    vins = [v[:8] + reference_vin_check(v) + v[9:] if good else v for v, good in rows]
    assert column(vin_valid, vins) == [reference_vin_check(v) == v[8] for v in vins]


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("11010519491231002X", True, id="valid-X"),
    pytest.param("11010519491231002x", True, id="lowercase-x"),
    pytest.param("110105194912310021", False, id="wrong-check"),
    pytest.param("11010519491231002", False, id="17-digits"),
    pytest.param("110105 19491231002X", False, id="space-inside"),
    pytest.param(" 11010519491231002X", False, id="leading-space"),
    pytest.param("１１０１０５１９４９１２３１００２Ｘ", False, id="full-width-digits"),
    pytest.param("", False, id="empty"),
    pytest.param(None, False, id="null"),
    pytest.param(with_check("99010519491231002"), False, id="unknown-province-99"),
    pytest.param(with_check("11010519990230000"), False, id="birth-19990230"),
    pytest.param(with_check("11010518991231000"), False, id="born-before-1900"),
    pytest.param(with_check("81000020000101000"), True, id="hk-residence-permit"),
    pytest.param("110105491231002", True, id="legacy-15"),
    pytest.param("110105490230002", False, id="legacy-15-bad-date"),
])
def test_id_card_table(value: str | None, expected: bool) -> None:
    """Edge cases: nulls, blanks, separators and full-width characters are not IDs; dates must be real."""
    assert cn_id_card_ok(value, TODAY) is expected


def test_id_card_born_tomorrow_is_rejected() -> None:
    """A birth date after today is implausible."""
    tomorrow = (TODAY + timedelta(days=1)).strftime("%Y%m%d")
    body = "110105" + tomorrow + "001"
    assert not cn_id_card_ok(body + id_check(body), TODAY)
    body = "110105" + TODAY.strftime("%Y%m%d") + "001"
    assert cn_id_card_ok(body + id_check(body), TODAY)


@pytest.mark.parametrize(("kernel", "value", "expected"), [
    pytest.param(uscc_ok, "91110000600037341L", True, id="uscc-valid"),
    pytest.param(uscc_ok, "91110000600037341l", False, id="uscc-lowercase"),
    pytest.param(uscc_ok, None, False, id="uscc-null"),
    pytest.param(vin_ok, "1M8GDM9AXKP042788", True, id="vin-valid-X"),
    pytest.param(vin_ok, "1M8GDM9AXKP04278", False, id="vin-16-chars"),
    pytest.param(vin_ok, "1M8GDM9AXKP0427O8", False, id="vin-letter-O"),
    pytest.param(vin_ok, "1m8gdm9axkp042788", False, id="vin-lowercase"),
])
def test_scalar_table(kernel: Callable[[str | None], bool], value: str | None, expected: bool) -> None:
    assert kernel(value) is expected


@pytest.mark.parametrize("kernel", [cn_id_card_valid, uscc_valid, luhn_valid, imei_valid, vin_valid])
def test_kernels_keep_length_and_accept_chunked_and_empty(kernel: Callable[[pa.Array], pa.BooleanArray]) -> None:
    """Output is a boolean array as long as the input, chunked or not, nulls → False."""
    chunked = pa.chunked_array([["4111111111111111", None], ["", "x"]])
    out = kernel(chunked)
    assert out.type == pa.bool_() and len(out) == 4 and out.null_count == 0
    assert len(kernel(pa.array([], pa.string()))) == 0
    assert kernel(pa.array([None, None], pa.string())).to_pylist() == [False, False]


def test_sliced_input_uses_the_right_bytes() -> None:
    """A sliced array (non-zero offset) is read from its own window of the data buffer."""
    arr = pa.array(["4111111111111112", "4111111111111111", "4111111111111112"])
    assert luhn_valid(arr.slice(1, 1)).to_pylist() == [True]
    assert luhn_valid(arr.slice(2, 1)).to_pylist() == [False]
