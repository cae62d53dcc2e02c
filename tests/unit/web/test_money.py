"""Money in the portal: fen shown as yuan exactly, yuan typed in a form read as fen or refused."""

from __future__ import annotations

import pytest

from yaosu.errors import Invalid
from yaosu.web.market import fen_of_yuan
from yaosu.web.rendering import yuan


@pytest.mark.parametrize(("fen", "shown"), [
    (0, "¥0.00"), (5, "¥0.05"), (123_456, "¥1,234.56"), (-123_456, "-¥1,234.56"),
    (10**13 + 1, "¥100,000,000,000.01"), (None, ""),
], ids=["zero", "fen", "thousands", "negative", "large-exact", "none"])
def test_yuan(fen: int | None, shown: str) -> None:
    assert yuan(fen) == shown


@pytest.mark.parametrize(("text", "fen"), [("12.34", 1234), ("1,000", 100_000), (" 0.01 ", 1), ("100000000", 10**10)])
def test_fen_of_yuan(text: str, fen: int) -> None:
    assert fen_of_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "0", "-1", "0.001", "NaN", "Infinity", "100000000.01", "1e400"])
def test_fen_of_yuan_refuses(text: str) -> None:
    with pytest.raises(Invalid):
        fen_of_yuan(text)
