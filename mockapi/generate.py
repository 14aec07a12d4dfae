"""Deterministic, realistic backups from a seed (Faker plus one seeded random.Random)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mockapi.dataset import Dataset, ProjectInfo
from mockapi.models import format_epoch_ms

DEFAULT_NOW = datetime(2026, 1, 30, 12, 0, tzinfo=UTC)
_DAY_MS = 86_400_000
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (4 << 76) | (0x8000 << 48)
_SHORT_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_MANUAL_DESCRIPTIONS = (
    "before plugin update",
    "before WordPress core update",
    "before PHP upgrade",
    "before theme switch",
    "pre-deployment snapshot",
    "before database migration",
    "manual backup before go-live",
    "vor dem Update",
    "Sicherung vor Umzug",
    "before cleaning up media library",
    "before shop extension update",
    "backup for support ticket",
)
_APP_DIRS = ("wordpress", "shopware", "typo3", "mainApp", "nextcloud", "joomla", "drupal")


@dataclass(frozen=True)
class GenerationOptions:
    """What to generate: the seed, the size, and the reference "now"."""

    seed: int
    projects: int
    backups_per_project: int
    now: datetime = DEFAULT_NOW


class _Generator:
    """One generation run; all randomness comes from `rng` and the seeded Faker."""

    def __init__(self, options: GenerationOptions) -> None:
        self.options = options
        # Imported here: Faker costs a noticeable part of start-up, and most runs never use it.
        from faker import Faker

        self.rng = random.Random(options.seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(options.seed)
        self.now_ms = int(options.now.timestamp() * 1000)

    def uuid(self) -> str:
        # The same bits uuid.UUID(int=..., version=4) sets, without building the object.
        n = (self.rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def run(self, progress: Callable[[int], None] | None) -> Dataset:
        projects: list[ProjectInfo] = []
        backups: list[dict[str, Any]] = []
        shorts: set[str] = set()
        for _ in range(self.options.projects):
            project = self.project(shorts)
            projects.append(project)
            backups.extend(self.project_backups(project))
            if progress is not None:
                progress(len(backups))
        return Dataset(tuple(projects), tuple(backups), f"generated (seed {self.options.seed})")

    def project(self, taken: set[str]) -> ProjectInfo:
        short = ""
        while not short or short in taken:
            short = "p-" + "".join(self.rng.choice(_SHORT_ALPHABET) for _ in range(6))
        taken.add(short)
        kind = self.rng.choice(("Shop", "Website", "Blog", "Intranet", "Staging", "Landing page"))
        return ProjectInfo(self.uuid(), short, f"{self.fake.company()} {kind}")

    def project_backups(self, project: ProjectInfo) -> list[dict[str, Any]]:
        rng, count = self.rng, self.options.backups_per_project
        schedule_id = self.uuid()
        app_dir = rng.choice(_APP_DIRS)
        # One nightly run at a fixed per-project minute, as the system schedule does it.
        minute_of_day = rng.randrange(0, 5 * 60)
        day_start = self.now_ms - self.now_ms % _DAY_MS
        newest_night = day_start + minute_of_day * 60_000
        if newest_night > self.now_ms:
            newest_night -= _DAY_MS
        manual = sum(1 for _ in range(count) if rng.random() < 0.05)
        nights = count - manual
        oldest = newest_night - max(nights - 1, 0) * _DAY_MS
        backups = [
            self.nightly(project, schedule_id, app_dir, newest_night - i * _DAY_MS, newest=i == 0)
            for i in range(nights)
        ]
        for _ in range(manual):
            day = (
                oldest
                + rng.randrange(0, max(self.now_ms - oldest, _DAY_MS) // _DAY_MS + 1) * _DAY_MS
            )
            at = day - day % _DAY_MS + rng.randrange(8 * 3_600_000, 19 * 3_600_000)
            backups.append(self.manual(project, app_dir, min(at, self.now_ms - 60_000)))
        return backups

    def nightly(
        self, project: ProjectInfo, schedule_id: str, app_dir: str, at: int, newest: bool
    ) -> dict[str, Any]:
        rng = self.rng
        requested = at + int(rng.random() * 60_000)
        status = "Completed"
        if newest and rng.random() < 0.35:
            status = "InProgress"
        elif rng.random() < 0.004:
            status = "Failed"
        return self.backup(
            project, app_dir, requested, status, None, schedule_id, 30, deletable=False
        )

    def manual(self, project: ProjectInfo, app_dir: str, at: int) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.8:
            description = rng.choice(_MANUAL_DESCRIPTIONS)
        else:
            description = f"before migrating to {self.fake.domain_name()}"
        keep_days = rng.choice((7, 14, 30, 90, 365))
        return self.backup(project, app_dir, at, "Completed", description, None, keep_days, True)

    def backup(
        self,
        project: ProjectInfo,
        app_dir: str,
        requested: int,
        status: str,
        description: str | None,
        parent_id: str | None,
        keep_days: int,
        deletable: bool,
    ) -> dict[str, Any]:
        rng = self.rng
        backup_id = self.uuid()
        # Keys in the spec's (alphabetical) order, as a validated fixture would come out.
        item: dict[str, Any] = {}
        created = None
        if status == "Completed":
            created = (requested // 1000 + 15 + int(rng.random() * 385)) * 1000
            item["createdAt"] = format_epoch_ms(created)
        item["deletable"] = deletable
        if description is not None:
            item["description"] = description
        if created is not None:
            item["expiresAt"] = format_epoch_ms(created + keep_days * _DAY_MS)
            if rng.random() < 0.07:
                item["export"] = self.export(backup_id, created)
        item["id"] = backup_id
        if parent_id is not None:
            item["parentId"] = parent_id
        item["projectId"] = project.id
        item["requestedAt"] = format_epoch_ms(requested)
        if created is not None:
            roll = rng.random()
            if roll < 0.015:
                item["restore"] = self.restore(app_dir, created)
            elif roll < 0.018:
                item["restorePath"] = self.restore_path(app_dir)
        item["status"] = status
        return item

    def export(self, backup_id: str, created: int) -> dict[str, Any]:
        rng = self.rng
        exported = created + rng.randrange(60, 3 * _DAY_MS // 1000) * 1000
        expires = exported + 7 * _DAY_MS
        fmt = "tar" if rng.random() < 0.75 else "zip"
        if expires < self.now_ms:
            phase = "Expired"
        else:
            phase = rng.choices(
                ("Completed", "Pending", "Exporting", "Failed"), weights=(80, 7, 8, 5)
            )[0]
        export: dict[str, Any] = {}
        if phase == "Completed":
            suffix = "tar.gz" if fmt == "tar" else "zip"
            export["downloadURL"] = (
                f"https://backup-exports.mittwald.example/{backup_id}/backup.{suffix}"
            )
        if phase in ("Completed", "Expired"):
            export["expiresAt"] = format_epoch_ms(expires)
        export["format"] = fmt
        export["phase"] = phase
        if phase == "Completed":
            export["sha256Checksum"] = f"{rng.getrandbits(256):064x}"
        export["withPassword"] = rng.random() < 0.3
        return export

    def restore(self, app_dir: str, created: int) -> dict[str, Any]:
        rng = self.rng
        running = self.now_ms - created < 2 * _DAY_MS and rng.random() < 0.5
        restore: dict[str, Any] = {}
        with_db, with_path = rng.choice(((True, True), (True, False), (False, True)))
        if with_db:
            restore["databaseRestores"] = [
                {
                    "databaseBackupDump": f"dbdump-mysql-{rng.randrange(100_000, 1_000_000)}",
                    "targetDatabaseId": self.uuid(),
                }
            ]
        if with_path:
            target = f"/html/{app_dir}"
            restore["pathRestore"] = {
                "clearTargetPath": rng.random() < 0.2,
                "determinedTargetPath": target,
                "sourcePaths": [f"{target}/{rng.choice(('wp-content/', 'config/', 'public/'))}"],
            }
        restore["phase"] = "running" if running else "completed"
        return restore

    def restore_path(self, app_dir: str) -> dict[str, Any]:
        source = f"/html/{app_dir}/"
        return {
            "clearTargetPath": False,
            "determinedTargetPath": source,
            "phase": "completed",
            "sourcePath": source,
        }


def generate(options: GenerationOptions, progress: Callable[[int], None] | None = None) -> Dataset:
    """Generate a dataset; the same options give the same data on every machine and day."""
    return _Generator(options).run(progress)


def to_document(dataset: Dataset) -> dict[str, Any]:
    """The richer fixture-file document for a dataset (projects with short ids, backups)."""
    projects = []
    for project in dataset.projects:
        entry = {"id": project.id, "shortId": project.short_id}
        if project.description:
            entry["description"] = project.description
        projects.append(entry)
    return {"projects": projects, "backups": list(dataset.backups)}
