"""Request bodies of the API's write operations, parsed once into frozen models.

Pydantic checks the spec's types; every problem becomes a FieldError with the bare field
name and a JSON-schema keyword, exactly as query parameters report theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic import Field as _Field

from mockapi.backups.lifecycle import check_cron, check_ttl
from mockapi.errors import FieldError, InvalidValue, ValidationFailed, js_path
from mockapi.ids import UUID, json_type

_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
MAX_TEXT = 4096
MAX_PATHS = 100

Model = TypeVar("Model", bound=BaseModel)


class _NoBody:
    """The request had no body at all (a JSON `null` is a body: None)."""

    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Any = _NoBody()


def _date_time(value: Any) -> datetime:
    if not isinstance(value, str):
        given = json_type(value)
        raise InvalidValue(
            f"Invalid type. Expected: string, given: {given}", "type", {"type": "string"}
        )
    if not _RFC3339.fullmatch(value):
        raise InvalidValue("Does not match format 'date-time'", "format", {"format": "date-time"})
    return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))


def _uuid(value: str) -> str:
    if not UUID.fullmatch(value):
        raise InvalidValue("Does not match format 'uuid'", "format", {"format": "uuid"})
    return value.lower()


def _rule(check: Any, kind: str) -> Any:
    def validate(value: str) -> str:
        try:
            return str(check(value))
        except InvalidValue:
            raise  # it names its JSON-schema keyword itself
        except ValueError as error:
            raise InvalidValue(str(error), kind, {kind: value[:100]}) from None

    return AfterValidator(validate)


def _not_null(expected: str) -> Any:
    """An optional field may be left out, but null is not a value of its JSON type."""

    def reject_null(value: Any) -> Any:
        if value is None:
            raise InvalidValue(
                f"Invalid type. Expected: {expected}, given: null", "type", {"type": expected}
            )
        return value

    return BeforeValidator(reject_null)


DateTime = Annotated[datetime, BeforeValidator(_date_time)]
Text = Annotated[str, _Field(max_length=MAX_TEXT)]
Uuid = Annotated[str, _Field(max_length=36), AfterValidator(_uuid)]
Cron = Annotated[str, _Field(max_length=100), _rule(check_cron, "schedule")]
Ttl = Annotated[str, _Field(max_length=20), _rule(check_ttl, "ttl")]
Path = Annotated[str, _Field(max_length=MAX_TEXT)]
# Optional fields: absent is None; a null sent for them is a type error, as in JSON schema.
MaybeText = Annotated[Text | None, _not_null("string")]
MaybeDateTime = Annotated[DateTime | None, _not_null("string")]
MaybePath = Annotated[Path | None, _not_null("string")]
MaybeCron = Annotated[Cron | None, _not_null("string")]
MaybeTtl = Annotated[Ttl | None, _not_null("string")]


class Body(BaseModel):
    """Base of request bodies: JSON types strictly, unknown fields ignored (as the API does)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class CreateBackup(Body):
    """backup-create-project-backup."""

    description: MaybeText = None
    expirationTime: DateTime


class UpdateBackup(Body):
    """backup-update-project-backup (and the two deprecated single-field forms)."""

    description: MaybeText = None
    expirationTime: MaybeDateTime = None


class UpdateDescription(Body):
    """deprecated-backup-update-project-backup-description: the description alone."""

    description: MaybeText = None


class ReplaceExpirationTime(Body):
    """deprecated-backup-replace-project-backup-expiration-time: the expiration alone."""

    expirationTime: MaybeDateTime = None


class CreateExport(Body):
    """backup-create-project-backup-export."""

    format: Literal["tar", "zip"]
    password: MaybeText = None


class DatabaseRestore(Body):
    """de.mittwald.v1.backup.ProjectBackupRestoreDatabaseRequest."""

    databaseBackupDump: Text
    targetDatabaseId: Uuid


class PathRestore(Body):
    """de.mittwald.v1.backup.ProjectBackupRestorePathRequest."""

    clearTargetPath: bool = False
    sourcePaths: Annotated[list[Path], _Field(min_length=1, max_length=MAX_PATHS)]
    targetRestorePath: MaybePath = None


class Restore(Body):
    """de.mittwald.v1.backup.ProjectBackupRestoreRequest."""

    databaseRestores: Annotated[
        list[DatabaseRestore] | None, _Field(max_length=MAX_PATHS), _not_null("array")
    ] = None
    pathRestore: Annotated[PathRestore | None, _not_null("object")] = None


class RestorePathDeprecated(Body):
    """de.mittwald.v1.backup.ProjectBackupRestorePathRequestDeprecated."""

    clearTargetPath: bool = False
    sourcePath: Path
    targetPath: MaybePath = None


class CreateSchedule(Body):
    """backup-create-project-backup-schedule."""

    description: MaybeText = None
    schedule: Cron
    ttl: Ttl


class UpdateSchedule(Body):
    """backup-update-project-backup-schedule."""

    description: MaybeText = None
    schedule: MaybeCron = None
    ttl: MaybeTtl = None


def parse_body(model: type[Model], body: Any, required: bool = True) -> Model:
    """The body as `model`; ValidationFailed naming every bad field.

    Only NO_BODY is a missing body; a JSON `null` is a body that is not an object.
    """
    if body is NO_BODY:
        if required:
            raise ValidationFailed(
                [FieldError("", "required", "A request body is required", {}, "body")]
            )
        body = {}
    if not isinstance(body, dict):
        raise ValidationFailed(
            [
                FieldError(
                    "",
                    "type",
                    f"Invalid type. Expected: object, given: {json_type(body)}",
                    {"type": "object"},
                    "body",
                )
            ]
        )
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise ValidationFailed(field_errors(error.errors(include_url=False), "body")) from None


_TYPE_NAMES = {
    "string_type": "string",
    "bool_type": "boolean",
    "list_type": "array",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
    "int_type": "integer",
    "float_type": "number",
}


def field_errors(details: Iterable[Mapping[str, Any]], location: str) -> list[FieldError]:
    """Pydantic error details as the API's validation error items."""
    errors = []
    for detail in details:
        loc: Sequence[Any] = [p for p in detail["loc"] if p != location]
        name = js_path(loc)
        kind, message, context = _describe(detail, name)
        errors.append(FieldError(name, kind, message, context, location))
    return errors


def _describe(detail: Mapping[str, Any], name: str) -> tuple[str, str, dict[str, str]]:
    error_type = detail["type"]
    cause = (detail.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidValue):
        return cause.kind, str(cause), cause.context
    if error_type == "missing":
        field = name.rsplit(".", 1)[-1]
        return "required", f"{field} is required", {"missingProperty": field}
    if error_type in _TYPE_NAMES:
        expected = _TYPE_NAMES[error_type]
        given = json_type(detail.get("input"))
        return "type", f"Invalid type. Expected: {expected}, given: {given}", {"type": expected}
    if error_type in ("literal_error", "enum"):
        allowed = str((detail.get("ctx") or {}).get("expected", ""))
        values = ", ".join(v.strip().strip("'") for v in re.split(r",| or ", allowed) if v.strip())
        field = name.rsplit(".", 1)[-1]
        shown = ", ".join(f'"{v}"' for v in values.split(", "))
        return "enum", f"{field} must be one of the following: {shown}", {"allowedValues": values}
    if error_type == "string_too_long":
        limit = str((detail.get("ctx") or {}).get("max_length", ""))
        return "maxLength", f"String length must be less than or equal to {limit}", {"limit": limit}
    if error_type == "too_long":
        limit = str((detail.get("ctx") or {}).get("max_length", ""))
        return "maxItems", f"Array must have at most {limit} items", {"limit": limit}
    if error_type == "too_short":
        limit = str((detail.get("ctx") or {}).get("min_length", ""))
        return "minItems", f"Array must have at least {limit} items", {"limit": limit}
    message = str(detail.get("msg", "invalid value")).removeprefix("Value error, ")
    return "invalid", message, {}
