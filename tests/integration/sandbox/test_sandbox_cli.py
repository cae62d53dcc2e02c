"""`yaosu query`, `yaosu verify-record` and `yaosu sandbox` on a committed exchange in a data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.integration.market.helpers import PURPOSE
from tests.sandbox_deals import committed_deal
from tests.unit.sandbox.fixtures import people
from yaosu.auth.models import User
from yaosu.cli.main import app
from yaosu.config import Settings
from yaosu.db.migrate import upgrade
from yaosu.runtime import Runtime

runner = CliRunner()


def _deal(tmp_path: Path, kind: str, calls: int) -> tuple[str, tuple[str, ...]]:
    """A committed exchange in tmp_path/exchange with a signed order: its id and the buyer's CLI options."""
    data = tmp_path / "exchange"
    runtime = Runtime.from_settings(Settings(data_dir=data))
    upgrade(runtime.settings.resolved_database_url())
    order_id, buyer, _ = committed_deal(runtime, tmp_path, kind, calls)
    with Session(runtime.engine) as session:
        user = session.get(User, buyer.user_id)
        assert user is not None
        username = user.username
    runtime.dispose()
    return order_id, ("--as", username, "--data-dir", str(data))


def test_query_refusal_and_allowance_from_the_cli(tmp_path: Path) -> None:
    order_id, as_buyer = _deal(tmp_path, "sandbox", 2)
    refused = runner.invoke(app, ["query", order_id, "--sql", "SELECT id_number FROM data", "--purpose", PURPOSE,
                                  *as_buyer])
    assert refused.exit_code == 3 and "sql_output_not_allowed" in refused.output and "不能输出" in refused.output
    phones = tmp_path / "mine.csv"
    pcsv.write_csv(pa.table({"phone": people().column("phone").to_pylist()[:25]}), phones)
    answered = runner.invoke(app, ["query", order_id, "--sql", "SELECT COUNT(*) AS n FROM data t JOIN buyer b "
                                   "ON t.phone = b.phone", "--purpose", PURPOSE, "--buyer-table", str(phones),
                                   "--json", *as_buyer])
    assert answered.exit_code == 0, answered.output
    body = json.loads(answered.output)
    assert body["decision"] == "answered" and body["remaining_count"] == 1
    left = runner.invoke(app, ["sandbox", "allowance", order_id, "--json", *as_buyer])
    assert json.loads(left.output)["used_count"] == 1
    expired = runner.invoke(app, ["query", order_id, "--sql", "SELECT COUNT(*) FROM data", "--purpose", "别的用途",
                                  *as_buyer])
    assert expired.exit_code == 2 and "purpose_mismatch" in expired.output


def test_verify_record_from_the_cli(tmp_path: Path) -> None:
    order_id, as_buyer = _deal(tmp_path, "verification", 3)
    first = people().slice(0, 1).to_pylist()[0]
    result = runner.invoke(app, ["verify-record", order_id, "-f", f"id_number={first['id_number']}",
                                 "-f", "name=别人", "--purpose", PURPOSE, "--json", *as_buyer])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"result": "不一致", "name": "不一致", "phone": "未提供"}
