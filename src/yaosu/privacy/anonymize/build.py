"""Turn the quasi-identifier columns of a table into Mondrian dimensions (the only data held in memory)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.privacy.anonymize import hierarchy
from yaosu.privacy.anonymize.config import AnonymizeConfig, HierarchySpec
from yaosu.privacy.anonymize.dims import CategoricalDim, Dim, NumericDim
from yaosu.privacy.anonymize.encode import column, is_numeric, ranks

BoolArray = npt.NDArray[np.bool_]


def _text(array: pa.Array) -> pa.Array:
    """A categorical column as plain strings."""
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return array if pa.types.is_string(array.type) else pc.cast(array, pa.string())


def ungeneralizable(table: pa.Table, config: AnonymizeConfig) -> BoolArray:
    """Rows no hierarchy can place: a missing (or NaN) quasi-identifier, or a value a given hierarchy lacks."""
    bad = np.zeros(table.num_rows, dtype=bool)
    for name in config.qi:
        array = column(table, name)
        bad |= array.is_null(nan_is_null=True).to_numpy(zero_copy_only=False)
        spec = config.hierarchies.get(name)
        if spec is not None and not isinstance(spec, str):
            listed = pc.is_in(_text(array), value_set=pa.array(list(spec), pa.string()))
            bad |= ~pc.fill_null(listed, False).to_numpy(zero_copy_only=False)
    return bad


def _categorical(name: str, array: pa.Array, spec: HierarchySpec) -> CategoricalDim:
    """Leaf codes in tree order for a text column under its hierarchy."""
    encoded = pc.dictionary_encode(_text(array))
    values = encoded.dictionary
    if spec == "flat":
        tree, leaf = hierarchy.flat(values.to_pylist())
    elif spec == "address":
        tree, leaf = hierarchy.address(values)
    elif isinstance(spec, str):
        raise Invalid(f"unknown hierarchy {spec!r}; use flat, address or a mapping", field="hierarchies")
    else:
        tree, leaf, _ = hierarchy.given(values.to_pylist(), spec)
    indices = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return CategoricalDim(name, leaf[indices], tree)


def dimensions(table: pa.Table, config: AnonymizeConfig) -> list[Dim]:
    """One Mondrian dimension per quasi-identifier of `table` (which must hold no missing QI values)."""
    dims: list[Dim] = []
    for name in config.qi:
        array = column(table, name)
        if is_numeric(array):
            codes, values = ranks(array)
            dims.append(NumericDim(name, codes, values, pa.types.is_integer(array.type), config.bands.get(name)))
        else:
            dims.append(_categorical(name, array, config.hierarchies.get(name, "flat")))
    return dims
