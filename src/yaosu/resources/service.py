"""Actions on data resources: create, add a version, read, list, and public-data source claims."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yaosu import clock
from yaosu.auth.actor import Actor
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.roles import Role
from yaosu.auth.service import require_active_party
from yaosu.catalog.index import reindex
from yaosu.errors import Conflict, Invalid, NotFound, PolicyViolation
from yaosu.ledger import Event, append
from yaosu.resources.enums import Classification, Grade, ResourceStatus
from yaosu.resources.models import PublicDataSource, Resource, ResourceVersion, SourceConflict
from yaosu.resources.policies import can_read
from yaosu.resources.schemas import ResourceCreate, VersionCreate
from yaosu.rights.service import create_original_rights

PROVIDERS = frozenset({Role.PROVIDER, Role.MERCHANT, Role.TRUSTEE})
OVERSEERS = frozenset({Role.OPERATOR, Role.REGULATOR})


def _add_version(session: Session, resource: Resource, data: VersionCreate) -> ResourceVersion:
    latest = resource.latest_version()
    if latest is not None and latest.content_hash == data.content_hash:
        raise Conflict("content unchanged: this hash is already the current version", field="content_hash")
    version = ResourceVersion(resource_id=resource.id, number=resource.current_version + 1,
                              content_hash=data.content_hash, row_count=data.row_count,
                              schema_fields=[f.model_dump() for f in data.schema_fields])
    session.add(version)
    resource.versions.append(version)
    resource.current_version = version.number
    resource.updated_at = clock.now()
    return version


def _claim_source(session: Session, actor: Actor, resource: Resource) -> None:
    """一数一源: the first resource for a public data item is its source; a second claim is a conflict."""
    code = resource.data_item_code
    if code is None:
        return
    source = session.get(PublicDataSource, code)
    if source is None:
        session.add(PublicDataSource(item_code=code, resource_id=resource.id, party_id=resource.holder_party_id))
        return
    conflict = SourceConflict(item_code=code, authoritative_resource_id=source.resource_id,
                              claimant_resource_id=resource.id)
    session.add(conflict)
    session.flush()
    append(session, actor, Event("resource.source_conflict", "source_conflict", conflict.id,
                                 {"item_code": code, "authoritative": source.resource_id,
                                  "claimant": resource.id}))


@action("resource.create", roles=PROVIDERS)
def create_resource(*, session: Session, actor: Actor, data: ResourceCreate) -> Resource:
    """Register metadata of a new data resource held by the actor's party, with its first version."""
    require_active_party(session, actor.party_id, field="actor")
    if data.grade == Grade.CORE:
        raise PolicyViolation("core data (核心数据) may not be registered or traded", field="grade",
                              code="core_data_refused")
    if data.classification == Classification.PUBLIC and not actor.has(Role.PROVIDER, Role.TRUSTEE):
        raise PolicyViolation("public data is registered by its holder body", field="classification")
    now = clock.now()
    resource = Resource(holder_party_id=actor.party_id, status=ResourceStatus.DRAFT.value,
                        created_at=now, updated_at=now, current_version=0,
                        **data.model_dump(exclude={"version"}, mode="json"))
    resource.time_span_start, resource.time_span_end = data.time_span_start, data.time_span_end
    session.add(resource)
    session.flush()
    version = _add_version(session, resource, data.version)
    create_original_rights(session, actor, resource)
    _claim_source(session, actor, resource)
    reindex(session, resource)
    session.flush()
    append(session, actor, Event("resource.created", "resource", resource.id,
                                 {"title": resource.title, "classification": resource.classification,
                                  "grade": resource.grade, "level": resource.level,
                                  "content_hash": version.content_hash, "row_count": version.row_count}))
    return resource


def load_resource(session: Session, actor: Actor, resource_id: str) -> Resource:
    """The resource if the actor may read it; otherwise NotFound (never reveal that it exists)."""
    resource = session.get(Resource, resource_id)
    if resource is None or not can_read(session, actor, resource):
        raise NotFound("no such resource", field="resource_id")
    return resource


@action("resource.get", roles=ANY_ROLE, public=True)
def get_resource(*, session: Session, actor: Actor, resource_id: str) -> Resource:
    """One resource the actor may see."""
    return load_resource(session, actor, resource_id)


@action("resource.add_version", roles=PROVIDERS)
def add_version(*, session: Session, actor: Actor, resource_id: str, data: VersionCreate) -> ResourceVersion:
    """Record new content of the actor's resource as a new version with its own hash."""
    resource = load_resource(session, actor, resource_id)
    if resource.holder_party_id != actor.party_id:
        raise NotFound("no such resource", field="resource_id")
    if resource.status == ResourceStatus.CANCELLED.value:
        raise Invalid("a cancelled resource takes no new versions", field="resource_id")
    version = _add_version(session, resource, data)
    session.flush()
    append(session, actor, Event("resource.version_added", "resource", resource.id,
                                 {"number": version.number, "content_hash": version.content_hash,
                                  "row_count": version.row_count}))
    return version


@action("resource.list_own", roles=ANY_ROLE)
def list_own_resources(*, session: Session, actor: Actor, limit: int = 50, offset: int = 0) -> list[Resource]:
    """Resources held by the actor's party, newest first, any status."""
    stmt = (select(Resource).where(Resource.holder_party_id == actor.party_id)
            .order_by(Resource.created_at.desc()).limit(min(limit, 200)).offset(offset))
    return list(session.scalars(stmt))


@action("resource.list_conflicts", roles=OVERSEERS)
def list_source_conflicts(*, session: Session, actor: Actor, status: str = "open") -> list[SourceConflict]:
    """Public-data items claimed by more than one source (operator, regulator)."""
    stmt = select(SourceConflict).where(SourceConflict.status == status).order_by(SourceConflict.created_at)
    return list(session.scalars(stmt))


@action("resource.resolve_conflict", roles=frozenset({Role.OPERATOR}))
def resolve_source_conflict(*, session: Session, actor: Actor, conflict_id: str, reassign: bool,
                            note: str) -> SourceConflict:
    """Keep the authoritative source, or make the claimant the one source of the item (operator)."""
    conflict = session.get(SourceConflict, conflict_id)
    if conflict is None:
        raise NotFound("no such conflict", field="conflict_id")
    if conflict.status != "open":
        raise Conflict("this conflict is already resolved", field="conflict_id")
    if reassign:
        source = session.get(PublicDataSource, conflict.item_code)
        claimant = session.get(Resource, conflict.claimant_resource_id)
        assert source is not None and claimant is not None
        source.resource_id, source.party_id = claimant.id, claimant.holder_party_id
    conflict.status = "reassigned" if reassign else "kept"
    conflict.resolution_note = note
    conflict.resolved_at = clock.now()
    append(session, actor, Event("resource.conflict_resolved", "source_conflict", conflict.id,
                                 {"status": conflict.status, "note": note}))
    return conflict


def count_resources(session: Session) -> int:
    """How many resources exist (for status pages)."""
    return int(session.scalar(select(func.count()).select_from(Resource)) or 0)
