"""The fast event-document serializer produces exactly the RFC 8785 bytes the verifier recomputes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.canonical import canonical_json
from yaosu.ledger.service import document_json, payload_json

text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(seq=st.integers(1, 2**53 - 1), kind=text, party=st.none() | text, subject=text, time=text)
def test_fast_document_json_is_rfc8785(seq: int, kind: str, party: str | None, subject: str, time: str) -> None:
    document = {"seq": seq, "id": "01ABC", "type": kind, "actor": {"party": party, "user": None},
                "subject": {"type": "t", "id": subject}, "payload_sha256": "ab" * 32, "time": time}
    assert document_json(document) == canonical_json(document)


scalars = (st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
           | st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(text, inner, max_size=4), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(payload=st.dictionaries(text, json_values, max_size=6))
def test_fast_payload_json_is_rfc8785(payload: dict[str, object]) -> None:
    assert payload_json(payload) == canonical_json(payload)
