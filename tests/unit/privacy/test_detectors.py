"""Each built-in detector over a table of valid, invalid and edge-case values."""

from __future__ import annotations

import ipaddress

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from tests.unit.privacy.test_detectors_attributes import CASES as ATTRIBUTE_CASES
from yaosu.privacy.detect import DETECTORS, Detector


def with_id_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def with_luhn(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def not_luhn(body: str) -> str:
    return body + str((int(luhn.calc_check_digit(body)) + 1) % 10)


CASES: list[tuple[str, str | None, bool, str]] = [
    ("CN_ID_CARD", with_id_check("11010519491231002"), True, "id-18"),
    ("CN_ID_CARD", with_id_check("11010519491231002").lower(), True, "id-lowercase-x-or-digit"),
    ("CN_ID_CARD", " " + with_id_check("44030519900307123") + " ", True, "id-padded-spaces-trimmed"),
    ("CN_ID_CARD", "110105491231002", True, "id-legacy-15"),
    ("CN_ID_CARD", with_id_check("11010519990230000"), False, "id-bad-date-19990230"),
    ("CN_ID_CARD", "11010519491231002", False, "id-17-digits"),
    ("CN_ID_CARD", "202401150000012345", False, "id-order-number"),
    ("CN_ID_CARD", "１１０１０５１９４９１２３１００２Ｘ", False, "id-full-width"),
    ("CN_ID_CARD", None, False, "id-null"),
    ("CN_MOBILE", "13812345678", True, "mobile-plain"),
    ("CN_MOBILE", "+8613812345678", True, "mobile-plus86"),
    ("CN_MOBILE", "8619912345678", True, "mobile-86"),
    ("CN_MOBILE", "138 1234 5678", True, "mobile-spaced"),
    ("CN_MOBILE", "12812345678", False, "mobile-12x"),
    ("CN_MOBILE", "1381234567", False, "mobile-10-digits"),
    ("CN_MOBILE", "", False, "mobile-empty"),
    ("CN_LANDLINE", "010-12345678", True, "landline-beijing"),
    ("CN_LANDLINE", "0755-2345678-123", True, "landline-extension"),
    ("CN_LANDLINE", "(021)62345678", True, "landline-parenthesised"),
    ("CN_LANDLINE", "400-810-8888", True, "landline-400"),
    ("CN_LANDLINE", "13812345678", False, "landline-is-mobile"),
    ("CN_LANDLINE", "010-0234567", False, "landline-local-starts-0"),
    ("EMAIL", "zhang.san+tag@example.com.cn", True, "email-plus-subdomain"),
    ("EMAIL", "user@localhost", False, "email-no-tld"),
    ("EMAIL", "@example.com", False, "email-no-local"),
    ("EMAIL", "a b@example.com", False, "email-space"),
    ("CN_BANK_CARD", "4111111111111111", True, "card-visa-luhn"),
    ("CN_BANK_CARD", with_luhn("622202123456789012"), True, "card-unionpay-19-luhn"),
    ("CN_BANK_CARD", not_luhn("622848001234567"), True, "card-unionpay-62-without-luhn"),
    ("CN_BANK_CARD", not_luhn("411111111111111"), False, "card-visa-fails-luhn"),
    ("CN_BANK_CARD", with_luhn("41111111111"), False, "card-too-short"),
    ("CN_USCC", "91110000600037341L", True, "uscc-valid"),
    ("CN_USCC", "91110000600037341M", False, "uscc-wrong-check"),
    ("CN_USCC", "9111000060003734IL", False, "uscc-letter-I"),
    ("IMEI", "490154203237518", True, "imei-valid"),
    ("IMEI", "490154203237519", False, "imei-fails-luhn"),
    ("IMEI", "49015420323751", False, "imei-14-digits"),
    ("VEHICLE_VIN", "1M8GDM9AXKP042788", True, "vin-check-X"),
    ("VEHICLE_VIN", "1M8GDM9A1KP042788", False, "vin-wrong-check"),
    ("VEHICLE_VIN", "1M8GDM9AXKP04278O", False, "vin-letter-O"),
    ("IP_ADDRESS", "192.168.1.254", True, "ipv4"),
    ("IP_ADDRESS", "2001:db8::8a2e:370:7334", True, "ipv6-compressed"),
    ("IP_ADDRESS", "2001:0db8:0000:0000:0000:ff00:0042:8329", True, "ipv6-full"),
    ("IP_ADDRESS", "::1", True, "ipv6-loopback"),
    ("IP_ADDRESS", "::ffff:192.0.2.128", True, "ipv6-mapped-ipv4"),
    ("IP_ADDRESS", "256.1.1.1", False, "ipv4-octet-256"),
    ("IP_ADDRESS", "1.2.3", False, "ipv4-three-octets"),
    ("IP_ADDRESS", "2001:db8::1::1", False, "ipv6-two-double-colons"),
    ("IP_ADDRESS", "1:2:3:4:5::6:1.2.3.4", False, "ipv6-too-many-groups-with-ipv4"),
    ("IP_ADDRESS", "1:::2", False, "ipv6-triple-colon"),
    ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", True, "mac-colons"),
    ("MAC_ADDRESS", "00-1a-2b-3c-4d-5e", True, "mac-dashes"),
    ("MAC_ADDRESS", "001a.2b3c.4d5e", True, "mac-cisco"),
    ("MAC_ADDRESS", "00:1A-2B:3C:4D:5E", False, "mac-mixed-separators"),
    ("MAC_ADDRESS", "00:1A:2B:3C:4D:5G", False, "mac-non-hex"),
    ("CN_LICENSE_PLATE", "京A12345", True, "plate-ordinary"),
    ("CN_LICENSE_PLATE", "粤B1234学", True, "plate-driving-school"),
    ("CN_LICENSE_PLATE", "京AD12345", True, "plate-new-energy-small"),
    ("CN_LICENSE_PLATE", "沪A12345F", True, "plate-new-energy-large"),
    ("CN_LICENSE_PLATE", "京I12345", False, "plate-letter-I"),
    ("CN_LICENSE_PLATE", "港A12345", False, "plate-unknown-province"),
    ("CN_PASSPORT", "E12345678", True, "passport-e"),
    ("CN_PASSPORT", "EA1234567", True, "passport-e-letter"),
    ("CN_PASSPORT", "G12345678", True, "passport-g"),
    ("CN_PASSPORT", "DE1234567", True, "passport-diplomatic"),
    ("CN_PASSPORT", "EI1234567", False, "passport-letter-I"),
    ("CN_PASSPORT", "E1234567", False, "passport-short"),
    ("CN_HK_MACAO_PERMIT", "C12345678", True, "permit-card"),
    ("CN_HK_MACAO_PERMIT", "CA1234567", True, "permit-card-letter"),
    ("CN_HK_MACAO_PERMIT", "H1234567890", True, "permit-home-return-10"),
    ("CN_HK_MACAO_PERMIT", "M12345678", True, "permit-macau-8"),
    ("CN_HK_MACAO_PERMIT", "H123456789", False, "permit-9-digits"),
    ("GPS_COORDINATE", "39.904200,116.407396", True, "gps-beijing"),
    ("GPS_COORDINATE", "-33.8688, 151.2093", True, "gps-negative-spaced"),
    ("GPS_COORDINATE", "39.9042，116.4074", True, "gps-fullwidth-comma"),
    ("GPS_COORDINATE", "91.0000,116.4074", False, "gps-latitude-91"),
    ("GPS_COORDINATE", "39.9,116.4", False, "gps-too-few-decimals"),
]


@pytest.mark.parametrize(("entity", "value", "expected"),
                         [pytest.param(e, v, x, id=i) for e, v, x, i in CASES])
def test_detector_table(entity: str, value: str | None, expected: bool) -> None:
    detector = DETECTORS.get(entity)()
    assert detector.entity == entity
    assert detector.detect(pa.array([value], pa.string())).to_pylist() == [expected]


def test_every_registered_detector_has_valid_and_invalid_rows() -> None:
    """The table covers each registered detector both ways, so none is untested."""
    for name in DETECTORS:
        assert {x for e, _, x, _ in [*CASES, *ATTRIBUTE_CASES] if e == name} == {True, False}, name


@pytest.mark.parametrize("name", list(DETECTORS))
def test_detect_keeps_length_and_handles_chunked(name: str) -> None:
    detector: Detector = DETECTORS.get(name)()
    out = detector.detect(pa.chunked_array([["x", None], [""]]))
    assert out.to_pylist() == [False, False, False]


@pytest.mark.parametrize(("header", "entity", "hinted"), [
    pytest.param("身份证号", "CN_ID_CARD", True, id="zh-id-header"),
    pytest.param("Mobile_Phone", "CN_MOBILE", True, id="case-insensitive"),
    pytest.param("remark", "CN_MOBILE", False, id="opaque-header"),
    pytest.param(None, "EMAIL", False, id="no-header"),
])
def test_context_words_are_hints(header: str | None, entity: str, hinted: bool) -> None:
    assert DETECTORS.get(entity)().hinted_by(header) is hinted


def test_duplicate_registration_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        DETECTORS.register("EMAIL")(Detector)


ip_text = st.one_of(
    st.ip_addresses().map(str),
    st.ip_addresses(v=6).map(lambda a: a.exploded),
    st.text(":.0123456789abcdef", max_size=40),
)


@settings(max_examples=300)
@given(st.lists(ip_text, min_size=1, max_size=20))
def test_ip_detector_agrees_with_ipaddress_module(values: list[str]) -> None:
    """IP_ADDRESS == Python's `ipaddress` parser (no zone ids or IPv4 leading zeros in the domain)."""
    def parses(v: str) -> bool:
        try:
            ipaddress.ip_address(v)
        except ValueError:
            return False
        return "%" not in v
    assert DETECTORS.get("IP_ADDRESS")().detect(pa.array(values)).to_pylist() == [parses(v) for v in values]


@given(st.lists(st.one_of(st.text("0123456789", min_size=14, max_size=20),
                          st.text("0123456789", min_size=13, max_size=17).map(with_luhn)), min_size=1, max_size=30))
def test_bank_card_is_luhn_or_unionpay_per_stdnum(values: list[str]) -> None:
    """CN_BANK_CARD == 16-19 digits and (stdnum Luhn or a 62 prefix), for random and Luhn-completed numbers."""
    expected = [16 <= len(v) <= 19 and (luhn.is_valid(v) or v.startswith("62")) for v in values]
    assert DETECTORS.get("CN_BANK_CARD")().detect(pa.array(values)).to_pylist() == expected


@given(st.lists(st.text("+8601356789 -", max_size=16), min_size=1, max_size=30))
def test_mobile_re2_patterns_agree_with_python_re(values: list[str]) -> None:
    """The RE2 patterns behave like the same patterns in Python's `re` (after trimming) on phone-like text."""
    import re
    detector = DETECTORS.get("CN_MOBILE")()
    expected = [any(re.fullmatch(p.strip("^$"), v.strip()) for p in detector.patterns) for v in values]
    assert detector.detect(pa.array(values)).to_pylist() == expected
