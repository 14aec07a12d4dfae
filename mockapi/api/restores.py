"""Restores (current and deprecated), and what a backup holds: database dumps, directories."""

from __future__ import annotations

from mockapi.api import resources
from mockapi.api.bodies import Restore, RestorePathDeprecated, parse_body
from mockapi.api.core import Call, Operation
from mockapi.backups.contents import backup_path, database_dumps
from mockapi.errors import FieldError, NotFound, ValidationFailed
from mockapi.http.responses import NO_CONTENT, Reply, object_reply
from mockapi.query import QueryReader


def restore(call: Call) -> Reply:
    """POST .../restore: databases and/or paths; running, then completed."""
    body = parse_body(Restore, call.body)
    if not body.databaseRestores and body.pathRestore is None:
        raise ValidationFailed(
            [
                FieldError(
                    "",
                    "anyOf",
                    "Must name databaseRestores or pathRestore: there is nothing to restore",
                    {"anyOf": "databaseRestores, pathRestore"},
                    "body",
                )
            ]
        )
    _, _, backup = resources.backup(call)
    databases = [d.model_dump() for d in body.databaseRestores or []]
    _check_dumps(databases, database_dumps(backup))
    path = body.pathRestore.model_dump(exclude_none=True) if body.pathRestore else None
    call.store.exports.restore(backup["id"], databases, path)
    return NO_CONTENT


def _check_dumps(databases: list[dict[str, str]], known: list[str]) -> None:
    """Every dump named must be one the backup holds (a 400, before any 412)."""
    errors = [
        FieldError(
            f"databaseRestores[{i}].databaseBackupDump",
            "enum",
            "databaseBackupDump must be one of the following: "
            + ", ".join(f'"{d}"' for d in known),
            {"allowedValues": ", ".join(known)},
            "body",
        )
        for i, entry in enumerate(databases)
        if entry["databaseBackupDump"] not in known
    ]
    if errors:
        raise ValidationFailed(errors)


def restore_path(call: Call) -> Reply:
    """The deprecated POST .../restore-path."""
    body = parse_body(RestorePathDeprecated, call.body)
    _, _, backup = resources.backup(call)
    call.store.exports.restore_path(
        backup["id"], body.sourcePath, body.targetPath, body.clearTargetPath
    )
    return NO_CONTENT


def dumps(call: Call) -> Reply:
    """GET .../database-dumps."""
    _, _, backup = resources.backup(call)
    return object_reply({"databases": database_dumps(backup)})


def directories(call: Call) -> Reply:
    """GET .../path?directory=...: one directory of the backup and its entries."""
    reader = QueryReader(call.query, {"directory": "string"})
    reader.finish()
    _, _, backup = resources.backup(call)
    found = backup_path(backup["projectId"], reader.string("directory") or "/")
    if found is None:
        raise NotFound("no such directory in this backup")
    return object_reply(found)


OPERATIONS = [
    Operation(
        "backup-request-project-backup-restore",
        "POST",
        "/v2/project-backups/{projectBackupId}/restore",
        restore,
        writes=True,
        reads_body=True,
    ),
    Operation(
        "backup-request-project-backup-restore-path-deprecated",
        "POST",
        "/v2/project-backups/{projectBackupId}/restore-path",
        restore_path,
        writes=True,
        reads_body=True,
    ),
    Operation(
        "backup-get-project-backup-database-dumps",
        "GET",
        "/v2/project-backups/{projectBackupId}/database-dumps",
        dumps,
    ),
    Operation(
        "backup-get-project-backup-directories",
        "GET",
        "/v2/project-backups/{projectBackupId}/path",
        directories,
    ),
]
