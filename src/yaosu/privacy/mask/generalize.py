"""Generalisation through explicit hierarchies (GB/T 37964 Annex A, DOMAIN.md §3).

Each hierarchy names its levels from fine to coarse, maps a column to a level, and can say of any
value whether it is a node of that level or above (`contains`), so tests can check that output
never leaves the hierarchy. The root of every hierarchy is "*" (a value that cannot be placed).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context, Params, as_plain, as_text, per_distinct

ROOT = "*"
_DATE = r"^(?P<y>[0-9]{4})[-/.]?(?P<m>[0-9]{2})[-/.]?(?P<d>[0-9]{2})"
# Unbounded classes: RE2 stays linear, and bounded repeats ({1,30}) made submatch extraction 6x slower.
_CITY = r"^(?P<p>[^市]+市)"
_DISTRICT = r"^(?P<p>(?:[^市]+市)?[^区县市]+[区县])"
_LATLNG = r"^\s*(?P<lat>-?[0-9]{1,3}(?:\.[0-9]+)?)\s*,\s*(?P<lng>-?[0-9]{1,3}(?:\.[0-9]+)?)\s*$"
DEFAULT_BANDS = (0, 18, 30, 45, 60, 75)


def _or_root(values: pa.Array, ok: pa.Array) -> pa.Array:
    """`values` where `ok`, the root "*" elsewhere (nulls in `ok` count as not ok)."""
    return pc.if_else(pc.fill_null(ok, False), values, pa.scalar(ROOT, pa.string()))


def _keep_nulls(source: pa.Array, out: pa.Array) -> pa.Array:
    return pc.if_else(pc.is_null(source), pa.scalar(None, pa.string()), out)


def _level(params: Params, levels: Sequence[str], default: str) -> str:
    level = str(params.get("level", default))
    if level not in levels:
        raise Invalid(f"level must be one of {', '.join(levels)}", field="level")
    return level


# -- dates: day → month → year → * ---------------------------------------------------------------

def _date_parts(column: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(year, month) as int arrays from a date/timestamp column or "YYYY-MM-DD"-like strings."""
    plain = as_plain(column)
    if pa.types.is_temporal(plain.type):
        return pc.year(plain), pc.month(plain)
    plain = as_text(plain)
    parts = pc.extract_regex(as_text(plain), _DATE)
    year = pc.cast(pc.struct_field(parts, "y"), pa.int32())
    return year, pc.cast(pc.struct_field(parts, "m"), pa.int32())


def generalize_date(column: pa.Array, level: str, min_year: int = 1900, max_year: int = 2100) -> pa.Array:
    """Dates to "YYYY-MM" (month) or "YYYY" (year); unplaceable dates to "*"."""
    plain = as_plain(column)
    if not pa.types.is_temporal(plain.type):
        return per_distinct(plain, lambda distinct: _date_text(distinct, level, min_year, max_year))
    return _date_text(plain, level, min_year, max_year)


def _date_text(column: pa.Array, level: str, min_year: int, max_year: int) -> pa.Array:
    year, month = _date_parts(column)
    ok = pc.and_(pc.and_(pc.greater_equal(year, min_year), pc.less_equal(year, max_year)),
                 pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12)))
    year_text = pc.cast(year, pa.string())
    text = year_text if level == "year" else pc.binary_join_element_wise(
        year_text, pc.utf8_lpad(pc.cast(month, pa.string()), 2, "0"), "-")
    return _keep_nulls(as_plain(column), _or_root(text, ok))


def date_contains(values: pa.Array, level: str, min_year: int = 1900, max_year: int = 2100) -> pa.Array:
    """True where a value is a node of the date hierarchy at `level` or above."""
    pattern = r"^[0-9]{4}$" if level == "year" else r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
    text = as_text(values)
    year = pc.cast(pc.utf8_slice_codeunits(pc.if_else(pc.match_substring_regex(text, pattern), text, "0"), 0, 4),
                   pa.int32())
    node = pc.and_(pc.greater_equal(year, min_year), pc.less_equal(year, max_year))
    return pc.or_(pc.equal(text, ROOT), node)


@MASKERS.register("generalize_date")
def generalize_date_op(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Date → month ("YYYY-MM") or year ("YYYY")."""
    return generalize_date(column, _level(params, ("month", "year"), "year"))


# -- ages: value → band → * ------------------------------------------------------------------------

def band_labels(edges: Sequence[int]) -> list[str]:
    """Labels "a-b" for [a, b+1) and "z+" for the last edge: the nodes of the age hierarchy."""
    return [f"{a}-{b - 1}" for a, b in itertools.pairwise(edges)] + [f"{edges[-1]}+"]


def _edges(params: Params) -> list[int]:
    edges = list(params.get("bands", DEFAULT_BANDS))
    if not 1 <= len(edges) <= 50 or any(not isinstance(e, int) or isinstance(e, bool) for e in edges) \
            or edges != sorted(set(edges)) or edges[0] < 0:
        raise Invalid("bands must be 1..50 increasing non-negative integers", field="bands")
    return edges


@MASKERS.register("generalize_age")
def generalize_age(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Ages → bands given by their lower edges (default 0, 18, 30, 45, 60, 75); below the first edge → "*"."""
    edges = _edges(params)
    plain = as_plain(column)
    ages = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
    slot = np.searchsorted(np.asarray(edges, dtype=np.float64), ages, side="right") - 1
    placed = (slot >= 0) & ~np.isnan(ages)
    labels = pa.array([*band_labels(edges), ROOT], pa.string())
    out = pc.take(labels, pa.array(np.where(placed, slot, len(edges))))
    return _keep_nulls(plain, out)


# -- addresses: address → district → city → * ---------------------------------------------------

def generalize_address(column: pa.Array, level: str) -> pa.Array:
    """The text prefix up to 区/县 (district, falling back to city) or up to 市 (city); otherwise "*"."""
    return per_distinct(column, lambda distinct: _address(distinct, level))


def _address(text: pa.StringArray, level: str) -> pa.Array:
    city = pc.struct_field(pc.extract_regex(text, _CITY), "p")
    out = _or_root(city, pc.is_valid(city))
    if level == "district":
        district = pc.struct_field(pc.extract_regex(text, _DISTRICT), "p")
        out = pc.if_else(pc.is_valid(district), district, out)
    return out


def address_contains(values: pa.Array, level: str) -> pa.Array:
    """True where a value is a district (if `level` is district), a city, or "*"."""
    text = as_text(values)
    node = pc.match_substring_regex(text, _CITY + "$")
    if level == "district":
        node = pc.or_(node, pc.match_substring_regex(text, _DISTRICT + "$"))
    return pc.or_(pc.equal(text, ROOT), node)


@MASKERS.register("generalize_address")
def generalize_address_op(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Address → district or city prefix; with `regions`, anything outside that list becomes "*"."""
    out = generalize_address(column, _level(params, ("district", "city"), "district"))
    regions = params.get("regions")
    if regions is not None:
        allowed = pc.is_in(out, value_set=pa.array([str(r) for r in regions], pa.string()))
        out = _keep_nulls(out, _or_root(out, allowed))
    return out


# -- GPS: "lat,lng" → grid cell (south-west corner) → * --------------------------------------------

def _cell(params: Params) -> tuple[int, int]:
    """The cell size as (units, decimals): 0.01 → (1, 2), 0.5 → (5, 1), 2 → (2, 0)."""
    cell = params.get("cell", 0.01)
    if isinstance(cell, bool) or not isinstance(cell, int | float) or not 0.0001 <= cell <= 10:
        raise Invalid("cell must be a number of degrees 0.0001..10", field="cell")
    for decimals in range(5):
        scaled = cell * 10**decimals
        if abs(scaled - round(scaled)) < 1e-9:
            return round(scaled), decimals
    raise Invalid("cell must have at most 4 decimals", field="cell")


def _fixed(units: np.ndarray, decimals: int) -> pa.Array:
    """Integers in 10^-decimals degrees as fixed-point text ("-39.90")."""
    sign = pc.if_else(pa.array(units < 0), "-", "")
    whole = pa.array(np.abs(units) // 10**decimals).cast(pa.string())
    if decimals == 0:
        return pc.binary_join_element_wise(sign, whole, "")
    frac = pc.utf8_lpad(pa.array(np.abs(units) % 10**decimals).cast(pa.string()), decimals, "0")
    return pc.binary_join_element_wise(sign, whole, ".", frac, "")


def _latlng(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    parts = pc.extract_regex(text, _LATLNG)
    lat = pc.cast(pc.struct_field(parts, "lat"), pa.float64()).to_numpy(zero_copy_only=False)
    lng = pc.cast(pc.struct_field(parts, "lng"), pa.float64()).to_numpy(zero_copy_only=False)
    return lat, lng


@MASKERS.register("generalize_gps")
def generalize_gps(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """"lat,lng" → the south-west corner of its grid cell of `cell` degrees, e.g. "39.90,116.40"; else "*"."""
    units, decimals = _cell(params)
    text = as_text(column)
    lat, lng = _latlng(text)
    ok = (np.abs(lat) <= 90) & (np.abs(lng) <= 180)
    scale = 10**decimals
    cell_lat = np.floor(np.nan_to_num(lat) * scale / units).astype(np.int64) * units
    cell_lng = np.floor(np.nan_to_num(lng) * scale / units).astype(np.int64) * units
    joined = pc.binary_join_element_wise(_fixed(cell_lat, decimals), _fixed(cell_lng, decimals), ",")
    return _keep_nulls(text, _or_root(joined, pa.array(ok)))


def gps_contains(values: pa.Array, params: Params) -> pa.Array:
    """True where a value is a grid-cell corner for this cell size (a multiple of it, in range) or "*"."""
    units, decimals = _cell(params)
    text = as_text(values)
    lat, lng = _latlng(text)
    scale = 10**decimals
    on_grid = np.ones(len(text), dtype=bool)
    for axis, limit in ((lat, 90), (lng, 180)):
        scaled = np.rint(np.nan_to_num(axis, nan=0.5) * scale)
        on_grid &= ~np.isnan(axis) & (np.abs(axis) <= limit) & (scaled % units == 0)
        on_grid &= np.isclose(scaled, np.nan_to_num(axis) * scale)
    return pc.or_(pc.equal(text, ROOT), pa.array(on_grid))
