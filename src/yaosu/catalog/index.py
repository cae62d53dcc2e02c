"""Keep a resource's search terms in step with its metadata (called by the resource services)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from yaosu.catalog.models import CatalogTerm, CatalogText
from yaosu.catalog.terms import index_terms, normalize
from yaosu.resources.models import Resource


def searchable_text(resource: Resource) -> str:
    """The text a keyword search looks in: title, description and tags, normalized as queries are."""
    return normalize("\n".join([resource.title, resource.description or "", " ".join(resource.tags or [])]))


def reindex(session: Session, resource: Resource) -> None:
    """Replace the index rows of `resource` with the terms of its current metadata."""
    text = searchable_text(resource)
    session.execute(delete(CatalogTerm).where(CatalogTerm.resource_id == resource.id))
    session.add_all([CatalogTerm(term=t, resource_id=resource.id) for t in sorted(index_terms(text))])
    existing = session.get(CatalogText, resource.id)
    if existing is None:
        session.add(CatalogText(resource_id=resource.id, text=text))
    else:
        existing.text = text
