"""Exports: create and delete, and the download their downloadURL points at (mockapi itself)."""

from __future__ import annotations

from mockapi.api import resources
from mockapi.api.bodies import CreateExport, parse_body
from mockapi.api.core import Call, Operation
from mockapi.backups.archive import build_archive
from mockapi.errors import NotFound
from mockapi.http.responses import NO_CONTENT, Reply

DOWNLOAD_PREFIX = "/_mockapi/exports/"


def create_export(call: Call) -> Reply:
    """POST .../export: Pending, then Exporting, then Completed with a download."""
    body = parse_body(CreateExport, call.body)
    _, _, backup = resources.backup(call)
    call.store.exports.create(backup["id"], body.format, body.password is not None)
    return NO_CONTENT


def delete_export(call: Call) -> Reply:
    """DELETE .../export."""
    _, _, backup = resources.backup(call)
    call.store.exports.delete(backup["id"])
    return NO_CONTENT


def download(call: Call) -> Reply:
    """The archive of a completed export; its SHA-256 is the export's sha256Checksum."""
    found = call.store.exports.download(call.params["projectBackupId"], call.params["name"])
    if found is None:
        raise NotFound("no completed export at this address (deleted, expired or not ready)")
    backup_id, project_id, fmt = found
    content_type = b"application/zip" if fmt == "zip" else b"application/gzip"
    return Reply(200, build_archive(backup_id, project_id, fmt), content_type=content_type)


OPERATIONS = [
    Operation(
        "backup-create-project-backup-export",
        "POST",
        "/v2/project-backups/{projectBackupId}/export",
        create_export,
        writes=True,
        reads_body=True,
    ),
    Operation(
        "backup-delete-project-backup-export",
        "DELETE",
        "/v2/project-backups/{projectBackupId}/export",
        delete_export,
        writes=True,
    ),
    # mockapi's own: where a downloadURL points. Pre-signed, like the real one: no token.
    Operation(
        "mockapi-download-export",
        "GET",
        DOWNLOAD_PREFIX + "{projectBackupId}/{name}",
        download,
        authenticated=False,
    ),
]
