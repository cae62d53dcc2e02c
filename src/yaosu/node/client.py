"""The exchange's only door to a data node (DESIGN.md, "The exchange ↔ node boundary").

The exchange asks a node for facts about a dataset (content hash, rows, schema) and for a scan
report; it never reads a node's files. `LocalNode` answers in-process from this node's vault; a
node run on a provider's premises would answer the same `NodeClient` protocol over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.node import service as node_service
from yaosu.node.vault import Vault
from yaosu.privacy.grading_rules import Rules, load_rules
from yaosu.privacy.report import build_report, report_json, report_reasons
from yaosu.privacy.scan import scan_source
from yaosu.sandbox import node as sandbox_node
from yaosu.sandbox.query import Answer, Prepared, Rule, execute
from yaosu.sandbox.runner import Limits
from yaosu.sandbox.verification import VerificationRule


@dataclass(frozen=True)
class DatasetFacts:
    """What the exchange may know of a dataset without its rows."""

    dataset_id: str
    name: str
    content_hash: str
    row_count: int
    schema_fields: list[dict[str, Any]]


@dataclass(frozen=True)
class NodeScan:
    """A scan report in the `yaosu scan --json` shape and the grading reasons: names and counts, no values."""

    report: dict[str, Any]
    reasons: dict[str, Any]


@dataclass(frozen=True)
class SandboxTarget:
    """A sandbox or verification product on a node: its dataset, its lister (whose key salts it), its rule."""

    dataset_id: str
    product_id: str
    lister: str
    rule_hash: str


class NodeClient(Protocol):
    """What the exchange asks of a node."""

    def describe(self, session: Session, actor: Actor, dataset_id: str) -> DatasetFacts:
        """Facts about a dataset the actor's party holds on the node."""

    def scan(self, session: Session, actor: Actor, dataset_id: str, declared: str | None) -> NodeScan:
        """Scan and grade the dataset on the node (graded with the `declared` classification if given)."""

    def sandbox_key_id(self, party_id: str) -> str:
        """Which node key salts and keys the party's sandbox products (label:fingerprint, not the key)."""

    def sandbox_query(self, session: Session, target: SandboxTarget, rule: Rule, prepared: Prepared,
                      buyer: pa.Table | None, limits: Limits | None) -> Answer:
        """Run a checked query next to the data; only the answer leaves the node."""

    def build_index(self, session: Session, target: SandboxTarget, rule: VerificationRule) -> None:
        """Build the verification product's keyed-hash index on the node."""

    def verify(self, session: Session, target: SandboxTarget, rule: VerificationRule, records: pa.Table) -> pa.Table:
        """核验 submitted records against the index: a result per record and field, never a stored value."""


@dataclass
class LocalNode:
    """The node in this process: datasets in `vault`, graded by `rules` (default: the built-in rules)."""

    vault: Vault
    rules: Rules | None = None
    progress: Callable[[int], None] | None = field(default=None, repr=False)

    def describe(self, session: Session, actor: Actor, dataset_id: str) -> DatasetFacts:
        """The dataset's recorded hash, rows and schema (owner or operator)."""
        row = node_service.get_dataset(session=session, actor=actor, dataset_id=dataset_id)
        return DatasetFacts(dataset_id=row.id, name=row.name, content_hash=row.content_hash,
                            row_count=row.row_count, schema_fields=list(row.schema_fields))

    def scan(self, session: Session, actor: Actor, dataset_id: str, declared: str | None) -> NodeScan:
        """Decrypt the dataset batch by batch, scan and grade it; only the report leaves."""
        source = node_service.read_dataset(session=session, actor=actor, vault=self.vault, dataset_id=dataset_id)
        report = build_report(scan_source(source, progress=self.progress), self.rules or load_rules(), declared)
        return NodeScan(report=report_json(report), reasons=report_reasons(report))

    def sandbox_key_id(self, party_id: str) -> str:
        """The party's sandbox key id on this node."""
        return sandbox_node.party_key(self.vault, party_id).key_id

    def sandbox_query(self, session: Session, target: SandboxTarget, rule: Rule, prepared: Prepared,
                      buyer: pa.Table | None, limits: Limits | None) -> Answer:
        """Run a checked query over the product table (loaded once, cached) and the buyer's upload."""
        dataset = sandbox_node.dataset_row(session, target.dataset_id)
        loaded = sandbox_node.product_table(self.vault, dataset, rule, target.rule_hash, target.product_id,
                                            target.lister)
        return execute(prepared, rule, loaded.table, buyer, limits, loaded.engine)

    def build_index(self, session: Session, target: SandboxTarget, rule: VerificationRule) -> None:
        """Build and store the keyed-hash index from the dataset."""
        sandbox_node.build_index(self.vault, sandbox_node.dataset_row(session, target.dataset_id), rule,
                                 target.product_id, target.lister)

    def verify(self, session: Session, target: SandboxTarget, rule: VerificationRule, records: pa.Table) -> pa.Table:
        """Check records against the (loaded) index with the product's key."""
        dataset = sandbox_node.dataset_row(session, target.dataset_id)
        index = sandbox_node.load_index(self.vault, dataset, rule, target.product_id, target.lister)
        return index.check(records, sandbox_node.verification_key(self.vault, target.product_id, target.lister))
