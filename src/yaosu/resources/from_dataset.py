"""Register a dataset held in a node's vault: its content facts and its scan come from the node, not the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.policies import action
from yaosu.resources.models import Resource
from yaosu.resources.scan_schemas import ScanRecord
from yaosu.resources.scan_service import record_scan
from yaosu.resources.schemas import DatasetRegistration, ResourceCreate, SchemaField, VersionCreate
from yaosu.resources.service import PROVIDERS, create_resource

if TYPE_CHECKING:
    from yaosu.node.client import NodeClient


@action("resource.register_dataset", roles=PROVIDERS)
def register_dataset(*, session: Session, actor: Actor, node: NodeClient, data: DatasetRegistration) -> Resource:
    """Register the actor's vault dataset as a new resource: the version's content hash, rows and schema are the
    node's record of the dataset, and the node's scan is stored on the resource in the same transaction."""
    facts = node.describe(session, actor, data.dataset_id)
    fields = [SchemaField(name=str(f["name"])[:128], type=str(f["type"])[:64]) for f in facts.schema_fields]
    version = VersionCreate(content_hash=facts.content_hash, row_count=facts.row_count, schema_fields=fields)
    resource = create_resource(session=session, actor=actor,
                               data=ResourceCreate(**data.resource.model_dump(), version=version))
    scanned = node.scan(session, actor, data.dataset_id, declared=resource.classification)
    record_scan(session=session, actor=actor, resource_id=resource.id,
                data=ScanRecord.model_validate({"report": scanned.report, "reasons": scanned.reasons}))
    return resource
