"""Deterministic data shaped like recorded accounts, made the way the clock would make it.

Each project has its system schedule and often user schedules; every scheduled backup is a
run of one of them (requestedAt on the minute, createdAt 6 to 171 s later, expiresAt the
schedule's retention plus a few milliseconds), kept while its retention lasts. Manual
backups are occasional; only the newest Completed backup is not deletable. Randomness comes
from one seeded `random.Random` and a seeded Faker, so the same options give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockapi.backups import lifecycle as life
from mockapi.backups.archive import PLACEHOLDER_ORIGIN, checksum
from mockapi.backups.clock import DEFAULT_NOW
from mockapi.backups.dataset import Dataset, ProjectInfo
from mockapi.ids import SHORT_ID_ALPHABET, uuid_from_bits
from mockapi.timestamps import format_epoch_ms, to_ms

_SCHEDULE_DESCRIPTIONS = (
    "Nightly before deployment",
    "Daily app backup",
    "Tägliche Sicherung",
    "Evening backup",
    "Shop database safety net",
    "Before the morning import",
)
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
_MANUAL_DAYS = (7, 14, 30, 90, 365)
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
        self.now = to_ms(options.now)

    def uuid(self) -> str:
        return uuid_from_bits(self.rng.getrandbits(128))

    def run(self, progress: Callable[[int], None] | None) -> Dataset:
        projects: list[ProjectInfo] = []
        schedules: list[dict[str, Any]] = []
        backups: list[dict[str, Any]] = []
        shorts: set[str] = set()
        for _ in range(self.options.projects):
            project = self.project(shorts)
            projects.append(project)
            own_schedules = self.schedules(project)
            own_backups = self.project_backups(project, own_schedules)
            schedules += own_schedules
            backups += own_backups
            if progress is not None:
                progress(len(backups))
        return Dataset(
            tuple(projects),
            tuple(backups),
            tuple(schedules),
            f"generated (seed {self.options.seed})",
        )

    def project(self, taken: set[str]) -> ProjectInfo:
        short = ""
        while not short or short in taken:
            short = "p-" + "".join(self.rng.choice(SHORT_ID_ALPHABET) for _ in range(6))
        taken.add(short)
        kind = self.rng.choice(("Shop", "Website", "Blog", "Intranet", "Staging", "Landing page"))
        return ProjectInfo(self.uuid(), short, f"{self.fake.company()} {kind}")

    def schedule(
        self, project: ProjectInfo, cron: str, ttl: str, system: bool, description: str | None
    ) -> dict[str, Any]:
        created = self.now - self.rng.randrange(400, 900) * life.DAY_MS
        created -= created % 1000
        schedule: dict[str, Any] = {"createdAt": format_epoch_ms(created)}
        if description:
            schedule["description"] = description
        schedule.update(
            id=self.uuid(),
            isSystemBackup=system,
            projectId=project.id,
            schedule=cron,
            ttl=ttl,
        )
        if not system:
            schedule["updatedAt"] = schedule["createdAt"]
        return schedule

    def schedules(self, project: ProjectInfo) -> list[dict[str, Any]]:
        """The system schedule (nightly, no description) and often user schedules."""
        rng = self.rng
        minute = rng.randrange(0, 6 * 60)
        ttl = "30d" if rng.random() < 0.9 else "7d"
        found = [self.schedule(project, f"{minute % 60} {minute // 60} * * *", ttl, True, None)]
        for _ in range(rng.choices((0, 1, 2), weights=(15, 60, 25))[0]):
            hour = rng.choice((0, 1, 2, 3, 4, 5, 19, 20, 21, 22, 23))
            cron = f"{rng.randrange(60)} {hour} * * *"
            ttl = rng.choices(("7d", "30d"), weights=(40, 60))[0]
            description = rng.choice(_SCHEDULE_DESCRIPTIONS)
            found.append(self.schedule(project, cron, ttl, False, description))
        return found

    def scheduled(self, schedule: dict[str, Any]) -> list[dict[str, Any]]:
        """Every run of a schedule whose backup is still kept at now, as the clock made it."""
        retention = life.ttl_ms(schedule["ttl"])
        made = []
        since = self.now - retention - life.DAY_MS
        runs = life.runs_between(schedule["schedule"], since, self.now)
        for at in runs:
            key = f"{schedule['id']}:{at}"
            created = at + life.creation_delay_s(key) * 1000
            expires = created + retention + life.expiry_jitter_ms(key)
            if expires <= self.now:
                continue
            backup: dict[str, Any] = {}
            running = created > self.now
            if not running:
                backup["createdAt"] = format_epoch_ms(created)
            backup["deletable"] = True
            if "description" in schedule:
                backup["description"] = schedule["description"]
            if not running:
                backup["expiresAt"] = format_epoch_ms(expires)
            backup.update(
                id=self.uuid(),
                parentId=schedule["id"],
                projectId=schedule["projectId"],
                requestedAt=format_epoch_ms(at),
                status="InProgress" if running else "Completed",
            )
            made.append(backup)
        return made

    def manual(self, project: ProjectInfo, requested: int) -> dict[str, Any] | None:
        """A backup someone asked for, with a description and an expirationTime of their own."""
        rng = self.rng
        description = rng.choice(_MANUAL_DESCRIPTIONS)
        expires = requested + rng.choice(_MANUAL_DAYS) * life.DAY_MS
        backup_id = self.uuid()
        created = life.whole_second_after(requested + life.creation_delay_s(backup_id) * 1000)
        if expires <= self.now:
            return None
        backup: dict[str, Any] = {}
        running = created > self.now
        if not running:
            backup["createdAt"] = format_epoch_ms(created)
        backup["deletable"] = True
        backup["description"] = description
        if not running:
            backup["expiresAt"] = format_epoch_ms(expires)
        backup.update(
            id=backup_id,
            projectId=project.id,
            requestedAt=format_epoch_ms(requested),
            status="InProgress" if running else "Completed",
        )
        return backup

    def project_backups(
        self, project: ProjectInfo, schedules: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        rng, wanted = self.rng, self.options.backups_per_project
        backups = [b for s in schedules for b in self.scheduled(s)]
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            at = self.now - rng.randrange(3_600_000, 30 * life.DAY_MS)
            manual = self.manual(project, at)
            if manual is not None:
                backups.append(manual)
        if rng.random() < 0.15:
            # Someone just asked for a backup: it is still being made.
            just_now = self.manual(project, self.now - rng.randrange(500, 5_000))
            if just_now is not None:
                backups.append(just_now)
        while len(backups) < wanted:
            # More than the schedules keep: hourly schedules, as long-retention accounts have.
            needed_days = -(-(wanted - len(backups)) // 24) + 1
            days = max(life.MIN_TTL_DAYS, min(life.MAX_TTL_DAYS, needed_days))
            cron, ttl = f"{rng.randrange(60)} * * * *", f"{days}d"
            description = rng.choice(("Hourly snapshot", None))
            hourly = self.schedule(project, cron, ttl, False, description)
            schedules.append(hourly)
            backups += self.scheduled(hourly)
        backups.sort(key=lambda b: (b["requestedAt"], b["id"]))
        del backups[: max(len(backups) - wanted, 0)]
        completed = [b for b in backups if b["status"] == "Completed"]
        if completed:
            completed[-1]["deletable"] = False  # the newest Completed is kept, as recorded
        self.decorate(project, backups)
        return backups

    def decorate(self, project: ProjectInfo, backups: list[dict[str, Any]]) -> None:
        """Exports and restores: rare in real accounts, a bit more common here, not everywhere."""
        rng = self.rng
        done = [b for b in backups if b["status"] == "Completed"]
        if not done:
            return
        app_dir = rng.choice(_APP_DIRS)
        if rng.random() < 0.5:
            for backup in rng.sample(done, min(len(done), rng.choice((1, 1, 2)))):
                backup["export"] = self.export(backup)
        if rng.random() < 0.3:
            backup = rng.choice(done)
            if rng.random() < 0.15:
                backup["restorePath"] = self.restore_path(app_dir)
            else:
                backup["restore"] = self.restore(app_dir, running=rng.random() < 0.3)

    def export(self, backup: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        created = to_ms(datetime.fromisoformat(backup["createdAt"]))
        exported = min(created + rng.randrange(60, 3 * 86_400) * 1000, self.now - 60_000)
        expires = exported + 7 * life.DAY_MS
        fmt = "tar" if rng.random() < 0.75 else "zip"
        if expires <= self.now:
            phase = "Expired"
        else:
            phase = rng.choices(("Completed", "Failed"), weights=(92, 8))[0]
        export: dict[str, Any] = {}
        if phase == "Completed":
            suffix = "tar.gz" if fmt == "tar" else "zip"
            # Served from the mock's own address, so download-and-verify works end to end.
            export["downloadURL"] = (
                f"{PLACEHOLDER_ORIGIN}/_mockapi/exports/{backup['id']}/backup.{suffix}"
            )
        if phase in ("Completed", "Expired"):
            export["expiresAt"] = format_epoch_ms(expires)
        export["format"] = fmt
        export["phase"] = phase
        if phase == "Completed":
            export["sha256Checksum"] = checksum(backup["id"], backup["projectId"], fmt)
        export["withPassword"] = rng.random() < 0.3
        return export

    def restore(self, app_dir: str, running: bool) -> dict[str, Any]:
        rng = self.rng
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
    """The richer fixture-file document: projects with short ids, schedules, backups."""
    projects = []
    for project in dataset.projects:
        entry: dict[str, Any] = {"id": project.id, "shortId": project.short_id}
        if project.description:
            entry["description"] = project.description
        entry.update(project.fields)
        projects.append(entry)
    return {
        "projects": projects,
        "schedules": list(dataset.schedules),
        "backups": list(dataset.backups),
    }
