"""`yaosu cert`: verify a certificate file offline, export and show certificates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.cli.context import DataDirOption, emit, work
from yaosu.keys import load_public_key
from yaosu.registration import service
from yaosu.registration.certificate import VerifyResult, certificate_file, verify_file
from yaosu.registration.schemas import CertificateRead

app = typer.Typer(help="登记证书 Registration certificates: verify offline, export, show.",
                  no_args_is_help=True)

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
MAX_FILE_BYTES = 5_000_000


class Unreadable(Exception):
    """An input file that cannot be read or parsed (exit code 2)."""


def _read_json(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Unreadable(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Unreadable(f"{path}: {exc}") from None


def _read_key(path: Path) -> Ed25519PublicKey:
    try:
        if path.stat().st_size > 100_000:
            raise Unreadable(f"{path}: not a PEM public key (too large)")
        return load_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise Unreadable(f"{path}: not an Ed25519 public key in PEM form ({exc})") from None


def _field(document: dict[str, Any], *path: str) -> str:
    value: Any = document
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def _render_valid(result: VerifyResult) -> str:
    doc = result.document or {}
    number = _field(doc, "number")
    return "\n".join([
        "有效 / valid: 签名有效 (signature valid)",
        f"  证书编号 number:        {number}",
        f"  登记类型 kind:          {_field(doc, 'kind')}",
        f"  持有人 holder:          {_field(doc, 'registrant', 'name')} "
        f"({_field(doc, 'registrant', 'uscc')})",
        f"  数据资源 resource:      {_field(doc, 'resource', 'title')} ({_field(doc, 'resource', 'id')})",
        f"  资源哈希 content hash:  {_field(doc, 'resource', 'content_hash')}",
        f"  有效期至 valid until:   {_field(doc, 'valid_until')}",
        f"  注销/吊销状态需在线查询 revocation status is online: GET /api/v1/certificates/{number}",
    ])


@app.command("verify")
def verify(file: Path = typer.Argument(..., help="证书文件 / the certificate file (JSON)"),
           public_key: Path = typer.Option(..., "--public-key",
                                           help="交易所公钥 / the exchange's public key (PEM)")) -> None:
    """离线验证证书 / Verify a certificate file offline: exit 0 valid, 1 invalid, 2 unreadable input."""
    try:
        data = _read_json(file)
        key = _read_key(public_key)
    except Unreadable as exc:
        typer.secho(f"无法读取 / unreadable: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(EXIT_UNREADABLE) from None
    result = verify_file(data, key, at=clock.now())
    if not result.ok:
        typer.secho(f"无效 / INVALID: {result.reason}", fg=typer.colors.RED)
        raise typer.Exit(EXIT_INVALID)
    typer.echo(_render_valid(result))


@app.command("export")
def export(number: str = typer.Argument(..., help="证书编号或 id / certificate number or id"),
           out: Path = typer.Option(..., "--out", help="写入的文件 / file to write"),
           data_dir: Path | None = DataDirOption) -> None:
    """导出证书文件 / Write a certificate file that anyone can verify offline with the exchange's key."""
    with work(data_dir) as (runtime, session):
        cert = service.get_certificate(session=session, actor=Actor.anonymous(), number_or_id=number)
        body = certificate_file(cert)
        key_path = runtime.data_dir / "keys" / "exchange-ed25519.pub.pem"
    out.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"已导出 / exported {cert.number} -> {out}")
    typer.echo(f"交易所公钥 / exchange public key: {key_path}")


def _render_cert(c: dict[str, Any]) -> str:
    doc = c["document"]
    lines = [f"{c['number']}  [{c['status']}]  {_field(doc, 'kind')}",
             f"  持有人 holder:    {_field(doc, 'registrant', 'name')} ({c['holder_party_id']})",
             f"  数据资源 resource: {_field(doc, 'resource', 'title')} ({c['resource_id']})",
             f"  签发 issued:      {c['issued_at']}   有效期至 valid until: {c['valid_until']}"]
    if c["status"] != "valid":
        lines.append(f"  吊销 revoked:     {c['revoked_at']}  {c['revocation_reason']}")
    return "\n".join(lines)


@app.command("show")
def show(number: str = typer.Argument(..., help="证书编号或 id / certificate number or id"),
         data_dir: Path | None = DataDirOption, json_out: bool = typer.Option(False, "--json")) -> None:
    """查看证书及其状态 / Show a certificate and whether it is valid or revoked."""
    with work(data_dir) as (_, session):
        cert = service.get_certificate(session=session, actor=Actor.anonymous(), number_or_id=number)
        row = CertificateRead.model_validate(cert).model_dump(mode="json")
    emit(row, json_out, _render_cert)


@app.command("public-key")
def public_key_cmd(data_dir: Path | None = DataDirOption) -> None:
    """打印交易所公钥 / Print the exchange's public key (PEM) for offline verification."""
    with work(data_dir) as (runtime, _):
        pem = runtime.keys.public_key_pem()
    typer.echo(pem, nl=False)
