"""Cross-check with pyCANON (IFCA-CSIC) when it is installed: our measures equal its, our output meets k and l.

pyCANON pins exact versions of numpy, typer and typing_extensions, so it cannot be a declared dependency
(see docs/libraries.md); install it with `pip install --no-deps pycanon pandas`. The always-on independent
check is tests/unit/privacy/anonymize/oracle.py.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.privacy.anonymize import AnonymizeConfig, anonymize_table, measure

pycanon = pytest.importorskip("pycanon.anonymity")
pd = pytest.importorskip("pandas")

row = st.fixed_dictionaries({
    "age": st.integers(15, 40),
    "sex": st.sampled_from(["M", "F"]),
    "zone": st.sampled_from(["a", "b", "c"]),
    "income": st.integers(0, 6),
    "diag": st.sampled_from(["flu", "cold", "asthma", "ok"]),
})
QI = ["age", "sex", "zone"]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=80))
def test_measures_equal_pycanon(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows)
    table = pa.Table.from_pylist(rows)
    ours = measure(table, QI, "diag")
    numeric = measure(table, QI, "income")
    assert ours.k == pycanon.k_anonymity(frame, QI)
    assert ours.l_distinct == pycanon.l_diversity(frame, QI, ["diag"])
    assert ours.t_closeness == pytest.approx(pycanon.t_closeness(frame, QI, ["diag"]))
    if frame["income"].nunique() > 1:  # pyCANON divides by (m - 1); one value means t = 0 for us
        assert numeric.t_closeness == pytest.approx(pycanon.t_closeness(frame, QI, ["income"]))
    else:
        assert numeric.t_closeness == 0.0
    # pyCANON truncates exp(entropy) to an int, and can land one below on a float rounding of an integer.
    assert ours.l_entropy is not None
    assert int(ours.l_entropy + 1e-9) - 1 <= pycanon.entropy_l_diversity(frame, QI, ["diag"]) <= ours.l_entropy


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(row, min_size=8, max_size=120), k=st.integers(2, 8), ell=st.integers(1, 3))
def test_output_meets_k_and_l_per_pycanon(rows: list[dict[str, Any]], k: int, ell: int) -> None:
    if len(rows) < k or len({r["diag"] for r in rows}) < ell:
        return
    out, _ = anonymize_table(pa.Table.from_pylist(rows),
                             AnonymizeConfig(qi=tuple(QI), k=k, sensitive="diag", l_diversity=ell))
    frame = out.to_pandas()
    assert pycanon.k_anonymity(frame, QI) >= k
    assert pycanon.l_diversity(frame, QI, ["diag"]) >= ell
