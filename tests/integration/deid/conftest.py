"""Fixtures for the de-identification tests: the node's vault and a provider holding a people dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.deid_files import write_people
from tests.factories import Factory
from yaosu.auth.actor import Actor
from yaosu.auth.roles import Role
from yaosu.node import service
from yaosu.node.models import Dataset
from yaosu.node.vault import Vault
from yaosu.runtime import Runtime


@pytest.fixture
def vault(runtime: Runtime) -> Vault:
    return Vault.for_data_dir(runtime.data_dir)


@pytest.fixture
def provider(factory: Factory) -> Actor:
    return factory.actor(Role.PROVIDER)


@pytest.fixture
def people_ds(session: Session, provider: Actor, vault: Vault, tmp_path: Path) -> Dataset:
    """The synthetic people table ingested by `provider`."""
    return service.add_dataset(session=session, actor=provider, vault=vault,
                               location=str(write_people(tmp_path / "people.parquet")), name="居民")


def vault_files(vault: Vault) -> list[str]:
    """Every file under the vault directory (temporary ones included)."""
    return sorted(p.name for p in vault.root.rglob("*") if p.is_file()) if vault.root.exists() else []
