"""`yaosu node mask|anonymize|lineage` and `yaosu release aggregate|budget` on a real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.deid_files import write_people
from yaosu.cli.main import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "node"
    assert runner.invoke(app, ["db", "upgrade", "--data-dir", str(path)]).exit_code == 0
    return path


def _run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def dataset_id(data_dir: Path, tmp_path: Path) -> str:
    code, out, _ = _run(data_dir, "node", "add", str(write_people(tmp_path / "p.parquet")), "--json")
    assert code == 0, out
    return str(json.loads(out)["id"])


def test_mask_anonymize_and_lineage(data_dir: Path, dataset_id: str, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("columns:\n  身份证号: {operator: hash}\n  手机: {operator: drop}\n", encoding="utf-8")
    code, out, err = _run(data_dir, "node", "mask", dataset_id, "--name", "masked", "--policy", str(policy),
                          "--json")
    assert code == 0, err
    masked = json.loads(out)
    assert masked["operation"] == "mask" and masked["key_id"].startswith("default:")
    key = (data_dir / "keys" / "deid").rglob("default.key")
    assert next(key).read_bytes().hex() not in out
    code, out, err = _run(data_dir, "node", "anonymize", dataset_id, "--name", "anon", "--k", "5",
                          "--qi", "年龄,性别,区县", "--band", "年龄=10", "--hierarchy", "区县=address")
    assert code == 0, err
    assert "k 匿名 / k" in out and "信息损失 / information loss" in out
    code, out, _ = _run(data_dir, "node", "lineage", dataset_id)
    assert {d["operation"] for d in json.loads(out)["derived"]} == {"mask", "anonymize"}
    code, out, _ = _run(data_dir, "node", "lineage", masked["dataset_id"])
    assert json.loads(out)["lineage"]["parameters_hash"] == masked["parameters_hash"]


def test_release_until_the_budget_is_spent(data_dir: Path, dataset_id: str) -> None:
    code, out, err = _run(data_dir, "release", "budget", dataset_id, "--set", "1.0", "--json")
    assert code == 0, err
    assert json.loads(out)["epsilon"] == 1.0
    code, out, err = _run(data_dir, "release", "aggregate", dataset_id, "--kind", "mean", "--column", "收入",
                          "--bounds", "0,60000", "--epsilon", "0.6", "--json")
    assert code == 0, err
    assert json.loads(out)["epsilon"] == pytest.approx(0.6, rel=1e-6)
    code, _, err = _run(data_dir, "release", "aggregate", dataset_id, "--kind", "count", "--epsilon", "0.5")
    assert code == 2 and "budget_exceeded" in err
    code, out, _ = _run(data_dir, "release", "budget", dataset_id)
    assert "spent 0.6" in out and out.count("mean") == 1
    code, _, err = _run(data_dir, "release", "aggregate", dataset_id, "--kind", "sum", "--column", "收入",
                        "--bounds", "x,1", "--epsilon", "0.1")
    assert code == 2 and "--bounds" in err
