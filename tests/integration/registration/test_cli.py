"""The `yaosu registration` and `yaosu cert` commands against a real data directory (embedded SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.factories import Factory
from tests.integration.registration.conftest import NOTICE_PASSED
from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.models import User
from yaosu.auth.roles import Role
from yaosu.bootstrap import setup
from yaosu.cli.context import make_runtime
from yaosu.cli.main import app as cli
from yaosu.db.engine import unit_of_work
from yaosu.runtime import system_actor


def _username(session: Session, actor: Actor) -> str:
    name = session.scalar(select(User.username).where(User.id == actor.user_id))
    assert name is not None
    return name


def _parties_and_resource(data_dir: Path) -> tuple[str, str, str]:
    """Migrate `data_dir`, admit a provider and a buyer with logins, describe a resource.

    Returns (provider username, buyer username, resource id).
    """
    runtime = make_runtime(data_dir)
    try:
        setup(runtime)
        with unit_of_work(runtime.sessions) as session:
            factory = Factory(session=session, operator=system_actor(session))
            provider = factory.actor(Role.PROVIDER, name="深圳数据科技有限公司")
            buyer = factory.actor(Role.BUYER)
            resource_id = factory.resource(provider, title="港口集装箱吞吐数据").id
            return _username(session, provider), _username(session, buyer), resource_id
    finally:
        runtime.dispose()


def test_register_export_and_verify_from_the_command_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "exchange"
    username, _, resource_id = _parties_and_resource(data_dir)
    runner = CliRunner()
    common = ["--data-dir", str(data_dir), "--json"]

    submitted = runner.invoke(cli, ["registration", "submit", "initial", resource_id, "--as", username,
                                    *common])
    assert submitted.exit_code == 0, submitted.output
    reg_id = json.loads(submitted.output)["id"]
    refused = runner.invoke(cli, ["registration", "notice", reg_id, "--as", username,
                                  "--data-dir", str(data_dir)])
    assert refused.exit_code == 2 and "forbidden" in refused.output
    noticed = runner.invoke(cli, ["registration", "notice", reg_id, *common])
    assert noticed.exit_code == 0 and json.loads(noticed.output)["status"] == "notice"
    queue = runner.invoke(cli, ["registration", "queue", "--data-dir", str(data_dir)])
    assert reg_id in queue.output

    clock.advance(NOTICE_PASSED)
    finalized = runner.invoke(cli, ["registration", "finalize", *common])
    assert finalized.exit_code == 0, finalized.output
    number = json.loads(finalized.output)["certified"][0]["number"]

    out = tmp_path / "cert.json"
    exported = runner.invoke(cli, ["cert", "export", number, "--out", str(out), "--data-dir", str(data_dir)])
    assert exported.exit_code == 0, exported.output
    shown = runner.invoke(cli, ["cert", "show", number, "--data-dir", str(data_dir)])
    assert shown.exit_code == 0 and "[valid]" in shown.output and "深圳数据科技有限公司" in shown.output

    pem = data_dir / "keys" / "exchange-ed25519.pub.pem"
    verified = runner.invoke(cli, ["cert", "verify", str(out), "--public-key", str(pem)])
    assert verified.exit_code == 0, verified.output
    assert number in verified.output and "深圳数据科技有限公司" in verified.output

    body = json.loads(out.read_text(encoding="utf-8"))
    body["document"]["registrant"]["name"] = "冒名公司"
    out.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    tampered = runner.invoke(cli, ["cert", "verify", str(out), "--public-key", str(pem)])
    assert tampered.exit_code == 1 and "INVALID" in tampered.output


def test_objection_from_the_command_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "exchange"
    username, objector, resource_id = _parties_and_resource(data_dir)
    runner = CliRunner()
    dd = ["--data-dir", str(data_dir)]
    submitted = runner.invoke(cli, ["registration", "submit", "initial", resource_id, "--as", username,
                                    "--json", *dd])
    reg_id = json.loads(submitted.output)["id"]
    runner.invoke(cli, ["registration", "notice", reg_id, *dd])
    bad = runner.invoke(cli, ["registration", "object", reg_id, "--reasons", "x", "--evidence", "合同:nothex",
                              "--as", objector, *dd])
    assert bad.exit_code == 2 and "sha256" in bad.output
    filed = runner.invoke(cli, ["registration", "object", reg_id, "--reasons", "数据权属争议",
                                "--evidence", f"合同:{'e' * 64}:盖章版", "--as", objector, "--json", *dd])
    assert filed.exit_code == 0, filed.output
    objection_id = json.loads(filed.output)["id"]
    decided = runner.invoke(cli, ["registration", "decide", objection_id, "--uphold",
                                  "--note", "异议成立", *dd])
    assert decided.exit_code == 0 and "upheld" in decided.output
    clock.advance(NOTICE_PASSED)
    report = runner.invoke(cli, ["registration", "finalize", *dd])
    assert report.exit_code == 0 and f"rejected  {reg_id}" in report.output
