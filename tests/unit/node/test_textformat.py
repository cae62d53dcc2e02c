"""Encoding detection and delimiter sniffing of delimited text, one case a row."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from yaosu.errors import Invalid
from yaosu.node.textformat import SAMPLE_BYTES, detect_encoding, detect_format, sniff_delimiter

CHINESE = "姓名,身份证号,城市\n张三,110101199003077777,北京\n"


@pytest.mark.parametrize(("raw", "encoding", "bom"), [
    pytest.param(b"a,b\n1,2\n", "utf-8", False, id="ascii"),
    pytest.param(CHINESE.encode("utf-8"), "utf-8", False, id="utf8-chinese"),
    pytest.param(codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8", True, id="utf8-bom"),
    pytest.param(CHINESE.encode("gbk"), "gb18030", False, id="gbk"),
    pytest.param("名字,㐀\n".encode("gb18030"), "gb18030", False, id="gb18030-four-byte"),
    pytest.param(CHINESE.encode("utf-8") + "北".encode()[:2], "utf-8", False, id="utf8-cut-mid-character"),
    pytest.param(CHINESE.encode("gbk") + "北".encode("gbk")[:1], "gb18030", False, id="gbk-cut-mid-character"),
])
def test_detect_encoding(raw: bytes, encoding: str, bom: bool) -> None:
    found, has_bom, text = detect_encoding(raw)
    assert (found, has_bom) == (encoding, bom)
    assert text.splitlines()[0] in ("a,b", "姓名,身份证号,城市", "名字,㐀")


@pytest.mark.parametrize(("raw", "code"), [
    pytest.param(b"PAR1\x00\x00\x15\x04", "binary_file", id="nul-bytes"),
    pytest.param(bytes(range(0x80, 0x100)) * 4, "unknown_encoding", id="high-bytes-not-gb18030"),
])
def test_detect_encoding_refuses(raw: bytes, code: str) -> None:
    with pytest.raises(Invalid) as err:
        detect_encoding(raw, complete=True)
    assert err.value.code == code


@pytest.mark.parametrize(("text", "delimiter"), [
    pytest.param("a,b,c\n1,2,3\n4,5,6\n", ",", id="comma"),
    pytest.param("姓名;年龄;城市\n张三;30;北京\n李四;41;上海\n", ";", id="semicolon"),
    pytest.param("a\tb\n1\t2\n3\t4\n", "\t", id="tab"),
    pytest.param("a|b|c\n1|2|3\n", "|", id="pipe"),
    pytest.param('name,remark\n"Li, Wei","a;b;c"\n"Wang, Fang","d;e;f"\n', ",", id="quoted-semicolons"),
    pytest.param("a;b\n1,5;2,5\n3,0;4,0\n", ";", id="decimal-commas"),
    pytest.param("single\n1\n2\n", ",", id="one-column"),
])
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_detect_format_reads_only_a_bounded_head(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(("a;b\n" + "1;2\n" * SAMPLE_BYTES).encode() + b"\x00")  # NUL beyond the sample
    fmt = detect_format(path)
    assert (fmt.encoding, fmt.delimiter) == ("utf-8", ";")


def test_detect_format_refuses_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"  \n\n ")
    with pytest.raises(Invalid) as err:
        detect_format(path)
    assert err.value.code == "empty_file"
