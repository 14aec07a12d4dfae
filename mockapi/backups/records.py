"""The served projects, backups and schedules, and where each one is: the data every
concern of the backup domain reads and changes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from mockapi.backups.dataset import ProjectInfo
from mockapi.backups.index import COMPLETED, SORTED, ProjectBackups, to_bytes
from mockapi.ids import uuid_from_bits, uuid_from_text


@dataclass
class ProjectRecord:
    """One project: its info, its full Project document, backups and schedules."""

    info: ProjectInfo
    document: dict[str, Any]
    list_json: bytes
    backups: ProjectBackups
    schedules: dict[str, dict[str, Any]]
    # The backup the store last made the kept one (None: not yet managed).
    newest: str | None = None
    # The requestedAt of the last backup created through the API: the next one comes after.
    last_created_ms: int | None = None

    def copy(self) -> ProjectRecord:
        """An independent record (documents and schedule dicts are never changed in place)."""
        return ProjectRecord(
            self.info,
            self.document,
            self.list_json,
            self.backups.copy(),
            dict(self.schedules),
            self.newest,
            self.last_created_ms,
        )


Located = tuple[ProjectRecord, int, dict[str, Any]]


class Records:
    """Every served object by id, and each project's ordered backups."""

    def __init__(self, seed: int) -> None:
        self.projects: dict[str, ProjectRecord] = {}
        self._lookup: dict[str, ProjectRecord] = {}
        # Backup id -> (its project's id, its requestedAt): enough to find its position.
        # Plain strings, so a copy of the store is one C-level dict copy, even for millions.
        self.backups: dict[str, tuple[str, str]] = {}
        self.schedules: dict[str, str] = {}
        self._ids = random.Random(seed)

    def copy(self) -> Records:
        """Independent records in the same state."""
        other = Records.__new__(Records)
        other.projects = {pid: record.copy() for pid, record in self.projects.items()}
        other._lookup = {key: other.projects[r.info.id] for key, r in self._lookup.items()}
        other.backups = self.backups.copy()
        other.schedules = self.schedules.copy()
        other._ids = random.Random()
        other._ids.setstate(self._ids.getstate())
        return other

    def add_project(self, record: ProjectRecord) -> None:
        """Serve a new project under its UUID and short id."""
        self.projects[record.info.id] = record
        self._lookup[record.info.id] = record
        self._lookup[record.info.short_id] = record

    def find(self, project_id: str) -> ProjectRecord | None:
        """The project by UUID or short id (either case), or None."""
        return self._lookup.get(project_id) or self._lookup.get(project_id.lower())

    def backup(self, backup_id: str) -> Located | None:
        """A backup (any case of its id) with its project and position, or None."""
        key = backup_id if backup_id in self.backups else backup_id.lower()
        located = self.backups.get(key)
        if located is None:
            return None
        record, requested = self.projects[located[0]], located[1]
        position = record.backups.locate(requested, key)
        return record, position, record.backups.item(position)

    def require_backup(self, backup_id: str) -> Located:
        """A backup the caller knows is served."""
        found = self.backup(backup_id)
        if found is None:
            raise KeyError(backup_id)
        return found

    def schedule(self, schedule_id: str) -> dict[str, Any] | None:
        """A schedule by id, or None."""
        project_id = self.schedules.get(schedule_id) or self.schedules.get(schedule_id.lower())
        record = self.projects.get(project_id) if project_id is not None else None
        if record is None:
            return None
        return record.schedules.get(schedule_id) or record.schedules[schedule_id.lower()]

    def new_id(self, derived_from: str | None = None) -> str:
        """A fresh id: derived from a text when given (and free), else drawn from the seed."""
        new = uuid_from_text(derived_from) if derived_from is not None else None
        while new is None or new in self.backups or new in self.schedules:
            new = uuid_from_bits(self._ids.getrandbits(128))
        return new

    def insert(self, record: ProjectRecord, backup: dict[str, Any]) -> None:
        """Serve a new backup at its place in its project's order."""
        # A new backup is running, and a running backup can be deleted (as recorded); it is
        # kept once it completes as the newest Completed one (renew_newest).
        backup["deletable"] = True
        record.backups.insert(backup, to_bytes(backup, SORTED))
        self.backups[backup["id"]] = (record.info.id, backup["requestedAt"])
        self.renew_newest(record)

    def remove(self, record: ProjectRecord, position: int, backup_id: str) -> None:
        """Stop serving one backup."""
        record.backups.remove(position)
        del self.backups[backup_id]
        self.renew_newest(record)

    def take_out(self, expired: dict[str, dict[str, str]]) -> None:
        """Stop serving many backups at once (project id -> {backup id: requestedAt})."""
        for project_id, gone in expired.items():
            record = self.projects[project_id]
            record.backups.remove_many(gone)
            self.renew_newest(record)
        expired.clear()

    def renew_newest(self, record: ProjectRecord) -> None:
        """The newest Completed backup of a project is the one that is not deletable.

        Recorded traffic shows it so: newer running backups, and Failed ones, are deletable.
        """
        backups = record.backups
        position = backups.newest_with(COMPLETED)
        newest = backups.ids[position] if position is not None else None
        if newest == record.newest:
            return
        previous = record.newest
        record.newest = newest
        for backup_id, deletable in ((previous, True), (newest, False)):
            located = self.backups.get(backup_id) if backup_id else None
            if located is None or located[0] != record.info.id:
                continue
            position = record.backups.locate(located[1], backup_id)  # type: ignore[arg-type]
            backup = record.backups.item(position)
            if backup["deletable"] != deletable:
                backup["deletable"] = deletable
                record.backups.replace(position, backup)
