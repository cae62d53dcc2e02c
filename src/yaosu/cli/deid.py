"""`yaosu node mask|anonymize|lineage`: de-identify a vault dataset into a new derived dataset, with lineage.

The file forms (`yaosu mask INPUT --out OUTPUT`, `yaosu anonymize INPUT --out OUTPUT`) stay as they
are; these sub-commands take a vault dataset id and write the result back into the vault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from yaosu.cli.anonymize import (
    BandOption,
    HierarchyOption,
    KOption,
    LOption,
    QiOption,
    SensitiveOption,
    SuppressionOption,
    load_hierarchy,
    name_values,
    render,
)
from yaosu.cli.context import DataDirOption, emit, resolve_actor, work
from yaosu.deid import service
from yaosu.deid.keys import DEFAULT_LABEL
from yaosu.deid.models import DatasetLineage
from yaosu.errors import Invalid
from yaosu.node.vault import Vault
from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.mask.policy import load_policy

UserOption = typer.Option(None, "--user", "--as", help="Act as this username (default: the local operator)")
JsonOption = typer.Option(False, "--json", help="Print JSON")
NameOption = typer.Option(..., "--name", help="Name of the derived dataset")
ResourceOption = typer.Option(None, "--resource", help="Also register the result as a new version of this resource")


def lineage_json(row: DatasetLineage) -> dict[str, Any]:
    """A lineage row as JSON (hashes, parameters, reports; never a value or a key)."""
    return {"dataset_id": row.dataset_id, "source_dataset_id": row.source_dataset_id,
            "source_content_hash": row.source_content_hash, "operation": row.operation,
            "parameters_hash": row.parameters_hash, "parameters": row.parameters, "report": row.report,
            "key_id": row.key_id, "resource_id": row.resource_id, "resource_version": row.resource_version,
            "actor_party_id": row.actor_party_id, "created_at": row.created_at.isoformat()}


def _mask_text(data: dict[str, Any]) -> str:
    ops = "\n".join(f"  {c}: {r['operator']}" for c, r in data["parameters"]["columns"].items())
    after = data["report"]["after"]["entities"]
    return (f"派生数据集 / derived dataset {data['dataset_id']} ← {data['source_dataset_id']}\n"
            f"策略哈希 / policy hash: {data['parameters_hash']}\n密钥 / key: {data['key_id']}\n{ops}\n"
            f"脱敏后仍识别出的实体 / entities still found after masking: {after or '无 / none'}")


def mask(dataset_id: str = typer.Argument(..., help="Vault dataset id"), name: str = NameOption,
         policy_file: Path | None = typer.Option(None, "--policy", help="Policy YAML/JSON (default: from a scan)"),
         key_label: str = typer.Option(DEFAULT_LABEL, "--key-label",
                                       help="Product key on the node (same label, same pseudonyms)"),
         resource_id: str | None = ResourceOption, as_user: str | None = UserOption, json_out: bool = JsonOption,
         data_dir: Path | None = DataDirOption) -> None:
    """Mask a vault dataset into a new vault dataset (脱敏), streaming, all or nothing, with lineage."""
    with work(data_dir) as (runtime, session):
        policy = load_policy(policy_file) if policy_file else None
        row = service.mask_dataset(session=session, actor=resolve_actor(session, as_user),
                                   vault=Vault.for_data_dir(runtime.data_dir), dataset_id=dataset_id, name=name,
                                   policy=policy, key_label=key_label, resource_id=resource_id)
        data = lineage_json(row)
    emit(data, json_out, _mask_text)


def _config(k: int, qi: str, sensitive: str | None, l_diversity: int | None, max_suppression: float,
            hierarchy: list[str], band: list[str]) -> AnonymizeConfig:
    try:
        bands = {name: int(width) for name, width in name_values(band, "--band").items()}
    except ValueError:
        raise Invalid("a band width is a whole number", field="--band") from None
    return AnonymizeConfig(qi=tuple(c.strip() for c in qi.split(",") if c.strip()), k=k, sensitive=sensitive,
                           l_diversity=l_diversity, max_suppression=max_suppression, bands=bands,
                           hierarchies={n: load_hierarchy(s)
                                        for n, s in name_values(hierarchy, "--hierarchy").items()})


def anonymize(
    dataset_id: str = typer.Argument(..., help="Vault dataset id"), name: str = NameOption,
    k: int = KOption, qi: str = QiOption, sensitive: str | None = SensitiveOption, l_diversity: int | None = LOption,
    max_suppression: float = SuppressionOption, hierarchy: list[str] = HierarchyOption, band: list[str] = BandOption,
    resource_id: str | None = ResourceOption,
    as_user: str | None = UserOption, json_out: bool = JsonOption, data_dir: Path | None = DataDirOption,
) -> None:
    """k-anonymize a vault dataset into a new vault dataset (匿名化) and print the before/after risk report."""
    with work(data_dir) as (runtime, session):
        config = _config(k, qi, sensitive, l_diversity, max_suppression, hierarchy, band)
        row = service.anonymize_dataset(session=session, actor=resolve_actor(session, as_user),
                                        vault=Vault.for_data_dir(runtime.data_dir), dataset_id=dataset_id,
                                        name=name, config=config, resource_id=resource_id)
        data = lineage_json(row)
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"派生数据集 / derived dataset {data['dataset_id']} ← {data['source_dataset_id']}")
    typer.echo(f"参数哈希 / config hash: {data['parameters_hash']}")
    typer.echo(render(_report(row.report)))


def _report(report: dict[str, Any]) -> Any:
    """The stored report dict back as attribute access for `render`."""
    from types import SimpleNamespace

    def ns(value: Any) -> Any:
        return SimpleNamespace(**{k: ns(v) if isinstance(v, dict) and k != "ncp" else v
                                  for k, v in value.items()}) if isinstance(value, dict) else value
    return ns(report)


def lineage(dataset_id: str, as_user: str | None = UserOption, data_dir: Path | None = DataDirOption) -> None:
    """Print a dataset's lineage (where it came from, what was derived from it) as JSON."""
    with work(data_dir) as (_, session):
        view = service.get_lineage(session=session, actor=resolve_actor(session, as_user), dataset_id=dataset_id)
        data = {"dataset_id": view.dataset.id, "lineage": lineage_json(view.lineage) if view.lineage else None,
                "derived": [{"dataset_id": d.dataset_id, "operation": d.operation,
                             "parameters_hash": d.parameters_hash} for d in view.derived]}
    emit(data, True)
