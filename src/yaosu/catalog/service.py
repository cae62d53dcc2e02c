"""Catalog actions: keyword search with filters and paging, and the DCAT 3 export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from yaosu.auth.actor import Actor
from yaosu.auth.models import Party
from yaosu.auth.policies import ANY_ROLE, action
from yaosu.auth.service import find_operator
from yaosu.catalog import dcat
from yaosu.catalog.schemas import MAX_QUERY_CHARS, MAX_QUERY_TERMS, CatalogItem, CatalogPage, CatalogQuery
from yaosu.catalog.search import rank_terms, search, text_query, tune_planner
from yaosu.catalog.terms import query_terms
from yaosu.errors import Invalid
from yaosu.quality.models import QualityAssessment
from yaosu.resources.enums import ResourceStatus
from yaosu.resources.models import Resource
from yaosu.resources.policies import PUBLIC_STATUSES

DCAT_PAGE_SIZE = 1000

_ITEM_COLUMNS = (Resource.id, Resource.title, Resource.description, Resource.domain, Resource.classification,
                 Resource.grade, Resource.level, Resource.open_condition, Resource.holder_party_id,
                 Party.name.label("holder_name"), Resource.status, Resource.tags, Resource.updated_at)


def _check_query(q: str) -> None:
    """Refuse keywords too long to answer quickly (Invalid on field q)."""
    if len(q) > MAX_QUERY_CHARS:
        raise Invalid(f"the query is longer than {MAX_QUERY_CHARS} characters", field="q")
    if len(query_terms(q)) > MAX_QUERY_TERMS:
        raise Invalid(f"the query has more than {MAX_QUERY_TERMS} search terms; shorten it", field="q")


def _visibility(actor: Actor) -> list[ColumnElement[bool]]:
    """Public (notice, registered) resources, the actor's own party's uncancelled ones; all for overseers."""
    if actor.oversees:
        return []
    public = Resource.status.in_(sorted(PUBLIC_STATUSES))
    if actor.is_anonymous or not actor.party_id:
        return [public]
    own = and_(Resource.holder_party_id == actor.party_id, Resource.status != ResourceStatus.CANCELLED.value)
    return [or_(public, own)]


def _filters(query: CatalogQuery) -> list[ColumnElement[bool]]:
    """Equality filters for each field of `query` that is set."""
    pairs: list[tuple[Any, str | None]] = [
        (Resource.domain, query.domain), (Resource.classification, query.classification),
        (Resource.grade, query.grade), (Resource.open_condition, query.open_condition),
        (Resource.holder_party_id, query.holder_party_id)]
    return [column == str(value) for column, value in pairs if value is not None]


def _items(session: Session, ids: list[str]) -> list[CatalogItem]:
    """The catalog entries of `ids` with their holders' names (one query), in the order of `ids`."""
    if not ids:
        return []
    stmt = (select(*_ITEM_COLUMNS).join(Party, Party.id == Resource.holder_party_id)
            .where(Resource.id.in_(ids)))
    by_id = {row.id: CatalogItem.model_validate(row._mapping) for row in session.execute(stmt)}
    scores = signed_scores(session, ids)
    return [by_id[i].model_copy(update={"quality_overall": scores.get(i)}) for i in ids if i in by_id]


@action("catalog.search", roles=ANY_ROLE, public=True)
def search_catalog(*, session: Session, actor: Actor, query: CatalogQuery) -> CatalogPage:
    """One page of the catalog entries `actor` may see that contain every keyword and match every filter."""
    _check_query(query.q)
    text = text_query(query.q)
    base = [*_filters(query), *_visibility(actor)]
    offset, limit = (query.page - 1) * query.page_size, query.page_size
    tune_planner(session)
    ranked = rank_terms(session, text.terms)
    indexed = query.holder_party_id is not None or query.domain is not None
    found = search(session, text, ranked, base, offset, limit, indexed_filter=indexed)
    return CatalogPage(items=_items(session, found.page_ids), total=found.total, page=query.page,
                       page_size=query.page_size, total_exact=found.total_exact)


@action("catalog.dcat", roles=ANY_ROLE, public=True)
def dcat_catalog(*, session: Session, actor: Actor, base_url: str, page: int = 1,
                 page_size: int = DCAT_PAGE_SIZE) -> dict[str, Any]:
    """The public (notice, registered) resources as a DCAT 3 catalog in JSON-LD, `page_size` per page."""
    if page < 1:
        raise Invalid("page starts at 1", field="page")
    if not 1 <= page_size <= DCAT_PAGE_SIZE:
        raise Invalid(f"page_size is between 1 and {DCAT_PAGE_SIZE}", field="page_size")
    columns = (*_ITEM_COLUMNS, Party.kind.label("holder_kind"), Resource.update_frequency,
               Resource.time_span_start, Resource.time_span_end, Resource.created_at)
    stmt = (select(*columns).join(Party, Party.id == Resource.holder_party_id)
            .where(Resource.status.in_(sorted(PUBLIC_STATUSES)))
            .order_by(Resource.updated_at.desc(), Resource.id.desc())
            .limit(page_size + 1).offset((page - 1) * page_size))
    rows = [dict(row._mapping) for row in session.execute(stmt)]
    operator = find_operator(session)
    publisher = dcat.Publisher(id=operator.id, name=operator.name, kind=operator.kind) if operator else None
    return dcat.catalog_document(base_url=base_url, publisher=publisher, rows=rows[:page_size], page=page,
                                 has_next=len(rows) > page_size)


def signed_scores(session: Session, ids: list[str]) -> dict[str, float | None]:
    """Resource id → overall score of its newest signed quality assessment (one query; absent if none)."""
    stmt = (select(QualityAssessment.resource_id, QualityAssessment.overall)
            .where(QualityAssessment.resource_id.in_(ids))
            .order_by(QualityAssessment.created_at, QualityAssessment.id))
    return {resource_id: overall for resource_id, overall in session.execute(stmt)}
