"""Random sequences of API calls against a small reference model of the documented rules.

The model is plain Python written from the API's documented behaviour, not from the store:
backups ordered by (requestedAt, id), the newest Completed one not deletable, created
backups completing exactly backup_seconds after their request, exports Pending for a
quarter of export_seconds then Exporting then Completed then Expired, restores running for
restore_seconds, backups made by schedules on their cron minutes and completed 6-171 s later
(the one thing the model cannot know exactly: it adopts what it sees inside that window).
After every step the list, its filters and GET must agree with the model.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mockapi import Settings, create_app
from mockapi.backups.dataset import combine
from mockapi.data.fixtures import parse_document
from tests.support import InlineClient, SpecClient

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
BACKUP_MS = 10 * SECOND
EXPORT_MS = 30 * SECOND
EXPORT_PENDING_MS = EXPORT_MS // 4
EXPORT_VALID_MS = 1 * DAY
RESTORE_MS = 30 * SECOND
SCHEDULE_TTL_MS = 7 * DAY
# The clock moves at most this far in one run: scheduled backups (ttl 7 days) never expire.
HORIZON_MS = 2 * DAY

PROJECT = "11111111-1111-4111-8111-111111111111"
SYSTEM = "5c5c5c5c-0000-4000-8000-000000000001"
# A user schedule on the system schedule's minute: their backups share a requestedAt.
NIGHTLY = "5c5c5c5c-0000-4000-8000-000000000002"
BACKUPS = "/v2/projects/p-sm0001/backups"
SCHEDULES = "/v2/projects/p-sm0001/backup-schedules"


def iso(ms: int) -> str:
    """Milliseconds since the epoch as the API's timestamp (written here, not imported)."""
    when = datetime.fromtimestamp(ms // SECOND, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % SECOND:03d}Z"


def to_ms(text: str) -> int:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return round(when.timestamp() * SECOND)


# Just before the system schedule's 03:00 run, so short steps of the clock reach it.
START = to_ms("2026-01-30T02:45:00Z")


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


# The loaded data: consistent with the rules (only the newest Completed is not deletable).
LOADED = [
    {
        "id": uid(1),
        "projectId": PROJECT,
        "requestedAt": "2026-01-20T09:00:00.000Z",
        "createdAt": "2026-01-20T09:00:40.000Z",
        "expiresAt": "2026-01-31T06:00:00.000Z",
        "status": "Completed",
        "deletable": True,
        "description": "before the update",
    },
    {
        "id": uid(2),
        "projectId": PROJECT,
        "requestedAt": "2026-01-25T10:00:00.000Z",
        "createdAt": "2026-01-25T10:01:00.000Z",
        "status": "Completed",
        "deletable": True,
        "export": {
            "downloadURL": f"https://mockapi.invalid/_mockapi/exports/{uid(2)}/backup.zip",
            "expiresAt": "2026-01-31T00:00:00.000Z",
            "format": "zip",
            "phase": "Completed",
            "sha256Checksum": "00" * 32,
            "withPassword": True,
        },
    },
    {
        "id": uid(3),
        "projectId": PROJECT,
        "requestedAt": "2026-01-28T03:00:00.000Z",
        "status": "Failed",
        "deletable": True,
        "parentId": SYSTEM,
    },
    {
        "id": uid(4),
        "projectId": PROJECT,
        "requestedAt": "2026-01-29T03:00:00.000Z",
        "createdAt": "2026-01-29T03:00:09.000Z",
        "expiresAt": "2026-02-05T03:00:09.012Z",
        "status": "Completed",
        "deletable": False,
        "parentId": SYSTEM,
    },
]
DOCUMENT = {
    "projects": [{"id": PROJECT, "shortId": "p-sm0001", "description": "state machine"}],
    "schedules": [
        {
            "createdAt": "2025-01-01T00:00:00.000Z",
            "id": SYSTEM,
            "isSystemBackup": True,
            "projectId": PROJECT,
            "schedule": "0 3 * * *",
            "ttl": "7d",
        },
        {
            "createdAt": "2025-06-01T00:00:00.000Z",
            "description": "nightly copy",
            "id": NIGHTLY,
            "isSystemBackup": False,
            "projectId": PROJECT,
            "schedule": "0 3 * * *",
            "ttl": "7d",
            "updatedAt": "2025-06-01T00:00:00.000Z",
        },
    ],
    "backups": LOADED,
}


@dataclass
class Export:
    """An export's timeline: Pending, Exporting, Completed, Expired."""

    format: str
    with_password: bool
    exporting_at: int
    completed_at: int
    expires_at: int

    def phase(self, now: int) -> str:
        if now < self.exporting_at:
            return "Pending"
        if now < self.completed_at:
            return "Exporting"
        return "Completed" if now < self.expires_at else "Expired"


@dataclass
class Backup:
    """What the model knows of one backup."""

    id: str
    requested: int
    description: str | None = None
    parent: str | None = None
    final: str = "Completed"
    # Made by the API: Completed at this time (None: loaded, or made by a schedule).
    done_at: int | None = None
    # Made by a schedule: the run's time; createdAt is learnt inside the 6-171 s window.
    run: int | None = None
    created: int | None = None
    expires: int | None = None
    expires_given: bool = True
    export: Export | None = None
    restores: dict[str, int] = field(default_factory=dict)  # key -> running until
    seen: tuple[int, str] | None = None  # (now, status) last observed

    def status(self, now: int) -> str | None:
        """The status at `now`; None while a scheduled backup may or may not be done."""
        if self.done_at is not None:
            return "InProgress" if now < self.done_at else self.final
        if self.run is None or self.created is not None:
            return self.final
        if now < self.run + 6 * SECOND:
            return "InProgress"
        if self.seen is not None and self.seen[0] == now:
            return self.seen[1]
        return None

    def gone(self, now: int) -> bool:
        """Expired: its expiresAt has passed (every expiry here comes after completion)."""
        return self.expires is not None and now >= self.expires

    def restore_running(self, now: int) -> bool:
        return any(now < until for until in self.restores.values())


@dataclass
class Schedule:
    id: str
    minute: int
    hour: int | None  # None: hourly
    description: str | None
    system: bool

    def runs(self, after: int, until: int) -> list[int]:
        """Cron times in (after, until]."""
        step = DAY if self.hour is not None else HOUR
        offset = self.minute * MINUTE + (self.hour or 0) * HOUR
        first = (after - offset) // step * step + offset
        times = []
        at = first if first > after else first + step
        while at <= until:
            times.append(at)
            at += step
        return times


def loaded_backups() -> dict[str, Backup]:
    backups = {}
    for item in LOADED:
        export = None
        if "export" in item:
            expires = to_ms(item["export"]["expiresAt"])
            export = Export("zip", True, START, START, expires)
        backups[item["id"]] = Backup(
            id=item["id"],
            requested=to_ms(item["requestedAt"]),
            description=item.get("description"),
            parent=item.get("parentId"),
            final=item["status"],
            created=to_ms(item["createdAt"]) if "createdAt" in item else None,
            expires=to_ms(item["expiresAt"]) if "expiresAt" in item else None,
            export=export,
        )
    return backups


PICK = st.integers(min_value=0, max_value=10_000)
DESCRIPTIONS = st.sampled_from([None, "", "alpha", "Beta release", "nightly"])


class BackupApiMachine(RuleBasedStateMachine):
    """Drives the API; the model says what every answer and every list must be."""

    def __init__(self) -> None:
        super().__init__()
        dataset, problems = parse_document("state machine", DOCUMENT)
        assert problems == []
        app = create_app(
            Settings(
                clock="frozen",
                now=datetime.fromtimestamp(START // SECOND, UTC),
                export_valid_days=1,
                public_url="http://mock.test",
            ),
            combine([dataset]),
        )
        self.client = InlineClient(app)
        self.api = SpecClient(self.client)
        self.now = START
        self.backups = loaded_backups()
        self.deleted: list[str] = []
        self.schedules = {
            SYSTEM: Schedule(SYSTEM, 0, 3, None, True),
            NIGHTLY: Schedule(NIGHTLY, 0, 3, "nightly copy", False),
        }
        self.deleted_schedules: list[str] = []
        self.expected_runs: list[tuple[str, int, str | None]] = []
        self.touched: str | None = None
        self.last_created: int | None = None
        self.steps = 0
        self.schedules_changed = True

    def teardown(self) -> None:
        self.client.close()

    # --- the model's views ---------------------------------------------------------------------

    def present(self) -> list[Backup]:
        """The backups the list must show, in oldestFirst order."""
        alive = [b for b in self.backups.values() if not b.gone(self.now)]
        return sorted(alive, key=lambda b: (b.requested, b.id))

    def kept(self) -> str | None:
        """The backup that is not deletable: the newest Completed one present."""
        done = [b for b in self.present() if b.status(self.now) == "Completed"]
        return done[-1].id if done else None

    def pick(self, n: int, allow_deleted: bool = True) -> tuple[str, Backup | None]:
        """A present backup, or now and then a deleted or expired one."""
        present = self.present()
        gone = self.deleted + [b.id for b in self.backups.values() if b.gone(self.now)]
        if allow_deleted and gone and (n % 7 == 0 or not present):
            return gone[n % len(gone)], None
        if not present:
            return uid(404), None
        chosen = present[n % len(present)]
        return chosen.id, chosen

    def one(self, backup_id: str) -> str:
        return f"/v2/project-backups/{backup_id}"

    # --- rules ---------------------------------------------------------------------------------

    @rule(
        days=st.integers(7, 60),
        extra=st.integers(0, 86_399),
        description=DESCRIPTIONS,
    )
    def create_backup(self, days: int, extra: int, description: str | None) -> None:
        expires = self.now + days * DAY + extra * SECOND
        body: dict[str, Any] = {"expirationTime": iso(expires)}
        if description is not None:
            body["description"] = description
        response = self.api.post(BACKUPS, json=body)
        assert response.status_code == 201
        created = response.json()
        # A created backup is the newest: it follows the last created one, and a tie with
        # the newest's requestedAt (a frozen clock) is broken by taking it a millisecond later.
        present = self.present()
        requested = self.now
        if self.last_created is not None:
            requested = max(requested, self.last_created + 1)
        if present and requested <= present[-1].requested < self.now + SECOND:
            requested = present[-1].requested + 1
        self.last_created = requested
        backup = Backup(
            id=created["id"],
            requested=requested,
            description=description or None,
            done_at=self.now + BACKUP_MS,  # exactly, no rounding
            expires=expires - expires % SECOND,  # whole seconds
        )
        assert created == self.render(backup, deletable=True)  # running: deletable
        self.backups[backup.id] = backup
        self.touched = backup.id

    @rule(
        n=PICK,
        description=DESCRIPTIONS,
        expire_in=st.sampled_from([None, HOUR, 4 * HOUR, DAY, 10 * DAY]),
        deprecated=st.booleans(),
    )
    def update_backup(
        self, n: int, description: str | None, expire_in: int | None, deprecated: bool
    ) -> None:
        backup_id, backup = self.pick(n)
        url = self.one(backup_id)
        expiration = iso(self.now + expire_in) if expire_in is not None else None
        if deprecated and description is not None:
            # The deprecated form changes the description alone.
            response = self.api.patch(url + "/description", json={"description": description})
            expiration = None
        elif deprecated and expiration is not None:
            response = self.api.put(url + "/expiration-time", json={"expirationTime": expiration})
        else:
            body: dict[str, Any] = {}
            if description is not None:
                body["description"] = description
            if expiration is not None:
                body["expirationTime"] = expiration
            response = self.api.patch(url, json=body)
        if backup is None:
            assert response.status_code == 403
            return
        assert response.status_code == 204
        if description is not None:
            backup.description = description or None
        if expiration is not None:
            backup.expires = to_ms(expiration) - to_ms(expiration) % SECOND
            backup.expires_given = True
        self.touched = backup_id

    @rule(n=PICK)
    def delete_backup(self, n: int) -> None:
        backup_id, backup = self.pick(n)
        response = self.api.delete(self.one(backup_id))
        if backup is None:
            assert response.status_code == 403
            return
        if self.kept() == backup_id:
            assert response.status_code == 412
            assert response.json()["type"] == "FailedPrecondition"
            return
        assert response.status_code == 204
        del self.backups[backup_id]
        self.deleted.append(backup_id)
        self.touched = backup_id

    @rule(n=PICK, fmt=st.sampled_from(["tar", "zip"]), password=st.sampled_from([None, "pw"]))
    def export(self, n: int, fmt: str, password: str | None) -> None:
        backup_id, backup = self.pick(n)
        body = {"format": fmt} if password is None else {"format": fmt, "password": password}
        response = self.api.post(self.one(backup_id) + "/export", json=body)
        if backup is None:
            assert response.status_code == 403
            return
        running = backup.export is not None and backup.export.phase(self.now) in (
            "Pending",
            "Exporting",
        )
        if backup.status(self.now) != "Completed" or running:
            assert response.status_code == 412
            return
        assert response.status_code == 204
        completed = self.now + EXPORT_MS
        backup.export = Export(
            fmt,
            password is not None,
            self.now + EXPORT_PENDING_MS,
            completed,
            completed + EXPORT_VALID_MS,
        )
        self.touched = backup_id

    @rule(n=PICK)
    def delete_export(self, n: int) -> None:
        backup_id, backup = self.pick(n)
        response = self.api.delete(self.one(backup_id) + "/export")
        if backup is None:
            assert response.status_code == 403
        elif backup.export is None:
            assert response.status_code == 404
        else:
            assert response.status_code == 204
            backup.export = None
            self.touched = backup_id

    @rule(n=PICK, deprecated=st.booleans())
    def restore(self, n: int, deprecated: bool) -> None:
        backup_id, backup = self.pick(n)
        if deprecated:
            key, url, body = "restorePath", "/restore-path", {"sourcePath": "/html/"}
        else:
            key, url = "restore", "/restore"
            body = {"pathRestore": {"sourcePaths": ["/html/a/", "/html/b/"]}}
        response = self.api.post(self.one(backup_id) + url, json=body)
        if backup is None:
            assert response.status_code == 403
            return
        if backup.status(self.now) != "Completed" or backup.restore_running(self.now):
            assert response.status_code == 412
            return
        assert response.status_code == 204
        backup.restores[key] = self.now + RESTORE_MS
        self.touched = backup_id

    @precondition(lambda self: len(self.schedules) < 5)
    @rule(
        # Few times, so schedules meet on one minute (the system one runs at 03:00).
        minute=st.sampled_from([0, 30]),
        hour=st.sampled_from([3, 4, 13, -1]),  # -1: hourly
        description=DESCRIPTIONS,
    )
    def create_schedule(self, minute: int, hour: int, description: str | None) -> None:
        cron = f"{minute} {'*' if hour < 0 else hour} * * *"
        body: dict[str, Any] = {"schedule": cron, "ttl": "7d"}
        if description is not None:
            body["description"] = description
        response = self.api.post(SCHEDULES, json=body)
        assert response.status_code == 201
        created = response.json()
        assert created["schedule"] == cron
        assert created["createdAt"] == created["updatedAt"] == iso(self.now)
        assert created.get("description") == (description or None)
        self.schedules[created["id"]] = Schedule(
            created["id"], minute, hour if hour >= 0 else None, description or None, False
        )
        self.schedules_changed = True

    @rule(n=PICK, description=DESCRIPTIONS)
    def update_schedule_description(self, n: int, description: str | None) -> None:
        ids = list(self.schedules) + self.deleted_schedules
        schedule_id = ids[n % len(ids)]
        body = {} if description is None else {"description": description}
        response = self.api.patch(f"/v2/project-backup-schedules/{schedule_id}", json=body)
        schedule = self.schedules.get(schedule_id)
        if schedule is None:
            assert response.status_code == 403
        elif schedule.system and description:
            assert response.status_code == 412
        else:
            assert response.status_code == 204
            if description is not None:
                schedule.description = description or None
        self.schedules_changed = True

    @rule(n=PICK)
    def delete_schedule(self, n: int) -> None:
        ids = list(self.schedules) + self.deleted_schedules
        schedule_id = ids[n % len(ids)]
        response = self.api.delete(f"/v2/project-backup-schedules/{schedule_id}")
        schedule = self.schedules.get(schedule_id)
        if schedule is None:
            assert response.status_code == 403
        elif schedule.system:
            assert response.status_code == 412
        else:
            assert response.status_code == 204
            del self.schedules[schedule_id]
            self.deleted_schedules.append(schedule_id)
        self.schedules_changed = True

    @rule(
        seconds=st.sampled_from(
            [1, 5, 7, 8, 10, 29, 30, 60, 171, 600, 3600, 4 * 3600, 15 * 3600, 86_400]
        )
    )
    def advance(self, seconds: int) -> None:
        target = self.now + seconds * SECOND
        if target > START + HORIZON_MS:
            return
        response = self.api.control("POST", "clock", json={"advanceSeconds": seconds})
        assert response.json()["now"] == iso(target)
        for schedule in self.schedules.values():
            for run in schedule.runs(self.now, target):
                self.expected_runs.append((schedule.id, run, schedule.description))
        self.now = target

    @rule(
        limit=st.integers(1, 5),
        page=st.integers(1, 4),
        newest_first=st.booleans(),
    )
    def list_page(self, limit: int, page: int, newest_first: bool) -> None:
        order = "newestFirst" if newest_first else "oldestFirst"
        response = self.api.get(f"{BACKUPS}?limit={limit}&page={page}&sortOrder={order}")
        assert response.status_code == 200
        ids = [b.id for b in self.present()]
        if newest_first:
            ids.reverse()
        assert [b["id"] for b in response.json()] == ids[(page - 1) * limit : page * limit]
        assert response.headers["x-pagination-totalcount"] == str(len(ids))

    # --- what must hold after every step ----------------------------------------------------------

    def render(self, backup: Backup, deletable: bool) -> dict[str, Any]:
        """The backup as the API must show it (scheduled ones: once adopted)."""
        status = backup.status(self.now)
        assert status is not None
        item: dict[str, Any] = {
            "deletable": deletable,
            "id": backup.id,
            "projectId": PROJECT,
            "requestedAt": iso(backup.requested),
            "status": status,
        }
        if backup.description:
            item["description"] = backup.description
        if backup.parent:
            item["parentId"] = backup.parent
        if status != "InProgress":
            if backup.done_at is not None:
                item["createdAt"] = iso(backup.done_at - backup.done_at % SECOND)
            elif backup.created is not None:
                item["createdAt"] = iso(backup.created)
            if backup.expires is not None:
                item["expiresAt"] = iso(backup.expires)
        return item

    def adopt(self, observed: dict[str, dict[str, Any]]) -> None:
        """Learn the ids of scheduled backups, and what happens inside the 6-171 s window."""
        new = [item for backup_id, item in observed.items() if backup_id not in self.backups]
        expected = sorted((run, parent, d or "") for parent, run, d in self.expected_runs)
        made = sorted(
            (to_ms(i["requestedAt"]), i.get("parentId"), i.get("description", "")) for i in new
        )
        assert made == expected, "the scheduled backups are not the ones the cron times say"
        self.expected_runs = []
        for item in new:
            self.backups[item["id"]] = Backup(
                id=item["id"],
                requested=to_ms(item["requestedAt"]),
                description=item.get("description"),
                parent=item["parentId"],
                run=to_ms(item["requestedAt"]),
                expires_given=False,
            )
        for backup in self.backups.values():
            item = observed.get(backup.id, {})
            if backup.run is None or backup.created is not None or not item:
                continue
            if item["status"] == "InProgress":
                assert self.now < backup.run + 171 * SECOND
                assert "createdAt" not in item
                assert "expiresAt" not in item
                backup.seen = (self.now, "InProgress")
                continue
            assert item["status"] == "Completed"
            created = to_ms(item["createdAt"])
            assert backup.run + 6 * SECOND <= created <= min(backup.run + 171 * SECOND, self.now)
            assert created % SECOND == 0
            backup.created = created
            if not backup.expires_given:
                jitter = to_ms(item["expiresAt"]) - created - SCHEDULE_TTL_MS
                assert 1 <= jitter <= 40
                backup.expires = to_ms(item["expiresAt"])

    def check_export(self, backup: Backup, item: dict[str, Any]) -> None:
        if backup.export is None:
            assert "export" not in item
            return
        export = item["export"]
        phase = backup.export.phase(self.now)
        assert export["phase"] == phase
        assert (export["format"], export["withPassword"]) == (
            backup.export.format,
            backup.export.with_password,
        )
        done = phase == "Completed"
        assert ("downloadURL" in export) is done
        assert ("sha256Checksum" in export) is done
        if phase in ("Completed", "Expired"):
            assert export["expiresAt"] == iso(backup.export.expires_at)
        else:
            assert "expiresAt" not in export

    def check_restores(self, backup: Backup, item: dict[str, Any]) -> None:
        for key in ("restore", "restorePath"):
            until = backup.restores.get(key)
            if until is None:
                assert key not in item
                continue
            assert item[key]["phase"] == ("running" if self.now < until else "completed")

    @invariant()
    def list_and_get_agree_with_the_model(self) -> None:
        response = self.api.get(BACKUPS)
        assert response.status_code == 200
        listed = response.json()
        observed = {item["id"]: item for item in listed}
        self.adopt(observed)
        present = self.present()
        assert [item["id"] for item in listed] == [b.id for b in present]
        kept = self.kept()
        for backup, item in zip(present, listed, strict=True):
            expected = self.render(backup, deletable=backup.id != kept)
            shown = {k: v for k, v in item.items() if k not in ("export", "restore", "restorePath")}
            assert shown == expected
            self.check_export(backup, item)
            self.check_restores(backup, item)
        # The filters see the same state (one a step, in turn: every request costs).
        self.steps += 1
        name, ids = [
            ("withExportsOnly", [b.id for b in present if b.export is not None]),
            ("runningRestoresOnly", [b.id for b in present if b.restore_running(self.now)]),
            ("runningBackupsOnly", [b.id for b in present if b.status(self.now) == "InProgress"]),
        ][self.steps % 3]
        answer = self.api.get(f"{BACKUPS}?{name}=true")
        assert [item["id"] for item in answer.json()] == ids, name
        # GET answers what the list shows: the backup the step touched, and one in turn.
        sample = {listed[self.steps % len(listed)]["id"]} if listed else set()
        if self.touched in observed:
            sample.add(self.touched)
        for backup_id in sample:
            assert self.api.get(self.one(backup_id)).json() == observed[backup_id]
        if self.touched in self.deleted:
            assert self.api.get(self.one(self.touched)).status_code == 403
        self.touched = None
        if self.steps % 4 == 0:
            self.check_a_download(listed)

    def check_a_download(self, listed: list[dict[str, Any]]) -> None:
        """A completed export's downloadURL serves the bytes its sha256Checksum names."""
        for item in listed:
            export = item.get("export", {})
            if export.get("phase") == "Completed":
                url = urlsplit(export["downloadURL"])
                response = self.api.request("GET", f"{url.path}?{url.query}", headers={})
                assert response.status_code == 200
                assert hashlib.sha256(response.content).hexdigest() == export["sha256Checksum"]
                return

    @invariant()
    def schedules_agree_with_the_model(self) -> None:
        if not self.schedules_changed:
            return
        self.schedules_changed = False
        listed = self.api.get(SCHEDULES).json()
        assert [s["id"] for s in listed] == list(self.schedules)
        for item in listed:
            schedule = self.schedules[item["id"]]
            assert item.get("description") == schedule.description
            assert item["isSystemBackup"] is schedule.system
            assert self.api.get(f"/v2/project-backup-schedules/{item['id']}").json() == item
        for schedule_id in self.deleted_schedules[-1:]:
            response = self.api.get(f"/v2/project-backup-schedules/{schedule_id}")
            assert response.status_code == 403


# A short run by default (the README's test command stays short); CI's .ci/run runs a long one:
# MOCKAPI_MACHINE_EXAMPLES=100 pytest tests/test_state_machine.py
BackupApiMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("MOCKAPI_MACHINE_EXAMPLES", "8")),
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_backup_api_state_machine = BackupApiMachine.TestCase
