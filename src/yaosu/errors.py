"""One error hierarchy for every layer; adapters map it to HTTP or exit codes in one place."""

from __future__ import annotations

from typing import Any, ClassVar


class YaosuError(Exception):
    """Base error: a stable machine-readable code, a message and optionally the field concerned."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}
        if code is not None:
            self.code = code  # type: ignore[misc]

    def to_dict(self) -> dict[str, Any]:
        """The one JSON shape every API error takes."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class NotFound(YaosuError):
    code = "not_found"
    http_status = 404


class Unauthenticated(YaosuError):
    code = "unauthenticated"
    http_status = 401


class Forbidden(YaosuError):
    code = "forbidden"
    http_status = 403


class Invalid(YaosuError):
    code = "invalid"
    http_status = 422


class Conflict(YaosuError):
    code = "conflict"
    http_status = 409


class BudgetExceeded(YaosuError):
    code = "budget_exceeded"
    http_status = 429


class PolicyViolation(YaosuError):
    code = "policy_violation"
    http_status = 422
