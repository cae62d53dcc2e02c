"""The fingerprint codec: tolerance never exceeded, statistics kept, the right buyer named, innocents never."""

from __future__ import annotations

import io
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.errors import Invalid
from yaosu.watermark import attacks
from yaosu.watermark.codec import FLOAT_SLACK, Votes, embed_table, votes_table
from yaosu.watermark.prf import codeword, codewords, key_text, product_keys, row_prf
from yaosu.watermark.spec import FingerprintSpec, build_spec
from yaosu.watermark.trace import log_upper_tails, trace

SECRET = bytes(range(32))
BUYERS = [f"B{i:03d}" for i in range(100)]
TOLERANCES = {"income": 5.0, "score": 0.05, "visits": 2.0}


def table(rows: int = 20_000, seed: int = 3) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table({"id": [f"K{i:07d}" for i in range(rows)], "city": rng.choice(["京", "沪", "粤"], rows).tolist(),
                     "income": np.round(rng.normal(8000, 3000, rows), 2),
                     "score": np.round(rng.uniform(300, 850, rows), 3), "visits": rng.integers(0, 400, rows)})


@pytest.fixture(scope="module")
def setup() -> tuple[pa.Table, FingerprintSpec, object, np.ndarray]:
    base = table()
    spec = build_spec(base, TOLERANCES, key=["id"])
    keys = product_keys(SECRET, "P1")
    return base, spec, keys, codewords(keys, BUYERS, spec.bits)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=200),
       tolerance=st.floats(0.01, 1000.0), decimals=st.integers(0, 4), seed=st.integers(0, 2**16))
def test_no_value_moves_beyond_its_declared_tolerance(values: list[float], tolerance: float, decimals: int,
                                                      seed: int) -> None:
    rounded = np.round(np.array(values), decimals)
    base = pa.table({"id": [f"r{i}" for i in range(len(values))], "x": rounded})
    if tolerance < 10.0 ** -decimals:
        return
    spec = build_spec(base, {"x": tolerance}, key=["id"], decimals={"x": decimals}, gamma=1)
    keys = product_keys(SECRET, f"P{seed}")
    marked = embed_table(base, spec, keys, codeword(keys, "buyer", spec.bits))
    moved = np.abs(marked.column("x").to_numpy() - rounded)
    assert (moved <= tolerance + FLOAT_SLACK * np.maximum(1.0, np.abs(rounded))).all()  # float writing only


def test_values_a_whole_tolerance_from_the_lattice_are_marked_too() -> None:
    base = pa.table({"id": [f"r{i}" for i in range(4000)], "x": np.round(np.arange(4000) * 0.001, 3)})
    spec = build_spec(base, {"x": 0.05}, key=["id"], decimals={"x": 3}, gamma=1)
    keys = product_keys(SECRET, "P1")
    votes = votes_table(embed_table(base, spec, keys, codeword(keys, "buyer", spec.bits)), spec, keys)
    assert votes.cells == 4000 and np.minimum(votes.ones, votes.zeros).sum() == 0  # not one cell reads wrong


def test_integers_stay_integers_and_within_tolerance(setup) -> None:
    base, spec, keys, words = setup
    marked = embed_table(base, spec, keys, words[0])
    assert marked.schema == base.schema
    moved = np.abs(marked.column("visits").to_numpy() - base.column("visits").to_numpy())
    assert moved.max() <= 2 and (moved > 0).any()


def test_means_and_deviations_move_less_than_a_thousandth(setup) -> None:
    base, spec, keys, words = setup
    marked = embed_table(base, spec, keys, words[5])
    for column in spec.columns:
        mean_shift, std_shift = attacks.stats_shift(base, marked, column.name)
        assert mean_shift < 1e-3 and std_shift < 1e-3, column.name


def test_unmarked_columns_and_keys_are_untouched(setup) -> None:
    base, spec, keys, words = setup
    marked = embed_table(base, spec, keys, words[1])
    assert marked.column("id").equals(base.column("id")) and marked.column("city").equals(base.column("city"))


def test_different_buyers_get_different_copies(setup) -> None:
    base, spec, keys, words = setup
    one, two = (embed_table(base, spec, keys, words[i]).column("income").to_numpy() for i in (1, 2))
    assert (one != two).sum() > 100


@pytest.mark.parametrize("name", ["keep_rows", "drop_columns", "low_bits", "shuffle_reformat", "round_values"])
def test_the_leaker_is_named_and_no_innocent_after_each_attack(setup, name: str) -> None:
    base, spec, keys, words = setup
    rng = np.random.default_rng(11)
    for leaker in (4, 77):
        suspect = getattr(attacks, name)(embed_table(base, spec, keys, words[leaker]), spec.columns, rng)
        result = trace(votes_table(suspect, spec, keys), words, BUYERS)
        assert result.accused == [BUYERS[leaker]]
        assert result.candidates[0].recipient == BUYERS[leaker]


@pytest.mark.parametrize("how", ["mix", "average"])
def test_two_colluders_at_least_one_named_and_nobody_else(setup, how: str) -> None:
    base, spec, keys, words = setup
    rng = np.random.default_rng(5)
    copies = [embed_table(base, spec, keys, words[i]) for i in (10, 20)]
    suspect = attacks.mix(copies, rng) if how == "mix" else attacks.average(copies, spec.columns)
    accused = set(trace(votes_table(suspect, spec, keys), words, BUYERS).accused)
    assert accused and accused <= {BUYERS[10], BUYERS[20]}


def test_an_unmarked_copy_accuses_nobody(setup) -> None:
    base, spec, keys, words = setup
    result = trace(votes_table(base, spec, keys), words, BUYERS)
    assert result.accused == [] and min(c.p_value for c in result.candidates) > 1e-10


def test_another_products_key_finds_nothing(setup) -> None:
    base, spec, keys, words = setup
    leak = embed_table(base, spec, keys, words[3])
    other = product_keys(SECRET, "P2")
    assert trace(votes_table(leak, spec, other), codewords(other, BUYERS, spec.bits), BUYERS).accused == []


def test_parquet_round_trip_keeps_the_marks(setup) -> None:
    base, spec, keys, words = setup
    sink = io.BytesIO()
    pq.write_table(embed_table(base, spec, keys, words[9]), sink)
    assert trace(votes_table(pq.read_table(io.BytesIO(sink.getvalue())), spec, keys), words, BUYERS).accused \
        == [BUYERS[9]]


def test_virtual_key_from_stable_columns() -> None:
    base = table(5000).drop_columns(["id"]).append_column("code", pa.array([f"c{i}" for i in range(5000)]))
    spec = build_spec(base, TOLERANCES)
    assert spec.virtual_key and set(spec.key) == {"city", "code"}
    keys = product_keys(SECRET, "P1")
    words = codewords(keys, BUYERS, spec.bits)
    suspect = attacks.shuffle_reformat(embed_table(base, spec, keys, words[8]), spec.columns,
                                       np.random.default_rng(1))
    assert trace(votes_table(suspect, spec, keys), words, BUYERS).accused == [BUYERS[8]]


@pytest.mark.parametrize(("tolerances", "code"), [
    ({"city": 1.0}, "watermark_not_numeric"),
    ({"nope": 1.0}, "watermark_no_column"),
    ({"income": 0.001}, "watermark_tolerance_too_small"),
    ({}, "watermark_no_columns"),
], ids=["text-column", "missing-column", "below-precision", "nothing-declared"])
def test_bad_declarations_are_refused(tolerances: dict[str, float], code: str) -> None:
    with pytest.raises(Invalid) as err:
        build_spec(table(100), tolerances, key=["id"])
    assert err.value.code == code


def test_key_values_read_back_from_text_give_the_same_prf() -> None:
    keys = product_keys(SECRET, "P1")
    as_int = row_prf(keys.select_key, key_text([pa.array([1, 22, 333])]))
    as_float = row_prf(keys.select_key, key_text([pa.array([1.0, 22.0, 333.0])]))
    as_text = row_prf(keys.select_key, key_text([pa.array([" 1", "22 ", "333"])]))
    assert (as_int == as_float).all() and (as_int == as_text).all()
    assert len({tuple(r) for r in as_int}) == 3


def test_keys_of_mixed_lengths_match_one_by_one() -> None:
    keys = product_keys(SECRET, "P1")
    values = ["a", "b" * 14, "c" * 15, "d" * 40, "", "é" * 9]
    together = row_prf(keys.select_key, key_text([pa.array(values)]))
    alone = np.vstack([row_prf(keys.select_key, key_text([pa.array([v])])) for v in values])
    assert (together == alone).all()


@pytest.mark.parametrize("n", [1, 10, 64, 512])
def test_binomial_tail_is_exact(n: int) -> None:
    tails = np.exp(log_upper_tails(n))
    for k in (0, n // 2, (3 * n) // 4, n):
        exact = sum(math.comb(n, i) for i in range(k, n + 1)) / 2**n
        assert tails[k] == pytest.approx(exact, rel=1e-9)
    assert tails[n + 1] == 0.0


def test_ties_are_not_counted() -> None:
    votes = Votes(np.array([3, 1, 2, 0]), np.array([1, 1, 0, 0]))
    words = np.array([[1, 0, 1, 0], [0, 0, 0, 0]], dtype=np.uint8)
    result = trace(votes, words, ["a", "b"])
    assert [(c.recipient, c.matches, c.checked) for c in result.candidates] == [("a", 2, 2), ("b", 0, 2)]


ATTACKS = {"keep": lambda t, c, r: attacks.keep_rows(t, c, r, 0.3), "drop": attacks.drop_columns,
           "low_bits": attacks.low_bits, "reformat": attacks.shuffle_reformat, "round": attacks.round_values}


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**20), leaker=st.integers(0, len(BUYERS) - 1), attack=st.sampled_from(sorted(ATTACKS)),
       product=st.text(min_size=1, max_size=12))
def test_a_fingerprint_never_accuses_an_innocent_buyer(seed: int, leaker: int, attack: str, product: str) -> None:
    base = table(3000, seed=seed)
    spec = build_spec(base, TOLERANCES, key=["id"])
    keys = product_keys(SECRET, product)
    words = codewords(keys, BUYERS, spec.bits)
    suspect = ATTACKS[attack](embed_table(base, spec, keys, words[leaker]), spec.columns,
                              np.random.default_rng(seed))
    assert set(trace(votes_table(suspect, spec, keys), words, BUYERS).accused) <= {BUYERS[leaker]}


def test_decimal_columns_keep_their_type_and_scale() -> None:
    from decimal import Decimal

    base = pa.table({"id": [f"d{i}" for i in range(3000)],
                     "amount": pa.array([Decimal(f"{i * 7 % 90000}.{i % 100:02d}") for i in range(3000)],
                                        pa.decimal128(12, 2))})
    spec = build_spec(base, {"amount": 0.5}, key=["id"])
    assert spec.columns[0].decimals == 2
    keys = product_keys(SECRET, "P-dec")
    words = codewords(keys, BUYERS, spec.bits)
    marked = embed_table(base, spec, keys, words[6])
    assert marked.schema == base.schema
    moved = [abs(a - b) for a, b in zip(marked.column("amount").to_pylist(), base.column("amount").to_pylist(),
                                        strict=True)]
    assert max(moved) <= Decimal("0.5") and any(moved)
    assert trace(votes_table(marked, spec, keys), words, BUYERS).accused == [BUYERS[6]]
