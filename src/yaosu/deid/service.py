"""Derive de-identified datasets inside the vault (mask, anonymize) with lineage; read a dataset's lineage.

A derived dataset is a new vault dataset owned by the source's party, written like any ingest
(encrypted, verified, all or nothing: no row, no file), plus a lineage row and a ledger event that
carry the source's content hash, the operation, the parameters and their hash, the product key's
fingerprint and the before/after reports — never a value from the data (DOMAIN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.deid.keys import DEFAULT_LABEL, product_key
from yaosu.deid.lineage import (
    config_json,
    parameters_hash,
    record_lineage,
    scan_report,
    scan_summary,
)
from yaosu.deid.models import DatasetLineage
from yaosu.errors import Invalid
from yaosu.node.models import Dataset
from yaosu.node.readers import TableSource
from yaosu.node.service import INGESTERS, get_dataset, read_dataset, store_dataset
from yaosu.node.vault import Vault
from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.anonymize.files import output_batches, output_schema, read_source_columns
from yaosu.privacy.anonymize.pipeline import anonymize_table
from yaosu.privacy.mask.apply import apply_policy, check_columns, suppression_columns
from yaosu.privacy.mask.apply import output_schema as masked_schema
from yaosu.privacy.mask.defaults import default_policy, embedded_span_finder
from yaosu.privacy.mask.policy import Policy, policy_hash
from yaosu.privacy.mask.simple import count_values


def _name(name: str) -> str:
    if not name.strip():
        raise Invalid("名称不能为空 / the name must not be blank", field="name")
    return name.strip()


def _open(session: Session, actor: Actor, vault: Vault, dataset_id: str) -> TableSource:
    return read_dataset(session=session, actor=actor, vault=vault, dataset_id=dataset_id)


@action("dataset.mask", roles=INGESTERS)
def mask_dataset(*, session: Session, actor: Actor, vault: Vault, dataset_id: str, name: str,
                 policy: Policy | None = None, key_label: str = DEFAULT_LABEL,
                 resource_id: str | None = None) -> DatasetLineage:
    """Mask a vault dataset into a new one by `policy` (default: derived from a scan), streaming; its lineage.
    With `resource_id`, the new dataset is also registered as the next version of that resource."""
    name = _name(name)
    source = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    before = scan_report(_open(session, actor, vault, source.id))
    policy = policy if policy is not None else default_policy(before)
    key = product_key(vault.key_dir, source.owner_party_id, key_label)
    table = _open(session, actor, vault, source.id)
    check_columns(table.schema, policy)
    counted = suppression_columns(policy)
    frequencies = count_values(_open(session, actor, vault, source.id).batches, counted) if counted else None
    spans = embedded_span_finder() if any(r.operator == "replace_spans" for r in policy.columns.values()) else None
    batches = apply_policy(table.batches, table.schema, policy, key.secret, frequencies=frequencies,
                           find_spans=spans)
    masked = TableSource(name, masked_schema(table.schema, policy), batches, None,
                         f"masked from vault dataset {source.id}")
    derived = store_dataset(session, actor, vault, masked, name, owner_party_id=source.owner_party_id)
    after = scan_report(vault.open(derived.id, name))
    report = {"before": scan_summary(before), "after": scan_summary(after)}
    operators = {column: rule.operator for column, rule in policy.columns.items()}
    summary = {"operation": "mask", "operators": operators,
               "identified_columns_before": len(report["before"]["entities"]),
               "identified_columns_after": len(report["after"]["entities"]),
               "sensitive_columns_after": len(report["after"]["sensitive_columns"])}
    return record_lineage(session, actor, derived, source, operation="mask",
                          parameters=policy.model_dump(mode="json"), digest=policy_hash(policy), report=report,
                          key_id=key.key_id, summary=summary, resource_id=resource_id)


@action("dataset.anonymize", roles=INGESTERS)
def anonymize_dataset(*, session: Session, actor: Actor, vault: Vault, dataset_id: str, name: str,
                      config: AnonymizeConfig, resource_id: str | None = None) -> DatasetLineage:
    """k-anonymize a vault dataset into a new one (Mondrian + suppression); its lineage with the risk report.
    With `resource_id`, the new dataset is also registered as the next version of that resource."""
    name = _name(name)
    source = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    names = [*config.qi, *([config.sensitive] if config.sensitive else [])]
    opened = _open(session, actor, vault, source.id)
    missing = [n for n in names if n not in opened.schema.names]
    if missing:
        raise Invalid(f"数据集没有列 {missing[0]!r} / the dataset has no column {missing[0]!r}", field="qi")
    generalized, report = anonymize_table(read_source_columns(opened, names), config)
    table = _open(session, actor, vault, source.id)
    out = TableSource(name, output_schema(table.schema, config.qi),
                      output_batches(table, generalized, config.qi), None,
                      f"anonymized from vault dataset {source.id}")
    derived = store_dataset(session, actor, vault, out, name, owner_party_id=source.owner_party_id)
    parameters = config_json(config)
    summary = {"operation": "anonymize", "k": config.k, "l": config.l_diversity, "qi": list(config.qi),
               "sensitive": config.sensitive, "max_suppression": config.max_suppression,
               "k_before": report.before.k, "k_after": report.after.k,
               "suppressed_rows": report.loss.suppressed_rows}
    return record_lineage(session, actor, derived, source, operation="anonymize", parameters=parameters,
                          digest=parameters_hash(parameters), report=report.to_dict(), key_id=None,
                          summary=summary, resource_id=resource_id)


@dataclass(frozen=True)
class Lineage:
    """A dataset's own lineage (None for an ingested one) and the datasets derived from it."""

    dataset: Dataset
    lineage: DatasetLineage | None
    derived: list[DatasetLineage]


@action("dataset.lineage", roles=ANY_ROLE)
def get_lineage(*, session: Session, actor: Actor, dataset_id: str) -> Lineage:
    """Where a dataset came from and what was derived from it (owner or operator; NotFound for anyone else)."""
    row = get_dataset(session=session, actor=actor, dataset_id=dataset_id)
    own = session.scalar(select(DatasetLineage).where(DatasetLineage.dataset_id == row.id))
    children = session.scalars(select(DatasetLineage).where(DatasetLineage.source_dataset_id == row.id)
                               .order_by(DatasetLineage.created_at, DatasetLineage.id)).all()
    return Lineage(row, own, list(children))

