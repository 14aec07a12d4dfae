"""Backup schedules: kept per project, and run by time to make backups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from mockapi.backups import lifecycle as life
from mockapi.backups.records import ProjectRecord, Records
from mockapi.backups.timeline import Timeline
from mockapi.errors import PreconditionFailed
from mockapi.ids import uuid_from_text
from mockapi.timestamps import format_epoch_ms

RUNS = "schedule"
DEFAULT_RETENTION_MS = 30 * life.DAY_MS
# Starts a scheduled backup: (project, backup, when it completes, when it expires).
StartBackup = Callable[[ProjectRecord, dict[str, Any], int, int], None]


class Schedules:
    """User and system schedules; each run makes a backup that completes and expires."""

    def __init__(
        self,
        records: Records,
        timeline: Timeline,
        now_ms: Callable[[], int],
        start_backup: StartBackup,
        limit: int = 20,
    ) -> None:
        self.records = records
        self.timeline = timeline
        self.now_ms = now_ms
        self.start_backup = start_backup
        self.limit = limit

    def create(
        self, record: ProjectRecord, cron: str, ttl: str, description: str | None
    ) -> dict[str, Any]:
        """A user schedule; it makes its first backup at its next cron time.

        A project has at most `limit` schedules: each one makes backups as the clock moves,
        so without a bound one client could make a clock move as long as it likes.
        """
        if len(record.schedules) >= self.limit:
            raise PreconditionFailed(
                f"a project has at most {self.limit} backup schedules (--max-schedules-per-project)"
            )
        now = _whole_seconds(self.now_ms())
        schedule: dict[str, Any] = {"createdAt": now}
        if description:
            schedule["description"] = description
        schedule.update(
            id=self.records.new_id(),
            isSystemBackup=False,
            projectId=record.info.id,
            schedule=cron,
            ttl=ttl,
            updatedAt=now,
        )
        self.add(record, schedule)
        return schedule

    def add(self, record: ProjectRecord, schedule: dict[str, Any]) -> None:
        """Keep a schedule and plan its next run."""
        record.schedules[schedule["id"]] = schedule
        self.records.schedules[schedule["id"]] = record.info.id
        self.plan(schedule, self.now_ms())

    def update(
        self, schedule_id: str, cron: str | None, ttl: str | None, description: str | None
    ) -> None:
        """Change a schedule; a system schedule keeps its description (its once-a-day rule is
        the input's, checked by the API)."""
        schedule = self._require(schedule_id)
        record = self.records.projects[self.records.schedules[schedule["id"]]]
        changes_description = description is not None and description != schedule.get(
            "description", ""
        )
        if schedule["isSystemBackup"] and changes_description:
            raise PreconditionFailed(
                "the description of a system backup schedule cannot be changed"
            )
        changed = dict(schedule)
        if description is not None:
            if description:
                changed["description"] = description
            else:
                changed.pop("description", None)
        if ttl is not None:
            changed["ttl"] = ttl
        if cron is not None:
            changed["schedule"] = cron
        changed["updatedAt"] = _whole_seconds(self.now_ms())
        record.schedules[schedule["id"]] = dict(sorted(changed.items()))
        if cron is not None and cron != schedule["schedule"]:
            self.plan(changed, self.now_ms())

    def delete(self, schedule_id: str) -> None:
        """Delete a user schedule; its backups stay. The system schedule is refused."""
        schedule = self._require(schedule_id)
        if schedule["isSystemBackup"]:
            raise PreconditionFailed("the system backup schedule cannot be deleted")
        record = self.records.projects[self.records.schedules.pop(schedule["id"])]
        del record.schedules[schedule["id"]]
        self.timeline.drop(schedule["id"], RUNS)

    def _require(self, schedule_id: str) -> dict[str, Any]:
        schedule = self.records.schedule(schedule_id)
        if schedule is None:
            raise KeyError(schedule_id)
        return schedule

    # --- time ----------------------------------------------------------------------------

    def plan(self, schedule: dict[str, Any], after_ms: int) -> None:
        """Plan a schedule's next run after `after_ms` (earlier plans are stale)."""
        token = self.timeline.guard(schedule["id"], RUNS)
        at = life.next_run_ms(schedule["schedule"], after_ms)
        self.timeline.push(at, life.SCHEDULE_RUNS, schedule["id"], token)

    def run(self, at: int, schedule_id: str, token: int, target: int) -> None:
        """A run comes due: it makes a backup (unless it would expire before `target`)."""
        project_id = self.records.schedules.get(schedule_id)
        if project_id is None or not self.timeline.holds(schedule_id, RUNS, token):
            return
        record = self.records.projects[project_id]
        schedule = record.schedules[schedule_id]
        retention = life.ttl_ms(schedule.get("ttl", "30d"))
        key = f"{schedule_id}:{at}"
        created = at + life.creation_delay_s(key) * 1000
        expires = created + retention + life.expiry_jitter_ms(key)
        # A run whose backup would be gone again before the clock stops is never seen:
        # skipping it keeps a long jump of the clock proportional to what remains.
        if expires > target:
            backup: dict[str, Any] = {}
            if "description" in schedule:
                backup["description"] = schedule["description"]
            # From the run itself, so one long jump of the clock and many short ones agree.
            backup.update(
                id=self.records.new_id(key),
                parentId=schedule_id,
                projectId=record.info.id,
                requestedAt=format_epoch_ms(at),
                status="InProgress",
            )
            self.start_backup(record, backup, created, expires)
        following = life.next_run_ms(schedule["schedule"], max(at, target - retention - 300_000))
        self.timeline.push(following, life.SCHEDULE_RUNS, schedule_id, token)


def _whole_seconds(ms: int) -> str:
    """A schedule's createdAt and updatedAt: whole seconds, as recorded (…T10:54:03.000Z)."""
    return format_epoch_ms(ms - ms % life.SECOND_MS)


def retention_ms(record: ProjectRecord, backup: dict[str, Any]) -> int:
    """How long a backup is kept: its schedule's ttl, or 30 days."""
    schedule = record.schedules.get(backup.get("parentId", ""))
    if schedule is not None and "ttl" in schedule:
        return life.ttl_ms(schedule["ttl"])
    return DEFAULT_RETENTION_MS


def system_schedule(record: ProjectRecord, backups: list[dict[str, Any]]) -> dict[str, Any]:
    """The system schedule a project without one is given: taken from its nightly backups.

    Every real project has one. Its id is the parentId its undescribed backups carry, and it
    runs at the minute the newest of them was requested, so data and clock agree.
    """
    nightly = [b for b in backups if "parentId" in b and "description" not in b]
    if nightly:
        parent = Counter(b["parentId"] for b in nightly).most_common(1)[0][0]
        newest = max(
            (b for b in nightly if b["parentId"] == parent), key=lambda b: b["requestedAt"]
        )
        hour, minute = int(newest["requestedAt"][11:13]), int(newest["requestedAt"][14:16])
    else:
        n = int(record.info.id.replace("-", "")[:8], 16)
        parent = uuid_from_text(record.info.id + ":system-schedule")
        hour, minute = n % 5, (n >> 3) % 60
    return {
        "createdAt": record.document["createdAt"],
        "id": parent,
        "isSystemBackup": True,
        "projectId": record.info.id,
        "schedule": f"{minute} {hour} * * *",
        "ttl": "30d",
    }
