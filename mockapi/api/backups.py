"""Backups: list (the hot path), get, create, update, delete, and the two deprecated forms."""

from __future__ import annotations

from datetime import datetime

from mockapi.api import resources
from mockapi.api.bodies import (
    CreateBackup,
    ReplaceExpirationTime,
    UpdateBackup,
    UpdateDescription,
    parse_body,
)
from mockapi.api.core import Call, Operation
from mockapi.backups.lifecycle import DAY_MS
from mockapi.backups.store import Page
from mockapi.errors import FieldError, ValidationFailed
from mockapi.http.responses import NO_CONTENT, Reply, object_reply, page_reply
from mockapi.query import parse_backup_query
from mockapi.timestamps import format_epoch_ms, to_ms

MIN_EXPIRATION_MS = 7 * DAY_MS
MAX_EXPIRATION_MS = 365 * DAY_MS
# Clients compute "7 days from now" on their own clock a moment before the request arrives.
EXPIRATION_SLACK_MS = 60_000


def expiration_ms(when: datetime, now_ms: int, at_least_a_week: bool) -> int:
    """An expirationTime the API accepts (in the future, a week ahead on create, within a
    year), in whole seconds."""
    ms = to_ms(when)
    earliest = now_ms + (MIN_EXPIRATION_MS - EXPIRATION_SLACK_MS if at_least_a_week else 1)
    latest = now_ms + MAX_EXPIRATION_MS + EXPIRATION_SLACK_MS
    if ms < earliest:
        limit = format_epoch_ms(earliest)
        ahead = "at least 7 days" if at_least_a_week else "later than now"
        raise ValidationFailed(
            [
                FieldError(
                    "expirationTime",
                    "minimum",
                    f"Must be {ahead} in the future ({limit} or later)",
                    {"limit": limit},
                    "body",
                )
            ]
        )
    if ms > latest:
        limit = format_epoch_ms(latest)
        raise ValidationFailed(
            [
                FieldError(
                    "expirationTime",
                    "maximum",
                    f"Must be no more than one year in the future ({limit} or earlier)",
                    {"limit": limit},
                    "body",
                )
            ]
        )
    # The API keeps whole seconds: 12:00:19.250 is shown as 12:00:19.000 (as recorded).
    return ms - ms % 1000


def list_backups(call: Call) -> Reply:
    """GET /v2/projects/{projectId}/backups: filters, sort and paging on ready bytes."""
    query = parse_backup_query(call.query, call.config.given_skip_wins)
    record = resources.listed_project(call)
    if record is None:
        return page_reply(Page((), 0, query.paging))
    return page_reply(call.store.run(record, query))


def get_backup(call: Call) -> Reply:
    """GET /v2/project-backups/{projectBackupId}."""
    record, position, _ = resources.backup(call)
    return object_reply(record.backups.json[position])


def create_backup(call: Call) -> Reply:
    """POST /v2/projects/{projectId}/backups: InProgress now, Completed a little later."""
    body = parse_body(CreateBackup, call.body)
    expires = expiration_ms(body.expirationTime, call.store.now_ms, at_least_a_week=True)
    record = resources.project(call)
    return object_reply(call.store.create_backup(record, expires, body.description), 201)


def _update(call: Call, description: str | None, expiration: datetime | None) -> Reply:
    expires = None
    if expiration is not None:
        expires = expiration_ms(expiration, call.store.now_ms, at_least_a_week=False)
    _, _, backup = resources.backup(call)
    call.store.update_backup(backup["id"], description, expires)
    return NO_CONTENT


def update_backup(call: Call) -> Reply:
    """PATCH /v2/project-backups/{projectBackupId}: description and/or expirationTime."""
    body = parse_body(UpdateBackup, call.body, required=False)
    return _update(call, body.description, body.expirationTime)


def update_description(call: Call) -> Reply:
    """The deprecated PATCH .../description (no description: it is removed)."""
    body = parse_body(UpdateDescription, call.body)
    return _update(call, body.description or "", None)


def replace_expiration(call: Call) -> Reply:
    """The deprecated PUT .../expiration-time."""
    body = parse_body(ReplaceExpirationTime, call.body)
    return _update(call, None, body.expirationTime)


def delete_backup(call: Call) -> Reply:
    """DELETE /v2/project-backups/{projectBackupId}; the newest backup is kept."""
    _, _, backup = resources.backup(call)
    call.store.delete_backup(backup["id"])
    return NO_CONTENT


_ALL = "/v2/projects/{projectId}/backups"
_ONE = "/v2/project-backups/{projectBackupId}"
OPERATIONS = [
    Operation("backup-list-project-backups", "GET", _ALL, list_backups),
    Operation(
        "backup-create-project-backup", "POST", _ALL, create_backup, writes=True, reads_body=True
    ),
    Operation("backup-get-project-backup", "GET", _ONE, get_backup),
    Operation(
        "backup-update-project-backup", "PATCH", _ONE, update_backup, writes=True, reads_body=True
    ),
    Operation("backup-delete-project-backup", "DELETE", _ONE, delete_backup, writes=True),
    Operation(
        "deprecated-backup-update-project-backup-description",
        "PATCH",
        "/v2/project-backups/{projectBackupId}/description",
        update_description,
        writes=True,
        reads_body=True,
    ),
    Operation(
        "deprecated-backup-replace-project-backup-expiration-time",
        "PUT",
        "/v2/project-backups/{projectBackupId}/expiration-time",
        replace_expiration,
        writes=True,
        reads_body=True,
    ),
]
