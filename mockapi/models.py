"""Pydantic models of the spec's ProjectBackup objects, and the wire format decided once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AnyUrl,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    model_validator,
)

FINAL_BACKUP_STATUSES = frozenset({"Completed", "Failed"})
SHORT_ID_PATTERN = r"^p-[a-z0-9]{6}$"


_DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=65536)
def _day_prefix(day: int) -> str:
    date = _EPOCH + timedelta(days=day)
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}T"


@cache
def _clock(seconds: int) -> str:
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}."


def format_epoch_ms(ms: int) -> str:
    """Milliseconds since the epoch in the API's timestamp format (fast: generation's hot path)."""
    day, rest = divmod(ms, _DAY_MS)
    seconds, millis = divmod(rest, 1000)
    return f"{_day_prefix(day)}{_clock(seconds)}{millis:03d}Z"


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and `Z`, as the API sends timestamps."""
    return format_epoch_ms((value - _EPOCH) // timedelta(milliseconds=1))


def _require_string(value: Any) -> Any:
    # Lax pydantic would turn numbers into datetimes or UUIDs; the wire only carries strings.
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


_url_adapter: TypeAdapter[AnyUrl] = TypeAdapter(AnyUrl)


def _check_url(value: str) -> str:
    _url_adapter.validate_python(value)
    return value


Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_require_string),
    Field(strict=False),
    PlainSerializer(format_timestamp, return_type=str),
]
Uuid = Annotated[
    UUID,
    BeforeValidator(_require_string),
    Field(strict=False),
    PlainSerializer(lambda u: str(u), return_type=str),
]
Url = Annotated[str, AfterValidator(_check_url)]
RestorePhase = Literal["running", "completed"]


class WireModel(BaseModel):
    """Base of every wire object: camelCase, unknown fields and `null` rejected."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_null(cls, data: Any) -> Any:
        # The API omits absent optional fields; a `null` breaks the official typed clients.
        if isinstance(data, dict):
            for key, value in data.items():
                if value is None:
                    raise ValueError(
                        f"field '{key}' is null: the API omits absent fields instead of "
                        "sending null"
                    )
        return data

    def to_wire(self) -> dict[str, Any]:
        """The object as the API sends it: absent fields omitted, wire formats applied."""
        return self.model_dump(mode="json", exclude_none=True)


class ProjectBackupExport(WireModel):
    """de.mittwald.v1.backup.ProjectBackupExport."""

    downloadURL: Url | None = None
    expiresAt: Timestamp | None = None
    format: str
    phase: Literal["Pending", "Exporting", "Failed", "Completed", "Expired"] | None = None
    sha256Checksum: str | None = None
    withPassword: bool


class ProjectBackupRestoreDatabase(WireModel):
    """de.mittwald.v1.backup.ProjectBackupRestoreDatabase."""

    databaseBackupDump: str
    targetDatabaseId: Uuid


class ProjectBackupRestorePath(WireModel):
    """de.mittwald.v1.backup.ProjectBackupRestorePath."""

    clearTargetPath: bool
    determinedTargetPath: str
    sourcePaths: list[str]
    targetRestorePath: str | None = None


class ProjectBackupRestore(WireModel):
    """de.mittwald.v1.backup.ProjectBackupRestore."""

    databaseRestores: list[ProjectBackupRestoreDatabase] | None = None
    pathRestore: ProjectBackupRestorePath | None = None
    phase: RestorePhase


class ProjectBackupRestorePathDeprecated(WireModel):
    """de.mittwald.v1.backup.ProjectBackupRestorePathDeprecated."""

    clearTargetPath: bool
    determinedTargetPath: str
    phase: RestorePhase
    sourcePath: str
    targetPath: str | None = None


class ProjectBackup(WireModel):
    """de.mittwald.v1.backup.ProjectBackup; field order is the spec's, alphabetical."""

    createdAt: Timestamp | None = None
    deletable: bool
    description: str | None = None
    expiresAt: Timestamp | None = None
    export: ProjectBackupExport | None = None
    id: Uuid
    parentId: Uuid | None = None
    projectId: Uuid
    requestedAt: Timestamp
    restore: ProjectBackupRestore | None = None
    restorePath: ProjectBackupRestorePathDeprecated | None = None
    status: str


class Project(WireModel):
    """A project of the richer fixture format: its UUID, short id and a description."""

    id: Uuid
    shortId: Annotated[str, Field(pattern=SHORT_ID_PATTERN)] | None = None
    description: str | None = None
