"""The small, valid archive an export's downloadURL serves; the same bytes every time.

Entries are stored uncompressed (the gzip stream of a `.tar.gz` too), so the bytes, and
the sha256Checksum that names them, do not depend on the zlib build of the machine.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from functools import lru_cache

import orjson

_MTIME = 1_767_225_600  # 2026-01-01T00:00:00Z: fixed, so the bytes never change
SUFFIXES = {"tar": "tar.gz", "zip": "zip"}
# Exports in generated and built-in data name this origin; the store serves them itself.
PLACEHOLDER_ORIGIN = "https://mockapi.invalid"


def _entries(backup_id: str, project_id: str, fmt: str) -> list[tuple[str, bytes]]:
    info = {"backupId": backup_id, "projectId": project_id, "format": fmt, "mock": "mockapi"}
    return [
        ("backup-info.json", orjson.dumps(info, option=orjson.OPT_INDENT_2) + b"\n"),
        ("html/index.html", b"<!doctype html><title>mockapi backup</title><p>It works.</p>\n"),
        ("database/README.txt", b"Database dumps are not part of a mockapi backup archive.\n"),
    ]


@lru_cache(maxsize=64)
def build_archive(backup_id: str, project_id: str, fmt: str) -> bytes:
    """The archive of one export: a `.tar.gz` for `tar`, a `.zip` for `zip`."""
    entries = _entries(backup_id, project_id, fmt)
    if fmt == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, data in entries:
                archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
        return buffer.getvalue()
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in entries:
            member = tarfile.TarInfo(name)
            member.size, member.mtime, member.mode = len(data), _MTIME, 0o644
            archive.addfile(member, io.BytesIO(data))
    return gzip.compress(tar_buffer.getvalue(), compresslevel=0, mtime=0)


def checksum(backup_id: str, project_id: str, fmt: str) -> str:
    """The SHA-256 of the export's archive, as `sha256Checksum` carries it."""
    return hashlib.sha256(build_archive(backup_id, project_id, fmt)).hexdigest()
