"""The provider's registration form: field list, parsing into ResourceCreate, errors per field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from yaosu.errors import YaosuError
from yaosu.resources.enums import DOMAINS, Classification, Grade, OpenCondition, UpdateFrequency
from yaosu.resources.schemas import ResourceCreate
from yaosu.web.i18n import Translator

FORM_ERROR = "__form__"
_TAG_SPLIT = re.compile(r"[,，、;；]")
_VERSION_FIELDS = ("content_hash", "row_count")


@dataclass(frozen=True)
class Field:
    """One input of the form: its name, widget, and choices as (value, vocabulary) for selects."""

    name: str
    widget: str = "text"
    choices: tuple[str, ...] = ()
    vocabulary: str = ""
    required: bool = False
    wide: bool = False


RESOURCE_FIELDS: tuple[Field, ...] = (
    Field("title", required=True, wide=True),
    Field("description", widget="textarea", wide=True),
    Field("domain", widget="select", choices=tuple(DOMAINS), vocabulary="domain", required=True),
    Field("classification", widget="select", choices=tuple(Classification), vocabulary="classification",
          required=True),
    Field("grade", widget="select", choices=(Grade.GENERAL, Grade.IMPORTANT), vocabulary="grade",
          required=True),
    Field("level", widget="select", choices=("1", "2", "3", "4"), vocabulary="level"),
    Field("open_condition", widget="select", choices=tuple(OpenCondition), vocabulary="open_condition"),
    Field("data_item_code"),
    Field("source_system"),
    Field("update_frequency", widget="select", choices=tuple(UpdateFrequency), vocabulary="update_frequency",
          required=True),
    Field("tags"),
    Field("content_hash", required=True),
    Field("row_count", widget="number", required=True),
)
FIELD_NAMES = frozenset(f.name for f in RESOURCE_FIELDS)
DEFAULTS = {"update_frequency": UpdateFrequency.MONTHLY.value, "grade": Grade.GENERAL.value}


def form_values(form: dict[str, str]) -> dict[str, str]:
    """The submitted values of the form's fields, trimmed (to re-fill the form)."""
    return {name: form.get(name, "").strip() for name in FIELD_NAMES}


def parse_resource(values: dict[str, str]) -> ResourceCreate:
    """A ResourceCreate from form values (an empty input counts as not given); raises ValidationError."""
    given = {k: v for k, v in values.items() if v != ""}
    body: dict[str, Any] = {k: v for k, v in given.items() if k not in _VERSION_FIELDS}
    body["tags"] = [t for t in _TAG_SPLIT.split(values.get("tags", "")) if t.strip()]
    body["version"] = {k: given[k] for k in _VERSION_FIELDS if k in given}
    return ResourceCreate.model_validate(body)


def _field_of(error: ErrorDetails) -> str:
    loc = [str(part) for part in error["loc"]]
    if loc and loc[0] == "version":
        loc = loc[1:]
    if loc and loc[0] in FIELD_NAMES:
        return loc[0]
    # Model-level rules name their field in the message ("general data needs a level").
    words = set(re.findall(r"[a-z_]+", error["msg"].lower()))
    return next((f.name for f in RESOURCE_FIELDS if f.name in words), FORM_ERROR)


def _message(error: ErrorDetails, field: str, t: Translator) -> str:
    params = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (int, str))}
    for key in (f"validation.{error['type']}.{field}", f"validation.{error['type']}"):
        if t.has(key):
            return t(key, **params)
    return error["msg"].removeprefix("Value error, ")


def validation_errors(exc: ValidationError, t: Translator) -> dict[str, str]:
    """Field name → the first message for it; FORM_ERROR for what no field owns."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = _field_of(error)
        errors.setdefault(field, _message(error, field, t))
    return errors


def service_errors(exc: YaosuError, t: Translator) -> dict[str, str]:
    """A service's refusal as a form error, on its field if the form has that field."""
    key = f"service_error.{exc.code}"
    message = t(key) if t.has(key) else exc.message
    return {exc.field if exc.field in FIELD_NAMES else FORM_ERROR: message}
