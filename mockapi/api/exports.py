"""Exports: create and delete, and the download their downloadURL points at (mockapi itself)."""

from __future__ import annotations

import re

from mockapi.api import resources
from mockapi.api.bodies import CreateExport, parse_body
from mockapi.api.core import Call, Operation
from mockapi.backups.archive import SUFFIXES, build_archive
from mockapi.backups.exports import DOWNLOAD_PATH
from mockapi.errors import RangeNotSatisfiable
from mockapi.http.responses import NO_CONTENT, Reply

DOWNLOAD_PREFIX = DOWNLOAD_PATH
_RANGE = re.compile(r"bytes=(?P<first>[0-9]{0,15})-(?P<last>[0-9]{0,15})")


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
    """The archive of a completed export, by its signed URL; its SHA-256 is the export's
    sha256Checksum. As the official CLI uses it: a name from Content-Disposition, and a
    Range to resume (206, or 416 when it lies outside the file)."""
    backup_id, project_id, fmt = call.store.exports.download(
        call.params["projectBackupId"], call.params["name"], call.query
    )
    content_type = b"application/zip" if fmt == "zip" else b"application/gzip"
    archive = build_archive(backup_id, project_id, fmt)
    headers = [
        (b"accept-ranges", b"bytes"),
        (
            b"content-disposition",
            f'attachment; filename="{backup_id}.{SUFFIXES.get(fmt, "tar.gz")}"'.encode(),
        ),
    ]
    ranges = [value for key, value in call.headers if key == b"range"]
    chosen = byte_range(ranges[0].decode("latin-1"), len(archive)) if len(ranges) == 1 else None
    if chosen is None:
        return Reply(200, archive, tuple(headers), content_type)
    first, last = chosen
    headers.append((b"content-range", f"bytes {first}-{last}/{len(archive)}".encode()))
    return Reply(206, archive[first : last + 1], tuple(headers), content_type)


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range a Range header asks for, as (first, last); None to send it all.

    A header that is not one `bytes=` range is ignored (RFC 9110 allows it); a range that
    lies wholly outside the file is a 416.
    """
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return None
    first_text, last_text = match["first"], match["last"]
    if not first_text and not last_text:
        return None
    if not first_text:
        suffix = int(last_text)
        if suffix == 0:
            raise _unsatisfiable(size)
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if last_text and int(last_text) < first:
        return None  # invalid: ignored
    if first >= size:
        raise _unsatisfiable(size)
    return first, last


def _unsatisfiable(size: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(
        f"the requested range is not satisfiable: the file has {size} bytes",
        headers={"Content-Range": f"bytes */{size}"},
    )


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
    # mockapi's own: where a downloadURL points. Signed (HMAC over backup id, format and
    # expiry), like the real one: no token.
    Operation(
        "mockapi-download-export",
        "GET",
        DOWNLOAD_PREFIX + "{projectBackupId}/{name}",
        download,
        authenticated=False,
    ),
]
