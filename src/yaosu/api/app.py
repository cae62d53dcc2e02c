"""Assemble the application: the JSON API under /api/v1 and the web portal, every router mounted here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.middleware.sessions import SessionMiddleware

from yaosu import __version__
from yaosu.api import errors
from yaosu.api.deps import RuntimeDep
from yaosu.api.routes import (
    catalog,
    deid,
    ledger,
    market,
    parties,
    quality,
    registrations,
    resources,
    rights,
    sandbox,
    trading,
    watermark,
)
from yaosu.runtime import Runtime
from yaosu.web import routes as web

API_PREFIX = "/api/v1"

meta = APIRouter(tags=["exchange"])


@meta.get("/health")
def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok", "version": __version__}


@meta.get("/exchange")
def exchange_info(runtime: RuntimeDep) -> dict[str, Any]:
    """The exchange's name and public signing key (to verify certificates offline)."""
    return {"name": runtime.settings.exchange_name, "origin": runtime.settings.exchange_origin,
            "key_id": runtime.keys.key_id(), "public_key_pem": runtime.keys.public_key_pem()}


def create_app(runtime: Runtime) -> FastAPI:
    """The ASGI application over `runtime`."""
    app = FastAPI(title="Yaosu 要素数据交易所 API", version=__version__, openapi_url=f"{API_PREFIX}/openapi.json",
                  docs_url=f"{API_PREFIX}/docs", redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.middleware("http")(ledger.receipt_header)
    app.add_middleware(SessionMiddleware, secret_key=runtime.keys.session_secret, session_cookie="yaosu_session",
                       same_site="strict", https_only=False, max_age=8 * 3600)
    for router in (meta, parties.router, resources.router, rights.router, registrations.router, catalog.router,
                   ledger.router, market.router, trading.router, deid.router, quality.router, sandbox.router,
                   watermark.router):
        app.include_router(router, prefix=API_PREFIX)
    app.mount("/static", web.static_files(), name="static")
    app.include_router(web.router, include_in_schema=False)
    return app
