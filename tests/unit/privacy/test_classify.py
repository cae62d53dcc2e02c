"""Column classification: values decide, headers only hint; sample ranking, full-column confirmation."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from yaosu.privacy.checksums import cn_id_card_ok
from yaosu.privacy.classify import classify_column, deterministic_sample, non_blank


def id_cards(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        born = f"{rng.randint(1950, 2005)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
        body = rng.choice(["110105", "440305", "620102"]) + born + f"{rng.randint(0, 999):03d}"
        out.append(body + ric.calc_check_digit(body + "0"))
    return out


def order_numbers(n: int, rng: random.Random) -> list[str]:
    """18-digit order numbers that all fail the ID card checks (a hard negative)."""
    out: list[str] = []
    while len(out) < n:
        value = "".join(rng.choice("0123456789") for _ in range(18))
        if not cn_id_card_ok(value):
            out.append(value)
    return out


def mobiles(n: int, rng: random.Random) -> list[str]:
    return [f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}" for _ in range(n)]


def test_id_header_over_order_numbers_is_not_an_id_column() -> None:
    """A column named 身份证号 holding 18-digit order numbers failing the checksum is not CN_ID_CARD."""
    finding = classify_column(pa.array(order_numbers(500, random.Random(1))), header="身份证号")
    assert finding is None or finding.entity != "CN_ID_CARD"
    assert finding is None


def test_remark_header_over_phone_numbers_is_a_mobile_column() -> None:
    """A column named `remark` holding mobile numbers is CN_MOBILE."""
    finding = classify_column(pa.array(mobiles(500, random.Random(2))), header="remark")
    assert finding is not None and finding.entity == "CN_MOBILE"
    assert finding.match_ratio == 1.0
    assert finding.explanation.pattern.startswith("^(?:\\+?86)?1[3-9]")


def test_id_column_is_found_with_checksum_explanation() -> None:
    values = id_cards(300, random.Random(3))
    finding = classify_column(pa.array(values), header="col_7")
    assert finding is not None and finding.entity == "CN_ID_CARD"
    assert finding.confidence == 1.0 and "MOD 11-2" in finding.explanation.validation
    assert finding.explanation.detector == "CnIdCard"


def test_blanks_and_nulls_do_not_count_against_the_ratio() -> None:
    values: list[str | None] = [*mobiles(70, random.Random(4)), *([None] * 200), *(["  "] * 100), *(["n/a"] * 30)]
    finding = classify_column(pa.array(values))
    assert finding is not None and finding.entity == "CN_MOBILE"
    assert finding.match_ratio == pytest.approx(0.7)


def test_below_threshold_is_none() -> None:
    values = [*mobiles(50, random.Random(5)), *(["hello"] * 50)]
    assert classify_column(pa.array(values)) is None
    assert classify_column(pa.array(values), threshold=0.5) is not None


@pytest.mark.parametrize("values", [
    pytest.param([], id="empty"),
    pytest.param([None, None], id="all-null"),
    pytest.param(["", " "], id="all-blank"),
    pytest.param(["apple", "pear"], id="plain-words"),
])
def test_nothing_to_find(values: list[str | None]) -> None:
    assert classify_column(pa.array(values, pa.string())) is None


def test_sample_misleads_but_full_column_decides() -> None:
    """A sample that looks like mobiles is confirmed over the whole column, where most values are not."""
    rng = random.Random(6)
    values = ["x"] * 10_000
    for i in deterministic_sample(pa.array(range(10_000)), 1000).to_pylist():  # exactly the sampled rows
        values[i] = mobiles(1, rng)[0]
    sample = deterministic_sample(pa.array(values), 1000).to_pylist()
    assert all(v != "x" for v in sample)
    assert classify_column(pa.array(values), sample=1000) is None


def test_header_breaks_a_tie_and_raises_confidence_only_a_little() -> None:
    mobile_values = pa.array(mobiles(100, random.Random(7)))
    plain = classify_column(mobile_values, header="remark")
    hinted = classify_column(mobile_values, header="手机号")
    assert plain is not None and hinted is not None
    assert hinted.entity == plain.entity == "CN_MOBILE"
    assert 0 < hinted.confidence - plain.confidence <= 0.05 + 1e-9


def test_imei_column_beats_legacy_id_lookalikes() -> None:
    """15-digit Luhn device ids: IMEI wins on match ratio even where some pass as legacy IDs."""
    from stdnum import luhn
    rng = random.Random(8)
    bodies = [f"35{rng.randint(0, 10**12 - 1):012d}" for _ in range(300)]
    finding = classify_column(pa.array([b + luhn.calc_check_digit(b) for b in bodies]))
    assert finding is not None and finding.entity == "IMEI"


def test_gansu_ids_are_id_cards_not_unionpay_cards() -> None:
    """Gansu IDs start with 62 like UnionPay cards; the checksum-backed ID detector wins the tie."""
    values = [v for v in id_cards(600, random.Random(9)) if v.startswith("62")]
    finding = classify_column(pa.array(values))
    assert finding is not None and finding.entity == "CN_ID_CARD"


def test_non_blank_trims_and_drops() -> None:
    assert non_blank(pa.array([" a ", None, "", "  ", "b"])).to_pylist() == ["a", "b"]


def test_chunked_column_is_classified() -> None:
    values = mobiles(40, random.Random(10))
    finding = classify_column(pa.chunked_array([values[:20], values[20:]]))
    assert finding is not None and finding.entity == "CN_MOBILE"


def test_numeric_and_large_string_columns_are_read_as_text() -> None:
    """Phone numbers stored as int64, or as large_string, are still CN_MOBILE."""
    phones = mobiles(50, random.Random(11))
    as_ints = classify_column(pa.array([int(p) for p in phones], pa.int64()))
    as_large = classify_column(pa.array(phones, pa.large_string()))
    assert as_ints is not None and as_ints.entity == "CN_MOBILE"
    assert as_large is not None and as_large.entity == "CN_MOBILE"


def test_importing_privacy_pulls_in_neither_web_nor_database() -> None:
    """`import yaosu.privacy` (kernels, detectors, classify) loads no FastAPI, SQLAlchemy or Typer."""
    import subprocess
    import sys
    code = ("import sys, yaosu.privacy.classify, yaosu.privacy.detect, yaosu.privacy.checksums;"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'sqlalchemy', 'typer', 'starlette'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 10), st.randoms(use_true_random=False))
def test_found_exactly_when_the_share_of_valid_values_reaches_the_threshold(
        valid: int, junk: int, blanks: int, rng: random.Random) -> None:
    """IDs mixed with junk and blanks: CN_ID_CARD iff valid / non-blank >= 0.6, with that exact ratio."""
    values: list[str | None] = [*id_cards(valid, rng), *(["订单备注"] * junk), *([None, " "] * blanks)]
    rng.shuffle(values)
    finding = classify_column(pa.array(values, pa.string()))
    share = valid / (valid + junk) if valid + junk else 0.0
    if share >= 0.6:
        assert finding is not None and finding.entity == "CN_ID_CARD"
        assert finding.match_ratio == pytest.approx(share, abs=1e-4)
    else:
        assert finding is None
    assert classify_column(pa.array(values, pa.string())) == finding  # deterministic
