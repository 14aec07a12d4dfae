"""Exports and restores of a backup: requested, moved on by time, downloaded."""

from __future__ import annotations

import hashlib
import hmac
import posixpath
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from mockapi.backups import lifecycle as life
from mockapi.backups.archive import PLACEHOLDER_ORIGIN, SUFFIXES, checksum
from mockapi.backups.records import Located, Records
from mockapi.backups.timeline import Timeline
from mockapi.errors import NotFound, PermissionDenied, PreconditionFailed
from mockapi.timestamps import parse_ms

EXPORT = "export"
RESTORE = "restore"
DOWNLOAD_PATH = "/_mockapi/exports/"


def signature(secret: bytes, backup_id: str, fmt: str, expires_s: int) -> str:
    """The HMAC-SHA256 that signs a download URL: over backup id, format and expiry."""
    message = f"{backup_id}\n{fmt}\n{expires_s}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class Exports:
    """Exports (Pending, Exporting, Completed, Expired) and restores (running, completed)."""

    def __init__(
        self,
        records: Records,
        timeline: Timeline,
        now_ms: Callable[[], int],
        durations: life.Durations,
        public_url: str,
        secret: bytes,
    ) -> None:
        self.records = records
        self.now_ms = now_ms
        self.timeline = timeline
        self.durations = durations
        self.public_url = public_url
        self.secret = secret

    # --- exports -------------------------------------------------------------------------

    def create(self, backup_id: str, fmt: str, with_password: bool) -> None:
        """Start exporting a completed backup: Pending, then Exporting, then Completed."""
        record, position, backup = self.records.require_backup(backup_id)
        if backup["status"] != "Completed":
            raise PreconditionFailed(
                f"backup is {backup['status']}: only a Completed backup can be exported"
            )
        if backup.get("export", {}).get("phase") in ("Pending", "Exporting"):
            raise PreconditionFailed("an export of this backup is already running")
        backup["export"] = life.export_requested(fmt, with_password)
        record.backups.replace(position, backup)
        token = self.timeline.guard(backup["id"], EXPORT)
        at = self.now_ms() + self.durations.export_pending_ms
        self.timeline.push(at, life.EXPORT_STEP, backup["id"], token)

    def delete(self, backup_id: str) -> None:
        """Remove a backup's export (and its download)."""
        record, position, backup = self.records.require_backup(backup_id)
        if "export" not in backup:
            raise NotFound("this backup has no export")
        del backup["export"]
        self.timeline.drop(backup["id"], EXPORT)
        record.backups.replace(position, backup)

    def download(self, backup_id: str, name: str, query: str) -> tuple[str, str, str]:
        """(backup id, project id, format) of a completed export named by a signed URL.

        A URL without its signature, altered or past its expiry is refused (403) before
        anything is looked up; a signed one whose export is gone is not found (404).
        """
        fields = parse_qs(query, keep_blank_values=True)
        given_expires = fields.get("expires", [""])[-1]
        given = fields.get("signature", [""])[-1]
        fmt = next((f for f, suffix in SUFFIXES.items() if name == f"backup.{suffix}"), None)
        if not given_expires.isdigit() or len(given_expires) > 15 or fmt is None:
            raise PermissionDenied("this download URL is not signed: use the export's downloadURL")
        expires = int(given_expires)
        expected = signature(self.secret, backup_id.lower(), fmt, expires)
        if not hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode()):
            raise PermissionDenied("this download URL's signature does not match it")
        if expires * 1000 <= self.now_ms():
            raise PermissionDenied("this download URL has expired: request a new export")
        found = self.records.backup(backup_id)
        export = found[2].get("export", {}) if found is not None else {}
        if (
            found is None
            or export.get("phase") != "Completed"
            or export.get("downloadURL", "").split("?", 1)[0]
            != self.download_url(found[2]["id"], fmt, None)
        ):
            raise NotFound("no completed export at this address (deleted, expired or not ready)")
        return found[2]["id"], found[2]["projectId"], export["format"]

    def download_url(self, backup_id: str, fmt: str, expires_ms: int | None) -> str:
        """Where an export's archive is served: on mockapi itself, signed until it expires
        (without an expiry: the bare address)."""
        archive = "zip" if fmt == "zip" else "tar"  # what is served: a .zip or a .tar.gz
        url = f"{self.public_url}{DOWNLOAD_PATH}{backup_id}/backup.{SUFFIXES[archive]}"
        if expires_ms is None:
            return url
        expires_s = -(-expires_ms // 1000)
        signed = signature(self.secret, backup_id, archive, expires_s)
        return f"{url}?expires={expires_s}&signature={signed}"

    def own(self, backup: dict[str, Any]) -> dict[str, Any]:
        """Exports written with the placeholder origin are served from this server's URL."""
        export = backup.get("export")
        if export is None or not export.get("downloadURL", "").startswith(PLACEHOLDER_ORIGIN):
            return backup
        expires = parse_ms(export["expiresAt"]) if "expiresAt" in export else None
        if expires is None:
            expires = self.now_ms() + self.durations.export_valid_days * life.DAY_MS
        url = self.download_url(backup["id"], export["format"], expires)
        digest = checksum(backup["id"], backup["projectId"], export["format"])
        return {**backup, "export": {**export, "downloadURL": url, "sha256Checksum": digest}}

    # --- restores ------------------------------------------------------------------------

    def restore(
        self,
        backup_id: str,
        databases: list[dict[str, str]] | None,
        path: dict[str, Any] | None,
    ) -> None:
        """Start restoring a backup's databases and/or paths."""
        record, position, backup = self._restorable(backup_id)
        restore: dict[str, Any] = {}
        if databases:
            restore["databaseRestores"] = databases
        if path is not None:
            sources = path["sourcePaths"]
            target = path.get("targetRestorePath")
            # Paths in a backup are relative to the project's root, given with or without
            # the leading slash; commonpath refuses to mix the two.
            determined = target or posixpath.commonpath(["/" + p.lstrip("/") for p in sources])
            restore["pathRestore"] = {
                "clearTargetPath": path.get("clearTargetPath", False),
                "determinedTargetPath": determined,
                "sourcePaths": sources,
                **({"targetRestorePath": target} if target else {}),
            }
        restore["phase"] = "running"
        backup["restore"] = restore
        self._start_restore((record, position, backup))

    def restore_path(self, backup_id: str, source: str, target: str | None, clear: bool) -> None:
        """The deprecated restore of one path."""
        record, position, backup = self._restorable(backup_id)
        restore_path: dict[str, Any] = {
            "clearTargetPath": clear,
            "determinedTargetPath": target or source,
            "phase": "running",
            "sourcePath": source,
        }
        if target:
            restore_path["targetPath"] = target
        backup["restorePath"] = restore_path
        self._start_restore((record, position, backup))

    def _start_restore(self, located: Located) -> None:
        record, position, backup = located
        record.backups.replace(position, backup)
        token = self.timeline.guard(backup["id"], RESTORE)
        done = self.now_ms() + self.durations.restore_s * 1000
        self.timeline.push(done, life.RESTORE_DONE, backup["id"], token)

    def _restorable(self, backup_id: str) -> Located:
        record, position, backup = self.records.require_backup(backup_id)
        if backup["status"] != "Completed":
            raise PreconditionFailed(
                f"backup is {backup['status']}: only a Completed backup can be restored"
            )
        if life.restore_running(backup):
            raise PreconditionFailed("a restore of this backup is already running")
        return record, position, backup

    # --- time ----------------------------------------------------------------------------

    def plan_loaded(self, backup: dict[str, Any]) -> None:
        """A loaded export or restore moves on from the moment it was loaded."""
        backup_id, now, durations = backup["id"], self.now_ms(), self.durations
        export = backup.get("export")
        if export is not None:
            phase = export.get("phase")
            if phase in ("Pending", "Exporting"):
                token = self.timeline.guard(backup_id, EXPORT)
                self.timeline.push(
                    now + durations.export_pending_ms, life.EXPORT_STEP, backup_id, token
                )
            elif phase == "Completed" and "expiresAt" in export:
                expires = parse_ms(export["expiresAt"])
                if expires > now:
                    token = self.timeline.guard(backup_id, EXPORT)
                    self.timeline.push(expires, life.EXPORT_EXPIRES, backup_id, token)
        if life.restore_running(backup):
            token = self.timeline.guard(backup_id, RESTORE)
            self.timeline.push(
                now + durations.restore_s * 1000, life.RESTORE_DONE, backup_id, token
            )

    def forget(self, backup_id: str) -> None:
        """A backup is gone: its export and restore plans are stale."""
        self.timeline.drop(backup_id, EXPORT)
        self.timeline.drop(backup_id, RESTORE)

    def happen(self, at: int, kind: int, located: Located, token: int) -> None:
        """An export step or expiry, or a restore's end, comes due."""
        record, position, backup = located
        key = backup["id"]
        if kind == life.RESTORE_DONE:
            if not self.timeline.holds(key, RESTORE, token):
                return
            backup = life.restores_completed(backup)
        else:
            export = backup.get("export")
            if export is None or not self.timeline.holds(key, EXPORT, token):
                return
            if kind == life.EXPORT_EXPIRES:
                backup["export"] = life.export_expired(export)
            elif export["phase"] == "Pending":
                backup["export"] = life.export_exporting(export)
                rest = self.durations.export_s * 1000 - self.durations.export_pending_ms
                self.timeline.push(at + rest, life.EXPORT_STEP, key, token)
            elif export["phase"] == "Exporting":
                expires = at + self.durations.export_valid_days * life.DAY_MS
                url = self.download_url(key, export["format"], expires)
                digest = checksum(key, backup["projectId"], export["format"])
                backup["export"] = life.export_completed(export, url, digest, expires)
                self.timeline.push(expires, life.EXPORT_EXPIRES, key, token)
            else:
                return
        record.backups.replace(position, backup)
