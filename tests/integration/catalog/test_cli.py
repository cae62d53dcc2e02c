"""`yaosu catalog` on a fresh data directory (its own SQLite database)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from yaosu.cli.main import app


def test_search_and_dcat_on_an_empty_exchange(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    assert runner.invoke(app, ["db", "upgrade", *data]).exit_code == 0
    found = runner.invoke(app, ["catalog", "search", "港口", "--json", *data])
    assert found.exit_code == 0, found.output
    expected = {"items": [], "total": 0, "page": 1, "page_size": 20, "total_exact": True}
    assert json.loads(found.output) == expected
    people = runner.invoke(app, ["catalog", "search", "港口", *data])
    assert people.output.startswith("共 0 条")
    out = tmp_path / "catalog.jsonld"
    args = ["catalog", "dcat", "--out", str(out), "--base-url", "https://ex.example/", *data]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["@id"], doc["dcat:dataset"]) == ("https://ex.example/api/v1/catalog/dcat", [])


def test_search_as_unknown_user_fails_with_field(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    runner.invoke(app, ["db", "upgrade", *data])
    result = runner.invoke(app, ["catalog", "search", "港口", "--as", "nobody", *data])
    assert result.exit_code == 2
    assert "--as" in result.output


def test_bad_filter_is_a_usage_error_naming_the_field(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["catalog", "search", "--domain", "mars", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "domain" in result.output
