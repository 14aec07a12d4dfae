"""Pydantic models of the spec's ProjectBackup objects, and the wire format decided once."""

from __future__ import annotations

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

from mockapi.backups.lifecycle import check_cron, check_ttl
from mockapi.timestamps import format_timestamp

SHORT_ID_PATTERN = r"^p-[a-z0-9]{6}$"


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


SystemReadiness = Literal["creating", "ready", "unready"]
ProjectStatus = Literal[
    "pending", "ready", "preparingForVolumeMigration", "migratingVolume", "error", "disabled"
]
ProjectFeature = Literal["redis", "node", "runtimeApps", "container"]
DisableReason = Literal["maliciousCode", "illegalContent", "maliciousConduct", "suspended"]


class VisitorSpec(WireModel):
    """de.mittwald.v1.project.VisitorSpec."""

    storage: str
    visitors: int


class HardwareSpec(WireModel):
    """de.mittwald.v1.project.HardwareSpec."""

    cpu: str | None = None
    mem: str | None = None
    memory: str | None = None
    storage: str


class Project(WireModel):
    """A project of a fixture document: its UUID, plus any field of the spec's Project.

    Fields left out are filled in deterministically from the UUID when served.
    """

    backupStorageUsageInBytes: int | None = None
    backupStorageUsageInBytesSetAt: Timestamp | None = None
    clusterDomain: str | None = None
    clusterID: str | None = None
    clusterId: str | None = None
    createdAt: Timestamp | None = None
    customerId: str | None = None
    deletionRequested: bool | None = None
    description: str | None = None
    directories: dict[str, str] | None = None
    disableReason: DisableReason | None = None
    disabledAt: Timestamp | None = None
    enabled: bool | None = None
    features: list[ProjectFeature] | None = None
    id: Uuid
    imageRefId: Uuid | None = None
    isReady: bool | None = None
    projectHostingId: Uuid | None = None
    readiness: SystemReadiness | None = None
    serverGroupId: str | None = None
    serverId: Uuid | None = None
    serverShortId: str | None = None
    shortId: Annotated[str, Field(pattern=SHORT_ID_PATTERN)] | None = None
    spec: VisitorSpec | HardwareSpec | None = Field(None, union_mode="left_to_right")
    statisticsBaseDomain: str | None = None
    status: ProjectStatus | None = None
    statusSetAt: Timestamp | None = None
    supportedFeatures: list[ProjectFeature] | None = None
    webStorageUsageInBytes: int | None = None
    webStorageUsageInBytesSetAt: Timestamp | None = None


class ProjectBackupSchedule(WireModel):
    """de.mittwald.v1.backup.ProjectBackupSchedule; field order is the spec's, alphabetical."""

    createdAt: Timestamp | None = None
    description: str | None = None
    id: Uuid
    isSystemBackup: bool
    projectId: Uuid
    schedule: Annotated[str, AfterValidator(check_cron)]
    ttl: Annotated[str, AfterValidator(check_ttl)] | None = None
    updatedAt: Timestamp | None = None
