"""The public catalog: keyword search with filters, and the DCAT 3 export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from yaosu.api.deps import OptionalActorDep, SessionDep
from yaosu.auth.actor import Actor
from yaosu.catalog import service
from yaosu.catalog.schemas import CatalogPage, CatalogQuery

router = APIRouter(tags=["catalog"])


class JSONLDResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get("/catalog/search")
def search(query: Annotated[CatalogQuery, Query()], session: SessionDep,
           actor: OptionalActorDep) -> CatalogPage:
    """Search the catalog (anonymous visitors see public resources; holders also their own)."""
    return service.search_catalog(session=session, actor=actor or Actor.anonymous(), query=query)


@router.get("/catalog/dcat", response_class=JSONLDResponse,
            responses={200: {"content": {"application/ld+json": {}}}})
def dcat(request: Request, session: SessionDep, actor: OptionalActorDep,
         page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Any:
    """The public resources as a DCAT 3 catalog (JSON-LD), 1000 per page with a `hydra:next` link."""
    base_url = str(request.base_url).rstrip("/")
    document = service.dcat_catalog(session=session, actor=actor or Actor.anonymous(), base_url=base_url,
                                    page=page)
    return JSONLDResponse(document)
