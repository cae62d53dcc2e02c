"""Policies: validation with errors naming the column and field, the hash, defaults from a scan, streaming apply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from yaosu.errors import Invalid, PolicyViolation
from yaosu.privacy.mask import apply_policy, default_policy, load_policy, parse_policy, policy_hash
from yaosu.privacy.mask.defaults import DEFAULTS, scan_report_for

KEY = bytes(range(32))

BAD: list[tuple[Any, str, str]] = [
    ({"columns": {"a": {"operator": "shred"}}}, "columns.a.operator", "unknown-operator"),
    ({"columns": {"a": {"operator": "hash", "colour": 1}}}, "columns.a.colour", "extra-field"),
    ({"columns": {"a": {"operator": "partial_mask", "params": {"keep_first": -2}}}},
     "columns.a.params.keep_first", "bad-param"),
    ({"columns": {"a": {"operator": "hash", "params": {f"p{i}": i for i in range(40)}}}},
     "columns.a.params", "too-many-params"),
    ({"columns": {"a": {"operator": "hash"}}, "version": 2}, "version", "version"),
    ({"columns": {f"c{i}": {"operator": "keep"} for i in range(2001)}}, "columns", "too-many-columns"),
    ({"strict": True}, "columns", "no-columns"),
    ([1, 2], "policy", "not-a-mapping"),
]


@pytest.mark.parametrize(("data", "field"), [c[:2] for c in BAD], ids=[c[2] for c in BAD])
def test_invalid_policies_name_column_and_field(data: Any, field: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_policy(data)
    assert caught.value.field == field
    assert field in caught.value.message or field == "policy"


def test_yaml_and_json_files_load_to_the_same_policy_and_hash(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("columns:\n  手机号: {operator: partial_mask, params: {keep_first: 3,"
                                     " keep_last: 4}}\n", encoding="utf-8")
    data = {"columns": {"手机号": {"operator": "partial_mask", "params": {"keep_first": 3, "keep_last": 4}}}}
    (tmp_path / "p.json").write_text(json.dumps(data), encoding="utf-8")
    yaml_policy, json_policy = load_policy(tmp_path / "p.yaml"), load_policy(tmp_path / "p.json")
    assert yaml_policy == json_policy
    assert policy_hash(yaml_policy) == policy_hash(json_policy) == yaml_policy.digest()
    assert len(policy_hash(yaml_policy)) == 64
    changed = parse_policy({"columns": {"手机号": {"operator": "partial_mask", "params": {"keep_first": 3}}}})
    assert policy_hash(changed) != policy_hash(yaml_policy)


@pytest.mark.parametrize(("name", "content", "match"), [
    ("p.yaml", "columns: [unclosed", "not valid yaml"),
    ("p.json", "{", "not valid json"),
    ("missing.yaml", None, "no such policy file"),
], ids=["bad-yaml", "bad-json", "missing"])
def test_unreadable_policy_files(tmp_path: Path, name: str, content: str | None, match: str) -> None:
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(Invalid, match=match):
        load_policy(tmp_path / name)


REPORT = {"dataset": "t", "rows": 3, "classification": "personal", "grade": "general-4", "columns": [
    {"name": "id", "entity": "CN_ID_CARD", "sensitive": True, "category": "个人身份信息", "level": 4},
    {"name": "mobile", "entity": "CN_MOBILE", "sensitive": False, "category": "个人基本资料", "level": 2},
    {"name": "name", "entity": "PERSON_NAME", "sensitive": False},
    {"name": "email", "entity": "EMAIL", "sensitive": False},
    {"name": "addr", "entity": "ADDRESS", "sensitive": False},
    {"name": "dob", "entity": "DATE_OF_BIRTH", "sensitive": False},
    {"name": "gps", "entity": "GPS_COORDINATE", "sensitive": True},
    {"name": "memo", "entity": "FREE_TEXT", "sensitive": True, "embedded": {"CN_MOBILE": 2}},
    {"name": "odd", "entity": "SOMETHING_NEW", "sensitive": True},
    {"name": "gender", "entity": "GENDER", "sensitive": False},
    {"name": "gender2", "entity": "GENDER", "sensitive": True},
    {"name": "amount", "entity": None, "sensitive": False},
]}


def test_default_policy_from_a_scan_report() -> None:
    policy = default_policy(REPORT)
    ops = {name: (rule.operator, rule.params) for name, rule in policy.columns.items()}
    assert ops["id"] == ("partial_mask", {"keep_first": 6, "keep_last": 4})
    assert ops["mobile"] == ("partial_mask", {"keep_first": 3, "keep_last": 4})
    assert ops["name"][0] == "tokenize" and ops["email"][0] == "hash"
    assert ops["addr"] == ("generalize_address", {"level": "district"})
    assert ops["dob"] == ("generalize_date", {"level": "year"})
    assert ops["gps"][0] == "generalize_gps" and ops["memo"][0] == "replace_spans"
    assert ops["odd"][0] == "redact" and ops["gender"][0] == "keep" and ops["gender2"][0] == "redact"
    assert "amount" not in ops
    assert all(rule.reason for rule in policy.columns.values())
    sensitive = [c["name"] for c in REPORT["columns"] if c["sensitive"]]  # type: ignore[index]
    assert all(policy.columns[name].operator != "keep" for name in sensitive)


def test_every_default_passes_its_own_validation() -> None:
    data = {"columns": {entity: {"operator": op, "params": params} for entity, (op, params, _) in DEFAULTS.items()}}
    assert len(parse_policy(data).columns) == len(DEFAULTS)


def test_a_scan_derived_policy_de_identifies_the_sensitive_columns(tmp_path: Path) -> None:
    mobiles = [f"1391234{i:04d}" for i in range(50)]
    (tmp_path / "x.csv").write_text("备注,数量\n" + "\n".join(f"{m},{i}" for i, m in enumerate(mobiles)) + "\n",
                                    encoding="utf-8")
    report = scan_report_for(tmp_path / "x.csv")
    assert [c["entity"] for c in report["columns"]] == ["CN_MOBILE", None]
    policy = default_policy(report)
    assert policy.columns["备注"].operator != "keep" and "数量" not in policy.columns


def batches() -> tuple[pa.Schema, list[pa.RecordBatch]]:
    schema = pa.schema([("id", pa.string()), ("city", pa.string()), ("n", pa.int64())])
    rows = [pa.record_batch([pa.array(["11010519491231002X", "440305199001011234"]),
                             pa.array(["北京市朝阳区", "北京市朝阳区"]), pa.array([1, 2])], schema=schema),
            pa.record_batch([pa.array(["110105194912310010"]), pa.array(["上海市黄浦区"]), pa.array([3])],
                            schema=schema)]
    return schema, rows


def test_apply_streams_masks_named_columns_drops_and_passes_others() -> None:
    schema, data = batches()
    policy = parse_policy({"columns": {"id": {"operator": "partial_mask", "params": {"keep_first": 6, "keep_last": 4}},
                                       "city": {"operator": "drop"}}})
    out = list(apply_policy(iter(data), schema, policy, KEY))
    assert [b.num_rows for b in out] == [2, 1]
    assert out[0].schema.names == ["id", "n"]
    assert out[0].column(0).to_pylist() == ["110105********002X", "440305********1234"]
    assert out[1].column(1).to_pylist() == [3]


def test_apply_refuses_unknown_columns_strict_gaps_and_short_keys() -> None:
    schema, data = batches()
    with pytest.raises(Invalid) as caught:
        next(apply_policy(iter(data), schema, parse_policy({"columns": {"nope": {"operator": "redact"}}}), KEY))
    assert caught.value.field == "columns.nope"
    strict = parse_policy({"strict": True, "columns": {"id": {"operator": "redact"}}})
    with pytest.raises(PolicyViolation) as refused:
        next(apply_policy(iter(data), schema, strict, KEY))
    assert refused.value.field == "columns.city"
    with pytest.raises(Invalid):
        next(apply_policy(iter(data), schema, strict, b"0" * 31))


def test_row_suppression_removes_rare_rows() -> None:
    schema, data = batches()
    policy = parse_policy({"columns": {"city": {"operator": "suppress", "params": {"threshold": 2, "scope": "rows"}},
                                       "id": {"operator": "redact"}}})
    out = list(apply_policy(iter(data), schema, policy, KEY))
    assert [b.num_rows for b in out] == [2, 0]
    assert out[0].column(2).to_pylist() == [1, 2]


def test_apply_is_lazy_one_batch_at_a_time() -> None:
    schema, data = batches()
    pulled: list[int] = []

    def source() -> Iterator[pa.RecordBatch]:
        for i, batch in enumerate(data):
            pulled.append(i)
            yield batch

    stream = apply_policy(source(), schema, parse_policy({"columns": {"id": {"operator": "hash"}}}), KEY)
    next(stream)
    assert pulled == [0]


def test_output_schema_matches_the_batches() -> None:
    from yaosu.privacy.mask import output_schema
    schema, data = batches()
    policy = parse_policy({"columns": {"id": {"operator": "drop"}, "n": {"operator": "noise", "params": {"bound": 1}},
                                       "city": {"operator": "generalize_address"}}})
    out = list(apply_policy(iter(data), schema, policy, KEY))
    assert all(b.schema == output_schema(schema, policy) for b in out)
    assert output_schema(schema, policy).names == ["city", "n"]
