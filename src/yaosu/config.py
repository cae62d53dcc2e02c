"""Settings from the environment (prefix YAOSU_) with sensible embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from yaosu.ledger import note


class Settings(BaseSettings):
    """Process-wide configuration; every field can be set as YAOSU_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="YAOSU_", extra="ignore")

    data_dir: Path = Field(default=Path("./.yaosu"), description="where the embedded database, keys and vault live")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default a SQLite file in data_dir")
    exchange_name: str = "要素数据交易所"
    exchange_origin: str = Field(default="yaosu.local/exchange", description="log origin and issuer identity")
    notice_days: int = Field(default=10, ge=0, le=365, description="public-notice period of a registration")
    certificate_years: int = Field(default=3, ge=1, le=30, description="validity of a registration certificate")
    ledger_witnesses: list[str] = Field(
        default_factory=list,
        description="verifier keys (name+keyid+base64, type 0x04) of witnesses whose cosignatures are accepted "
                    "and checked, as a JSON list")
    dp_default_epsilon: float = Field(default=1.0, gt=0, le=100,
                                      description="a dataset's total DP epsilon until its owner sets one")
    payment_gateway: str = Field(default="simulated", description="payment gateway for deposits and withdrawals "
                                 "(only 'simulated', the simulated bank, ships)")
    sql_echo: bool = False

    @field_validator("payment_gateway")
    @classmethod
    def _known_gateway(cls, name: str) -> str:
        from yaosu.settlement.gateway import GATEWAYS

        if name not in GATEWAYS:
            raise ValueError(f"unknown payment gateway {name!r}; known: {', '.join(GATEWAYS)}")
        return name

    @field_validator("ledger_witnesses")
    @classmethod
    def _valid_witness_keys(cls, keys: list[str]) -> list[str]:
        for vkey in keys:
            note.parse_cosigner_vkey(vkey)  # ValueError names what is wrong
        return keys

    def witness_keys(self) -> dict[str, Ed25519PublicKey]:
        """The configured witnesses: name -> Ed25519 public key."""
        return dict(note.parse_cosigner_vkey(vkey) for vkey in self.ledger_witnesses)

    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'yaosu.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process settings, read once."""
    return Settings()
