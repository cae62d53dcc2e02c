"""Bulk helpers: ULIDs in bulk (the same format and time prefix as single ones, all distinct) and the
collector's pause around bulk row building."""

from __future__ import annotations

import gc

from ulid import ULID

from yaosu.db.bulk import paused_gc
from yaosu.ids import new_id, new_ids


def test_bulk_ids_are_valid_distinct_ulids_of_now() -> None:
    before = new_id()
    ids = new_ids(5_000)
    after = new_id()
    assert len(set(ids)) == 5_000 and all(len(i) == 26 for i in ids)
    parsed = [ULID.from_str(i) for i in ids]
    assert [str(p) for p in parsed] == ids  # round-trips: the alphabet is Crockford's
    assert before[:10] <= ids[0][:10] <= after[:10]  # the 48-bit millisecond prefix
    assert new_ids(0) == []


def test_the_collector_is_paused_inside_nested_pauses_and_back_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
