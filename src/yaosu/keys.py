"""The exchange's secrets: generated on first start, stored 0600 in the data dir, never logged."""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_SIGNING_KEY = "exchange-ed25519.pem"
_SESSION_SECRET = "web-session.secret"  # noqa: S105 (a file name)


def _write_secret(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def read_or_create_secret(path: Path, make: bytes) -> bytes:
    """The secret in `path`, first writing `make` there (mode 0600, never overwriting) if it does not exist."""
    return _read_or_create(path, make)


def _read_or_create(path: Path, make: bytes) -> bytes:
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process won the race; use its file
            _write_secret(path, make)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        os.chmod(path, 0o600)
    return path.read_bytes()


@dataclass(frozen=True, repr=False)
class ExchangeKeys:
    """The signing key pair and the web session secret. `repr` never shows the secrets."""

    signing_key: Ed25519PrivateKey
    session_secret: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    def public_key_pem(self) -> str:
        """The public key as PEM text, safe to publish."""
        return public_key_pem(self.public_key)

    def key_id(self) -> str:
        """A short fingerprint of the public key (first 8 bytes of its raw form, base64url)."""
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.urlsafe_b64encode(raw[:8]).decode().rstrip("=")

    def __repr__(self) -> str:
        return f"ExchangeKeys(key_id={self.key_id()!r})"


def public_key_pem(key: Ed25519PublicKey) -> str:
    """PEM (SubjectPublicKeyInfo) text of an Ed25519 public key."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """Parse a PEM public key; anything but Ed25519 is refused."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """Parse an unencrypted PKCS#8 PEM private key; anything but Ed25519 is refused."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def create_private_key_file(path: Path) -> Ed25519PrivateKey:
    """A new Ed25519 key written to `path` (mode 0600, refusing to overwrite), with its public PEM beside it."""
    key = Ed25519PrivateKey.generate()
    _write_secret(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    path.with_suffix(".pub.pem").write_text(public_key_pem(key.public_key()))
    return key


def load_or_create_keys(data_dir: Path) -> ExchangeKeys:
    """Read the exchange's keys from `data_dir/keys`, creating them (mode 0600) on first start."""
    key_dir = data_dir / "keys"
    new_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem = _read_or_create(key_dir / _SIGNING_KEY, new_key)
    try:
        private = load_private_key(pem)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{key_dir / _SIGNING_KEY} is not an Ed25519 private key") from exc
    secret = _read_or_create(key_dir / _SESSION_SECRET, secrets.token_urlsafe(48).encode()).decode().strip()
    pub_path = key_dir / "exchange-ed25519.pub.pem"
    if not pub_path.exists():
        pub_path.write_text(public_key_pem(private.public_key()))
    return ExchangeKeys(signing_key=private, session_secret=secret)
