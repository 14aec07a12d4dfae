"""Backup schedules: list, get, create, update and delete; the system schedule is kept."""

from __future__ import annotations

import orjson

from mockapi.api import resources
from mockapi.api.bodies import CreateSchedule, UpdateSchedule, parse_body
from mockapi.api.core import Call, Operation
from mockapi.backups.lifecycle import is_daily_once
from mockapi.errors import FieldError, ValidationFailed
from mockapi.http.responses import NO_CONTENT, Reply, object_reply


def list_schedules(call: Call) -> Reply:
    """GET /v2/projects/{projectId}/backup-schedules, in the order they were made."""
    record = resources.listed_project(call)
    if record is None:
        return object_reply(b"[]")
    return object_reply(orjson.dumps(list(record.schedules.values())))


def get_schedule(call: Call) -> Reply:
    """GET /v2/project-backup-schedules/{projectBackupScheduleId}."""
    return object_reply(resources.schedule(call))


def create_schedule(call: Call) -> Reply:
    """POST /v2/projects/{projectId}/backup-schedules: at most hourly, ttl 7d to 365d."""
    body = parse_body(CreateSchedule, call.body)
    record = resources.project(call)
    created = call.store.schedules.create(record, body.schedule, body.ttl, body.description)
    return object_reply(created, 201)


def update_schedule(call: Call) -> Reply:
    """PATCH /v2/project-backup-schedules/{projectBackupScheduleId}."""
    resources.schedule_id(call)
    body = parse_body(UpdateSchedule, call.body, required=False)
    schedule = resources.schedule(call)
    # A bad input (400) is answered before a refused change (412).
    if schedule["isSystemBackup"] and body.schedule and not is_daily_once(body.schedule):
        raise ValidationFailed(
            [
                FieldError(
                    "schedule",
                    "dailyOnce",
                    "The schedule of a system backup must run once a day",
                    {"schedule": body.schedule},
                    "body",
                )
            ]
        )
    call.store.schedules.update(schedule["id"], body.schedule, body.ttl, body.description)
    return NO_CONTENT


def delete_schedule(call: Call) -> Reply:
    """DELETE /v2/project-backup-schedules/{projectBackupScheduleId}."""
    schedule = resources.schedule(call)
    call.store.schedules.delete(schedule["id"])
    return NO_CONTENT


_ONE = "/v2/project-backup-schedules/{projectBackupScheduleId}"
_ALL = "/v2/projects/{projectId}/backup-schedules"
OPERATIONS = [
    Operation("backup-list-project-backup-schedules", "GET", _ALL, list_schedules),
    Operation(
        "backup-create-project-backup-schedule",
        "POST",
        _ALL,
        create_schedule,
        writes=True,
        reads_body=True,
    ),
    Operation("backup-get-project-backup-schedule", "GET", _ONE, get_schedule),
    Operation(
        "backup-update-project-backup-schedule",
        "PATCH",
        _ONE,
        update_schedule,
        writes=True,
        reads_body=True,
    ),
    Operation(
        "backup-delete-project-backup-schedule", "DELETE", _ONE, delete_schedule, writes=True
    ),
]
