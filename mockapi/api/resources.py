"""The resources an operation names in its path, or the answer the API gives when unknown."""

from __future__ import annotations

from typing import Any

from mockapi.api.core import Call
from mockapi.backups.store import ProjectRecord
from mockapi.errors import ApiError, FieldError, NotFound, PermissionDenied, ValidationFailed
from mockapi.ids import UUID
from mockapi.settings import UnknownIdMode, UnknownProjectMode


def unknown_project(call: Call) -> ApiError:
    """The configured answer for a project the mock does not know (the real API: 403)."""
    if call.config.unknown_project is UnknownProjectMode.NOT_FOUND:
        return NotFound()
    return PermissionDenied()


def unknown_id(call: Call) -> ApiError:
    """The configured answer for an unknown backup or schedule id (the real API: 403)."""
    if call.config.unknown_id is UnknownIdMode.NOT_FOUND:
        return NotFound()
    return PermissionDenied()


def project(call: Call) -> ProjectRecord:
    """The project named by {projectId} (UUID or short id, any case)."""
    record = call.store.find(call.params["projectId"])
    if record is None:
        raise unknown_project(call)
    return record


def listed_project(call: Call) -> ProjectRecord | None:
    """The project a list operation names; None when an unknown one lists as empty."""
    record = call.store.find(call.params["projectId"])
    if record is None and call.config.unknown_project is not UnknownProjectMode.EMPTY:
        raise unknown_project(call)
    return record


def backup(call: Call) -> tuple[ProjectRecord, int, dict[str, Any]]:
    """The backup named by {projectBackupId}, with its project and position."""
    found = call.store.backup(call.params["projectBackupId"])
    if found is None:
        raise unknown_id(call)
    return found


def schedule_id(call: Call) -> str:
    """{projectBackupScheduleId}, which the spec types as a UUID."""
    value = call.params["projectBackupScheduleId"]
    if not UUID.fullmatch(value):
        raise ValidationFailed(
            [
                FieldError(
                    "projectBackupScheduleId",
                    "format",
                    "Does not match format 'uuid'",
                    {"format": "uuid"},
                    "path",
                )
            ]
        )
    return value


def schedule(call: Call) -> dict[str, Any]:
    """The schedule named by {projectBackupScheduleId}."""
    found = call.store.schedule(schedule_id(call))
    if found is None:
        raise unknown_id(call)
    return found
