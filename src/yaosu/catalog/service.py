# stand-in until the catalog branch is merged
"""Catalog search over the resources an actor may see (substring match on the indexed text)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.catalog.models import CatalogText
from yaosu.catalog.schemas import CatalogItem, CatalogPage, CatalogQuery
from yaosu.catalog.terms import query_fragments
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.resources.policies import PUBLIC_STATUSES


def _visible(actor: Actor) -> ColumnElement[bool]:
    public = Resource.status.in_(PUBLIC_STATUSES)
    if actor.oversees:
        return Resource.id.is_not(None)
    if actor.party_id:
        own = and_(Resource.holder_party_id == actor.party_id,
                   Resource.status != ResourceStatus.CANCELLED.value)
        return or_(public, own)
    return public


def _conditions(actor: Actor, query: CatalogQuery) -> list[ColumnElement[bool]]:
    conditions = [_visible(actor)]
    for column, value in ((Resource.domain, query.domain), (Resource.classification, query.classification),
                          (Resource.grade, query.grade), (Resource.open_condition, query.open_condition),
                          (Resource.holder_party_id, query.holder_party_id)):
        if value:
            conditions.append(column == value)
    for fragment in query_fragments(query.q):
        texts = select(CatalogText.resource_id).where(CatalogText.text.contains(fragment, autoescape=True))
        conditions.append(Resource.id.in_(texts))
    return conditions


@action("catalog.search", roles=ANY_ROLE, public=True)
def search_catalog(*, session: Session, actor: Actor, query: CatalogQuery) -> CatalogPage:
    """One page of catalog items matching `query` that the actor may see, newest first."""
    stmt = (select(Resource, Party.name).join(Party, Party.id == Resource.holder_party_id)
            .where(*_conditions(actor, query)))
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.execute(stmt.order_by(Resource.updated_at.desc(), Resource.id.desc())
                           .limit(query.page_size).offset((query.page - 1) * query.page_size)).all()
    items = [CatalogItem(id=r.id, title=r.title, description=r.description, domain=r.domain,
                         classification=r.classification, grade=r.grade, level=r.level,
                         open_condition=r.open_condition, holder_party_id=r.holder_party_id, holder_name=name,
                         status=r.status, tags=list(r.tags or []), updated_at=r.updated_at)
             for r, name in rows]
    return CatalogPage(items=items, total=total, page=query.page, page_size=query.page_size)
