"""Map every error to one JSON shape: {"code", "message", "field"?, "details"?}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from yaosu.errors import YaosuError


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


async def _yaosu_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, YaosuError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    return JSONResponse(exc.to_dict(), status_code=exc.http_status, headers=headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    body = {"code": "invalid", "message": str(first.get("msg")), "field": _field(tuple(first.get("loc", ()))),
            "details": {"errors": [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg"),
                                    "type": e.get("type")} for e in errors[:20]]}}
    return JSONResponse(body, status_code=422)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}.get(exc.status_code, "http_error")
    return JSONResponse({"code": code, "message": str(exc.detail)}, status_code=exc.status_code)


def install(app: FastAPI) -> None:
    """Register the handlers; views never build HTTP errors themselves."""
    app.add_exception_handler(YaosuError, _yaosu_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
