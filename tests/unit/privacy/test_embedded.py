"""Entities embedded in prose: validated counts and exact character spans."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from yaosu.privacy.checksums import cn_id_card_ok
from yaosu.privacy.embedded import EMBEDDED, Span, count_embedded, embedded_spans


def id_card(rng: random.Random) -> str:
    born = f"19{rng.randint(50, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
    body = rng.choice(["110105", "440305", "620102"]) + born + f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


ID = "11010519491231002X"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(f"身份证号:{ID}，电话13812345678。", {"CN_ID_CARD": 1, "CN_MOBILE": 1}, id="id-and-mobile"),
    pytest.param(f"ID:{ID} and ID={ID}.", {"CN_ID_CARD": 2}, id="two-ids-with-labels"),
    pytest.param("订单号202401150000012345已发货", {}, id="order-number-fails-check"),
    pytest.param("卡号4111111111111112有误", {}, id="card-fails-luhn"),
    pytest.param("卡号4111111111111111，邮箱a.b@example.com", {"CN_BANK_CARD": 1, "EMAIL": 1}, id="card-and-email"),
    pytest.param("车牌京A12345，车架号1M8GDM9AXKP042788", {"CN_LICENSE_PLATE": 1, "VEHICLE_VIN": 1}, id="plate-vin"),
    pytest.param("从192.168.1.1登录，网卡00:1A:2B:3C:4D:5E", {"IP_ADDRESS": 1, "MAC_ADDRESS": 1}, id="ip-and-mac"),
    pytest.param("信用代码91110000600037341L，座机010-12345678", {"CN_USCC": 1, "CN_LANDLINE": 1}, id="uscc-landline"),
    pytest.param("电话813812345678901", {}, id="mobile-inside-longer-number"),
    pytest.param("没有任何敏感信息的一段话。", {}, id="clean-prose"),
])
def test_count_embedded_table(text: str, expected: dict[str, int]) -> None:
    assert count_embedded(pa.array([text])) == expected


def test_nulls_blanks_and_chunks() -> None:
    values = pa.chunked_array([[None, "", f"a {ID}"], [f"{ID}"]])
    assert count_embedded(values) == {"CN_ID_CARD": 2}
    assert count_embedded(pa.array([], pa.string())) == {}


def test_spans_are_exact_and_bounded() -> None:
    text = f"客户张三，身份证号:{ID}，电话13812345678。"
    values = pa.array(["无", None, text, text])
    spans = embedded_spans(values, limit=3)
    assert spans[0] == Span(row=2, start=text.index(ID), end=text.index(ID) + 18, code="CN_ID_CARD")
    assert [text[s.start:s.end] for s in spans] == [ID, "13812345678", ID]
    assert [s.row for s in spans] == [2, 2, 3]
    assert embedded_spans(pa.array(["无"])) == []


def test_entity_order_puts_checksums_first() -> None:
    assert EMBEDDED.index("CN_ID_CARD") < EMBEDDED.index("CN_BANK_CARD") < EMBEDDED.index("CN_MOBILE")


filler = st.text(alphabet="的一是在不了有和人这中大为上个国我以要他时来用们，。、；！ ", max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(filler, st.booleans(), filler), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_planted_ids_and_mobiles_are_counted_and_located(rows: list[tuple[str, bool, str]], rng: random.Random) -> None:
    """Valid IDs (or mobiles) planted between Chinese filler: every one counted once, every span exact."""
    values, planted = [], []
    for head, is_id, tail in rows:
        entity = id_card(rng) if is_id else f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}"
        values.append(head + entity + tail)
        planted.append(entity)
    counts = count_embedded(pa.array(values))
    ids = sum(1 for _, is_id, _ in rows if is_id)
    assert counts.get("CN_ID_CARD", 0) == ids and counts.get("CN_MOBILE", 0) == len(rows) - ids
    spans = embedded_spans(pa.array(values), limit=len(values))
    assert [values[s.row][s.start:s.end] for s in spans] == planted


def _corrupt(value: str, at: int) -> str:
    digit = value[at % 17]
    return value[:at % 17] + str((int(digit) + 1) % 10) + value[at % 17 + 1:]


eighteen = st.one_of(
    st.text("0123456789", min_size=18, max_size=18),
    st.randoms(use_true_random=False).map(id_card),
    st.tuples(st.randoms(use_true_random=False).map(id_card), st.integers(0, 16)).map(lambda p: _corrupt(*p)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(filler, eighteen, filler), min_size=1, max_size=15))
def test_embedded_id_count_agrees_with_the_scalar_checksum(rows: list[tuple[str, str, str]]) -> None:
    """18-digit numbers in prose (random, valid, one digit corrupted) count as CN_ID_CARD exactly when the
    (stdnum-tested) scalar check passes."""
    values = [head + number + tail for head, number, tail in rows]
    expected = sum(1 for _, number, _ in rows if cn_id_card_ok(number))
    assert count_embedded(pa.array(values)).get("CN_ID_CARD", 0) == expected
