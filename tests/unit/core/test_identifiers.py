"""The GB 32100 unified social credit code check, against python-stdnum as the oracle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from yaosu.identifiers import USCC_ALPHABET, is_valid_uscc, uscc_check_char, uscc_problem

VALID = ["91110000600037341L", "91310000MA1FL4WX3R", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_known_valid_codes(code: str) -> None:
    assert stdnum_uscc.is_valid(code)
    assert is_valid_uscc(code)


@pytest.mark.parametrize(("code", "reason"), [
    pytest.param("91110000600037341", "18 characters", id="short"),
    pytest.param("91110000600037341M", "check character", id="wrong-check"),
    pytest.param("9111000060003734IL", "alphabet", id="letter-I"),
    pytest.param("01110000600037341L", "positions 1-2", id="bad-authority"),
    pytest.param("91A10000600037341L", "positions 3-8", id="letter-in-region"),
])
def test_invalid_codes_say_why(code: str, reason: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and reason in problem


body17 = st.tuples(st.sampled_from("159"), st.sampled_from("123"),
                   st.text("0123456789", min_size=6, max_size=6),
                   st.text(USCC_ALPHABET, min_size=9, max_size=9)).map("".join)


@given(body17)
def test_check_char_matches_stdnum(body: str) -> None:
    assert uscc_check_char(body) == stdnum_uscc.calc_check_digit(body)
    assert is_valid_uscc(body + uscc_check_char(body))
    assert stdnum_uscc.is_valid(body + uscc_check_char(body))


@given(body17, st.sampled_from(USCC_ALPHABET))
def test_any_other_check_char_is_rejected_like_stdnum(body: str, wrong: str) -> None:
    code = body + wrong
    assert is_valid_uscc(code) == stdnum_uscc.is_valid(code)
