"""The certificate kernel: any change to a signed field, the key, or the signature fails verification."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.canonical import canonical_json
from yaosu.keys import ExchangeKeys
from yaosu.registration.certificate import (
    ALGORITHM,
    FORMAT,
    Issuer,
    Registrant,
    ResourceFacts,
    RightFacts,
    add_years,
    build_document,
    certificate_valid_until,
    format_number,
    key_id_for,
    sign_document,
    verify_bytes,
    verify_document,
    verify_file,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
ISSUED = datetime(2026, 3, 1, 8, 30, 15, tzinfo=UTC)


def _right(kind: str, until: datetime | None = None) -> RightFacts:
    return RightFacts(id=f"right-{kind}", kind=kind, holder_party_id="party-1",
                      purposes=("*",), actions=("use", "process"), regions=("CN", "CN-44"),
                      valid_from=ISSUED - timedelta(days=3), valid_until=until, exclusive=True,
                      share_bp=10000, origin="original")


def sample_document() -> dict[str, Any]:
    return build_document(
        number="YS-DR-2026-000123", kind="initial", registration_id="registration-1",
        issuer=Issuer(name="要素数据交易所", key_id=key_id_for(KEY.public_key())),
        registrant=Registrant(party_id="party-1", name="深圳某数据公司",
                              uscc="91440300MA5FXXXX0X"),
        resource=ResourceFacts(id="resource-1", title="城市交通流量数据", domain="transport",
                               classification="enterprise", grade="general", level=2,
                               content_hash="ab" * 32, version=1, row_count=1000),
        rights=[_right("holding"), _right("processing", ISSUED + timedelta(days=400))],
        issued_at=ISSUED, years=3)


def sample_file(key: Ed25519PrivateKey = KEY) -> dict[str, Any]:
    doc = sample_document()
    return {"format": FORMAT, "document": doc, "signature": sign_document(doc, key),
            "key_id": key_id_for(key.public_key()), "algorithm": ALGORITHM}


def _leaf_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaf_paths(v, (*prefix, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaf_paths(v, (*prefix, i))]
    return [prefix]


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value[:-1] + ("y" if value.endswith("x") else "x") if value else "x"
    return "x"  # None


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _get(doc: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


DOCUMENT_PATHS = _leaf_paths(sample_document())


def test_sample_file_verifies() -> None:
    result = verify_file(sample_file(), KEY.public_key())
    assert result.ok, result.reason
    assert result.document is not None and result.document["number"] == "YS-DR-2026-000123"


def test_every_leaf_is_covered_by_the_tamper_table() -> None:
    # 10 top-level fields; nested issuer, registrant, resource and 2 rights of 11 fields each
    assert len(DOCUMENT_PATHS) >= 40
    assert ("rights", 1, "valid_until") in DOCUMENT_PATHS and ("resource", "content_hash") in DOCUMENT_PATHS


@pytest.mark.parametrize("path", DOCUMENT_PATHS, ids=lambda p: "document." + ".".join(str(k) for k in p))
def test_changing_any_document_field_fails(path: tuple[Any, ...]) -> None:
    data = sample_file()
    _set(data["document"], path, _changed(_get(data["document"], path)))
    result = verify_file(data, KEY.public_key())
    assert not result.ok
    assert result.reason


def _drop_key(data: dict[str, Any]) -> None:
    del data["document"]["rights"][0]["share_bp"]


def _add_key(data: dict[str, Any]) -> None:
    data["document"]["resource"]["extra"] = "added"


def _swap_rights(data: dict[str, Any]) -> None:
    data["document"]["rights"].reverse()


def _drop_right(data: dict[str, Any]) -> None:
    data["document"]["rights"].pop()


def _type_change(data: dict[str, Any]) -> None:
    data["document"]["resource"]["row_count"] = "1000"


STRUCTURAL = {"drop-nested-key": _drop_key, "add-nested-key": _add_key, "swap-rights-order": _swap_rights,
              "drop-a-right": _drop_right, "number-as-string": _type_change}


@pytest.mark.parametrize("mutate", STRUCTURAL.values(), ids=STRUCTURAL.keys())
def test_structural_changes_fail(mutate: Any) -> None:
    data = sample_file()
    mutate(data)
    assert not verify_file(data, KEY.public_key()).ok


def test_wrong_key_fails_and_names_both_keys() -> None:
    result = verify_file(sample_file(), OTHER_KEY.public_key())
    assert not result.ok
    assert key_id_for(OTHER_KEY.public_key()) in result.reason


def test_signature_by_another_key_fails_even_if_key_id_is_claimed() -> None:
    data = sample_file()
    data["signature"] = sign_document(data["document"], OTHER_KEY)
    result = verify_file(data, KEY.public_key())
    assert not result.ok and "signature does not match" in result.reason


def _flip_signature(data: dict[str, Any]) -> None:
    raw = bytearray(base64.b64decode(data["signature"]))
    raw[10] ^= 0x01
    data["signature"] = base64.b64encode(bytes(raw)).decode()


OUTER = {
    "signature-bit-flipped": (_flip_signature, "signature"),
    "signature-not-base64": (lambda d: d.__setitem__("signature", "@@not base64@@"), "signature"),
    "signature-truncated": (lambda d: d.__setitem__("signature", d["signature"][:40]), "signature"),
    "key-id-changed": (lambda d: d.__setitem__("key_id", "AAAAAAAAAAA"), "key_id"),
    "algorithm-changed": (lambda d: d.__setitem__("algorithm", "RSA"), "algorithm"),
    "format-changed": (lambda d: d.__setitem__("format", "yaosu-certificate/2"), "format"),
    "extra-outer-field": (lambda d: d.__setitem__("note", "hi"), "unexpected"),
}


@pytest.mark.parametrize(("mutate", "word"), OUTER.values(), ids=OUTER.keys())
def test_changing_the_envelope_fails(mutate: Any, word: str) -> None:
    data = sample_file()
    mutate(data)
    result = verify_file(data, KEY.public_key())
    assert not result.ok
    assert word in result.reason


MALFORMED: dict[str, Any] = {
    "a-list": [1, 2],
    "a-string": "certificate",
    "null": None,
    "empty-object": {},
    "no-signature": {k: v for k, v in sample_file().items() if k != "signature"},
    "document-is-a-string": {**sample_file(), "document": "{}"},
    "document-lacks-fields": {**sample_file(), "document": {"format": FORMAT}},
    "signature-is-a-number": {**sample_file(), "signature": 12},
    "issuer-not-an-object": {**sample_file(), "document": {**sample_document(), "issuer": "x"}},
    "bad-number": {**sample_file(), "document": {**sample_document(), "number": "123"}},
    "not-json-number": {**sample_file(), "document": {**sample_document(), "rights": [float("nan")]}},
    "huge-integer": {**sample_file(), "document": {**sample_document(), "rights": [2**80]}},
}


@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_files_give_a_reason_not_a_traceback(data: Any) -> None:
    result = verify_file(copy.deepcopy(data), KEY.public_key())
    assert not result.ok
    assert isinstance(result.reason, str) and len(result.reason) > 5


def test_expired_certificate_fails_only_when_a_date_is_given() -> None:
    data = sample_file()
    assert verify_file(data, KEY.public_key(), at=ISSUED + timedelta(days=399)).ok
    late = verify_file(data, KEY.public_key(), at=ISSUED + timedelta(days=401))
    assert not late.ok and "expired" in late.reason


def test_file_survives_a_json_round_trip() -> None:
    text = json.dumps(sample_file(), ensure_ascii=False, indent=2)
    assert verify_file(json.loads(text), KEY.public_key()).ok


def test_verify_document_refuses_non_json_values() -> None:
    doc = sample_document()
    sig = sign_document(doc, KEY)
    assert verify_document(doc, sig, KEY.public_key())
    assert not verify_document({**doc, "bad": float("inf")}, sig, KEY.public_key())


def test_key_id_matches_the_exchange_keys(tmp_path: Any) -> None:
    keys = ExchangeKeys(signing_key=KEY, session_secret="s")
    assert key_id_for(KEY.public_key()) == keys.key_id()


VALIDITY = {
    "no-right-end": ([None], datetime(2029, 3, 1, 8, 30, 15, tzinfo=UTC)),
    "right-ends-later": ([datetime(2031, 1, 1, tzinfo=UTC)], datetime(2029, 3, 1, 8, 30, 15, tzinfo=UTC)),
    "right-ends-earlier": ([datetime(2027, 1, 1, tzinfo=UTC), None], datetime(2027, 1, 1, tzinfo=UTC)),
    "earliest-of-two": ([datetime(2028, 1, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)],
                        datetime(2027, 6, 1, tzinfo=UTC)),
    "no-rights": ([], datetime(2029, 3, 1, 8, 30, 15, tzinfo=UTC)),
}


@pytest.mark.parametrize(("ends", "expected"), VALIDITY.values(), ids=VALIDITY.keys())
def test_valid_until_is_three_years_or_the_earliest_right_end(ends: list[datetime | None],
                                                              expected: datetime) -> None:
    rights = [_right("holding", e) for e in ends]
    assert certificate_valid_until(ISSUED, 3, rights) == expected


@pytest.mark.parametrize(("start", "years", "expected"), [
    (datetime(2024, 2, 29, tzinfo=UTC), 3, datetime(2027, 2, 28, tzinfo=UTC)),
    (datetime(2024, 2, 29, tzinfo=UTC), 4, datetime(2028, 2, 29, tzinfo=UTC)),
    (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), 1, datetime(2027, 12, 31, 23, 59, tzinfo=UTC)),
], ids=["leap-day-to-common-year", "leap-day-to-leap-year", "new-years-eve"])
def test_add_years(start: datetime, years: int, expected: datetime) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(("year", "value", "expected"), [
    (2026, 1, "YS-DR-2026-000001"), (2026, 123, "YS-DR-2026-000123"), (2027, 999999, "YS-DR-2027-999999"),
])
def test_number_format(year: int, value: int, expected: str) -> None:
    assert format_number("YS-DR", year, value) == expected


def test_document_states_times_in_utc_seconds() -> None:
    doc = sample_document()
    assert doc["issued_at"] == "2026-03-01T08:30:15Z"
    assert doc["valid_until"] == "2027-04-05T08:30:15Z"  # the processing right ends after 400 days
    assert doc["rights"][0]["valid_until"] is None


PAYLOAD = canonical_json(sample_document())
SIGNATURE = sign_document(sample_document(), KEY)


@settings(max_examples=300, deadline=None)
@given(index=st.integers(min_value=0, max_value=len(PAYLOAD) - 1),
       new=st.integers(min_value=0, max_value=255))
def test_any_byte_change_in_the_canonical_document_breaks_verification(index: int, new: int) -> None:
    if PAYLOAD[index] == new:
        new = (new + 1) % 256
    mutated = PAYLOAD[:index] + bytes([new]) + PAYLOAD[index + 1:]
    assert verify_bytes(PAYLOAD, SIGNATURE, KEY.public_key())
    assert not verify_bytes(mutated, SIGNATURE, KEY.public_key())
    try:
        document = json.loads(mutated)
    except ValueError:
        return
    if isinstance(document, dict):
        data = {"format": FORMAT, "document": document, "signature": SIGNATURE,
                "key_id": key_id_for(KEY.public_key()), "algorithm": ALGORITHM}
        assert not verify_file(data, KEY.public_key()).ok
