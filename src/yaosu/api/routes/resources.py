"""Data resources and public-data source conflicts."""

from __future__ import annotations

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, RuntimeDep, SessionDep, VisitorDep
from yaosu.errors import NotFound
from yaosu.node.client import LocalNode
from yaosu.node.vault import Vault
from yaosu.resources import from_dataset as register
from yaosu.resources import scan_service, service
from yaosu.resources.scan_schemas import ScanRead, ScanRecord
from yaosu.resources.schemas import (
    DatasetRegistration,
    ResourceCreate,
    ResourceRead,
    SourceConflictRead,
    VersionCreate,
    VersionRead,
)

router = APIRouter(tags=["resources"])


@router.post("/resources", status_code=201)
def create_resource(data: ResourceCreate, session: SessionDep, actor: ActorDep) -> ResourceRead:
    """Describe a new data resource held by the acting party."""
    return ResourceRead.model_validate(service.create_resource(session=session, actor=actor, data=data))


@router.post("/resources/from-dataset", status_code=201)
def register_dataset(data: DatasetRegistration, session: SessionDep, actor: ActorDep,
                     runtime: RuntimeDep) -> ResourceRead:
    """Register a dataset from the acting party's vault: hash, rows and schema from the node, its scan recorded."""
    node = LocalNode(Vault.for_data_dir(runtime.settings.data_dir))
    return ResourceRead.model_validate(register.register_dataset(session=session, actor=actor, node=node, data=data))


@router.get("/resources/mine")
def list_own(session: SessionDep, actor: ActorDep, limit: int = 50, offset: int = 0) -> list[ResourceRead]:
    """Resources held by the acting party."""
    rows = service.list_own_resources(session=session, actor=actor, limit=limit, offset=offset)
    return [ResourceRead.model_validate(r) for r in rows]


@router.get("/resources/{resource_id}")
def get_resource(resource_id: str, session: SessionDep, actor: VisitorDep) -> ResourceRead:
    """One resource the actor may see (404 otherwise)."""
    return ResourceRead.model_validate(service.get_resource(session=session, actor=actor, resource_id=resource_id))


@router.post("/resources/{resource_id}/versions", status_code=201)
def add_version(resource_id: str, data: VersionCreate, session: SessionDep, actor: ActorDep) -> VersionRead:
    """Record new content as a new version."""
    return VersionRead.model_validate(
        service.add_version(session=session, actor=actor, resource_id=resource_id, data=data))


@router.post("/resources/{resource_id}/scans", status_code=201)
def record_scan(resource_id: str, data: ScanRecord, session: SessionDep, actor: ActorDep) -> ScanRead:
    """Record a scan report (the `yaosu scan --json` shape plus its rule reasons) on the current version."""
    return ScanRead.model_validate(
        scan_service.record_scan(session=session, actor=actor, resource_id=resource_id, data=data))


@router.get("/resources/{resource_id}/scans/latest")
def latest_scan(resource_id: str, session: SessionDep, actor: VisitorDep) -> ScanRead:
    """The newest scan of a resource the actor may see (404 if none was recorded)."""
    resource = service.get_resource(session=session, actor=actor, resource_id=resource_id)
    scan = scan_service.latest_scan(session, resource.id)
    if scan is None:
        raise NotFound("no scan recorded for this resource", field="resource_id")
    return ScanRead.model_validate(scan)


@router.get("/source-conflicts")
def list_conflicts(session: SessionDep, actor: ActorDep, status: str = "open") -> list[SourceConflictRead]:
    """Public-data items with more than one claimed source (operator, regulator)."""
    rows = service.list_source_conflicts(session=session, actor=actor, status=status)
    return [SourceConflictRead.model_validate(c) for c in rows]
