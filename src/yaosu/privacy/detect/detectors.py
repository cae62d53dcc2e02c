"""The built-in detectors, one small class per entity code (formats from shared/DOMAIN.md §8)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy import checksums
from yaosu.privacy.detect.base import DETECTORS, Detector

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Z"  # no I, O
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H = "[0-9A-Fa-f]{1,4}"
_IPV6 = "|".join([  # RFC 4291 text forms: full, compressed (::) and with an embedded IPv4 tail
    rf"(?:{_H}:){{7}}{_H}",
    *(rf"(?:(?:{_H}:){{0,{k}}}{_H})?::(?:{_H}:){{0,{5 - k}}}{_H}" for k in range(6)),
    rf"(?:(?:{_H}:){{0,6}}{_H})?::",
    rf"::(?:{_H}:){{0,6}}{_H}",
    rf"(?:{_H}:){{6}}{_IPV4}",
    *(rf"(?:(?:{_H}:){{0,{k}}}{_H})?::(?:{_H}:){{0,{4 - k}}}{_IPV4}" for k in range(5)),
])


@DETECTORS.register("CN_ID_CARD")
class CnIdCard(Detector):
    """Resident ID numbers: 18 digits with MOD 11-2 check, birth date and province; 15-digit legacy."""

    entity = "CN_ID_CARD"
    patterns = (r"^[0-9]{17}[0-9Xx]$", r"^[0-9]{15}$")
    context = ("身份证", "证件号", "公民身份", "id_card", "idcard", "id_no", "sfz")
    validation = "GB 11643 MOD 11-2 check digit, birth date 1900..today, GB/T 2260 province prefix"
    strength = 1.0
    priority = 3

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep only numbers whose check digit, birth date and province are right."""
        return checksums.cn_id_card_valid(values)


@DETECTORS.register("CN_MOBILE")
class CnMobile(Detector):
    """Mainland mobile numbers, 11 digits from 13x to 19x, optional +86/86 and 3-4-4 separators."""

    entity = "CN_MOBILE"
    patterns = (r"^(?:\+?86)?1[3-9][0-9]{9}$", r"^(?:\+?86[ -]?)?1[3-9][0-9][ -][0-9]{4}[ -][0-9]{4}$")
    context = ("手机", "电话", "联系方式", "mobile", "phone", "tel")
    priority = 1


@DETECTORS.register("CN_LANDLINE")
class CnLandline(Detector):
    """Fixed-line numbers: 0 + area code + 7-8 digits, optional extension; 400/800 service numbers."""

    entity = "CN_LANDLINE"
    patterns = (r"^0[0-9]{2,3}-?[1-9][0-9]{6,7}(?:-[0-9]{1,6})?$",
                r"^\(0[0-9]{2,3}\) ?[1-9][0-9]{6,7}$",
                r"^\+86[ -]?[1-9][0-9]{1,2}[ -]?[1-9][0-9]{6,7}$",
                r"^[48]00-?[0-9]{3}-?[0-9]{4}$")
    context = ("座机", "固话", "电话", "landline", "phone", "tel", "fax", "传真")


@DETECTORS.register("EMAIL")
class Email(Detector):
    """E-mail addresses (a practical subset of RFC 5322 addr-spec)."""

    entity = "EMAIL"
    patterns = (r"^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}$",)
    context = ("邮箱", "邮件", "email", "e-mail", "mail")
    strength = 0.95
    priority = 1


@DETECTORS.register("CN_BANK_CARD")
class CnBankCard(Detector):
    """Bank card numbers, 16-19 digits: Luhn, or a 62 (UnionPay) prefix even when Luhn fails."""

    entity = "CN_BANK_CARD"
    patterns = (r"^[0-9]{16,19}$",)
    context = ("银行卡", "卡号", "账号", "bank", "card", "account")
    validation = "Luhn (ISO/IEC 7812); 62-prefixed UnionPay cards kept without it (DOMAIN.md §8)"
    strength = 0.95
    priority = 1

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Luhn-valid numbers, plus UnionPay 62 numbers (some legacy ones fail Luhn)."""
        unionpay = pc.fill_null(pc.starts_with(values, "62"), False)
        return pc.or_(checksums.luhn_valid(values, 16, 19), unionpay)


@DETECTORS.register("CN_USCC")
class CnUscc(Detector):
    """Unified social credit codes (GB 32100, MOD 31 check character)."""

    entity = "CN_USCC"
    patterns = (r"^[0-9A-Y]{18}$",)
    context = ("信用代码", "统一社会信用", "纳税人识别号", "uscc", "credit_code")
    validation = "GB 32100 MOD 31 check character"
    strength = 1.0
    priority = 3

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep only codes whose authority, kind, region digits and check character are right."""
        return checksums.uscc_valid(values)


@DETECTORS.register("IMEI")
class Imei(Detector):
    """15-digit IMEI device identifiers with a Luhn check digit."""

    entity = "IMEI"
    patterns = (r"^[0-9]{15}$",)
    context = ("imei", "设备号", "串号", "device")
    validation = "Luhn check digit"
    strength = 1.0
    priority = 2

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep only Luhn-valid 15-digit numbers."""
        return checksums.imei_valid(values)


@DETECTORS.register("VEHICLE_VIN")
class VehicleVin(Detector):
    """Vehicle identification numbers (ISO 3779 / GB 16735) with the position-9 check digit."""

    entity = "VEHICLE_VIN"
    patterns = (r"^[A-HJ-NPR-Z0-9]{17}$",)
    context = ("vin", "车架号", "车辆识别")
    validation = "ISO 3779 check digit at position 9"
    strength = 1.0
    priority = 3

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Keep only VINs whose check digit is right."""
        return checksums.vin_valid(values)


@DETECTORS.register("IP_ADDRESS")
class IpAddress(Detector):
    """IPv4 dotted quads (each octet 0-255) and IPv6 text forms (RFC 4291)."""

    entity = "IP_ADDRESS"
    patterns = (rf"^{_IPV4}$", rf"^(?:{_IPV6})$")
    context = ("ip", "地址", "address", "host")
    strength = 0.95
    priority = 1


@DETECTORS.register("MAC_ADDRESS")
class MacAddress(Detector):
    """MAC addresses: six hex pairs separated by ':' or '-', or Cisco's three dotted quads."""

    entity = "MAC_ADDRESS"
    patterns = (r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$", r"^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}$",
                r"^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$")
    context = ("mac", "物理地址", "网卡")
    strength = 0.95
    priority = 1


@DETECTORS.register("CN_LICENSE_PLATE")
class CnLicensePlate(Detector):
    """Vehicle plates (GA 36-2018): ordinary 7-character and new-energy 8-character plates."""

    entity = "CN_LICENSE_PLATE"
    patterns = (
        rf"^[{PROVINCES}使领][{_PLATE_LETTER}][{_PLATE_LETTER}0-9]{{4}}[{_PLATE_LETTER}0-9挂学警港澳领试超使]$",
        rf"^[{PROVINCES}][{_PLATE_LETTER}][A-HJK][{_PLATE_LETTER}0-9][0-9]{{4}}$",
        rf"^[{PROVINCES}][{_PLATE_LETTER}][0-9]{{5}}[A-HJK]$",
    )
    context = ("车牌", "号牌", "plate")
    strength = 0.95
    priority = 2


@DETECTORS.register("CN_PASSPORT")
class CnPassport(Detector):
    """PRC passports (E/G + 8 digits, E + letter + 7, D/S/P forms, old 14/15) and HK/Macau SAR passports."""

    entity = "CN_PASSPORT"
    patterns = (r"^(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8}|1[45][0-9]{7}|[DSP]E[0-9]{7}|[DSP][0-9]{8})$",
                r"^(?:K[0-9]{8}|KJ[0-9]{7}|M[AB][0-9]{7})$")
    context = ("护照", "passport")
    strength = 0.8


@DETECTORS.register("CN_HK_MACAO_PERMIT")
class CnHkMacaoPermit(Detector):
    """Travel permits to and from Hong Kong and Macau: C/W + 8 (mainland side), H/M + 8 or 10 (home return)."""

    entity = "CN_HK_MACAO_PERMIT"
    patterns = (r"^(?:C[0-9]{8}|C[A-HJ-NP-Z][0-9]{7}|W[0-9]{8})$", r"^[HM](?:[0-9]{8}|[0-9]{10})$")
    context = ("通行证", "回乡证", "港澳", "permit")
    strength = 0.8


@DETECTORS.register("GPS_COORDINATE")
class GpsCoordinate(Detector):
    """A 'latitude,longitude' pair in decimal degrees with at least three decimals each."""

    entity = "GPS_COORDINATE"
    patterns = (r"^[-+]?(?:[1-8]?[0-9])\.[0-9]{3,}\s*[,，]\s*[-+]?(?:1[0-7][0-9]|[1-9]?[0-9])\.[0-9]{3,}$",)
    context = ("坐标", "经纬度", "位置", "gps", "location", "coord", "latlng")
    strength = 0.9
    priority = 1
