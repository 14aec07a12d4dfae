"""The backup domain as one object: loads data, answers queries, makes and deletes backups,
and lets time happen. Exports and restores, and schedules, are concerns of their own
(`exports.py`, `schedules.py`) over the same records and timeline.

Nothing here knows HTTP. Business rules refuse with errors from the one hierarchy, and
time comes in as milliseconds from the caller (the clock), never from the system.
"""

from __future__ import annotations

import secrets
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from mockapi.backups import lifecycle as life
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.backups.exports import EXPORT, RESTORE, Exports
from mockapi.backups.index import (
    BACKUP_RUNNING,
    COMPLETED,
    RESTORE_RUNNING,
    WITH_EXPORT,
    ProjectBackups,
)
from mockapi.backups.project_documents import list_item, project_document
from mockapi.backups.records import Located, ProjectRecord, Records
from mockapi.backups.schedules import (
    DEFAULT_RETENTION_MS,
    RUNS,
    Schedules,
    retention_ms,
    system_schedule,
)
from mockapi.backups.timeline import Timeline
from mockapi.errors import PreconditionFailed
from mockapi.query import BackupQuery, Paging, ProjectQuery
from mockapi.timestamps import format_epoch_ms, parse_ms

__all__ = ["Page", "ProjectRecord", "Store", "StoreConfig"]

_SEARCH_CACHE_SIZE = 256
# Bounds the cache's memory too: 4 million positions are 16 MB, whatever the terms match.
_SEARCH_CACHE_POSITIONS = 4_000_000
# A backup created within this much before the newest one's requestedAt is taken after it.
_SAME_MOMENT_MS = 1000
# The guards of a backup's own events (a running one's completion, a completed one's expiry).
DONE = "done"
EXPIRES = "expires"
# The guard lane of each kind of event: one plan per subject and lane at a time.
LANES = {
    life.BACKUP_DONE: DONE,
    life.BACKUP_EXPIRES: EXPIRES,
    life.EXPORT_STEP: EXPORT,
    life.EXPORT_EXPIRES: EXPORT,
    life.RESTORE_DONE: RESTORE,
    life.SCHEDULE_RUNS: RUNS,
}


@dataclass(frozen=True, slots=True)
class Page:
    """One page of serialised items, with the numbers the pagination headers need."""

    items: Sequence[bytes]
    total: int
    paging: Paging


@dataclass(frozen=True)
class StoreConfig:
    """What the store needs besides data: durations, its public URL, its id seed, the secret
    its download URLs are signed with."""

    durations: life.Durations = field(default_factory=life.Durations)
    public_url: str = "http://127.0.0.1:8080"
    seed: int = 0
    # Signs download URLs: one per start unless derived from a seed (store_config).
    download_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    max_schedules: int = 20  # per project, its system schedule included


class Store:
    """Every served object, indexed; queried by the API and changed by it and by time."""

    def __init__(self, dataset: Dataset, now_ms: int, config: StoreConfig | None = None) -> None:
        self.config = config or StoreConfig()
        self.source = dataset.source
        # The whole API's other items the data brought (seeded by the running state).
        self.resources = dataset.resources
        self.now_ms = now_ms
        self.records = Records(self.config.seed)
        self.timeline = Timeline(LANES)
        # Running backups: when each expires once it completes (its expirationTime).
        self._expiry_target: dict[str, int] = {}
        self._connect()
        with self.timeline.bulk():
            self._load(dataset)

    def _connect(self) -> None:
        """The concerns, over this store's records and timeline."""
        now = self._now
        config = self.config
        self.exports = Exports(
            self.records,
            self.timeline,
            now,
            config.durations,
            config.public_url,
            config.download_secret,
        )
        self.schedules = Schedules(
            self.records, self.timeline, now, self._start_backup, config.max_schedules
        )
        self._searches: OrderedDict[tuple[str, int, int, str], array[int]] = OrderedDict()
        self._searched_positions = 0
        self._project_order: dict[str, list[ProjectRecord]] = {}

    def _now(self) -> int:
        return self.now_ms

    # --- loading -------------------------------------------------------------------------

    def _load(self, dataset: Dataset) -> None:
        """Index a dataset's objects and plan what time will do to them."""
        grouped: dict[str, list[dict[str, Any]]] = {p.id: [] for p in dataset.projects}
        for backup in dataset.backups:
            grouped.setdefault(backup["projectId"], []).append(backup)
        schedules: dict[str, list[dict[str, Any]]] = {}
        for schedule in dataset.schedules:
            schedules.setdefault(schedule["projectId"], []).append(schedule)
        records = self.records
        for info in dataset.projects:
            backups = [self.exports.own(b) for b in grouped[info.id]]
            record = records.projects.get(info.id)
            served = record is not None
            if record is None:
                record = self._new_project(info, backups)
            # Schedules first: a loaded running backup is kept for its schedule's ttl.
            given = schedules.get(info.id, [])
            if not given and not record.schedules:
                given = [system_schedule(record, backups)]
            for schedule in given:
                self.schedules.add(record, schedule)
            record.backups.extend(backups)
            for backup in backups:
                records.backups[backup["id"]] = (info.id, backup["requestedAt"])
                self._plan_loaded(backup, record)
            if served:
                # Added to a served project: its newest may have changed; the rule holds.
                records.renew_newest(record)
            else:
                # Loaded flags are served as given; the newest-is-kept rule applies from here.
                kept = record.backups.newest_with(COMPLETED)
                record.newest = record.backups.ids[kept] if kept is not None else None
        self._project_order.clear()

    def _new_project(self, info: ProjectInfo, backups: list[dict[str, Any]]) -> ProjectRecord:
        # The store's timestamps are all in the one wire format, which sorts as text.
        earliest = min((b["requestedAt"] for b in backups), default=None)
        oldest = parse_ms(earliest) if earliest is not None else None
        document = project_document(info, self.now_ms, oldest)
        record = ProjectRecord(
            info, document, orjson.dumps(list_item(document)), ProjectBackups(), {}
        )
        self.records.add_project(record)
        return record

    def _plan_loaded(self, backup: dict[str, Any], record: ProjectRecord) -> None:
        """Loaded data is served as given; time moves it on from the moment it was loaded."""
        backup_id, now, durations = backup["id"], self.now_ms, self.config.durations
        expires_text = backup.get("expiresAt")
        if life.is_running(backup):
            natural = parse_ms(backup["requestedAt"]) + durations.backup_s * 1000
            done = max(natural, now + durations.backup_s * 1000)
            self._expiry_target[backup_id] = done + retention_ms(record, backup)
            token = self.timeline.guard(backup_id, DONE)
            self.timeline.push(done, life.BACKUP_DONE, backup_id, token)
        elif expires_text is not None:
            expires = parse_ms(expires_text)
            if expires > now:
                self._plan_expiry(backup_id, expires)
        self.exports.plan_loaded(backup)

    def add(self, dataset: Dataset) -> None:
        """Serve a dataset beside the current data; costs in proportion to what is added."""
        clashes = [b["id"] for b in dataset.backups if b["id"] in self.records.backups]
        clashes += [s["id"] for s in dataset.schedules if s["id"] in self.records.schedules]
        if clashes:
            raise DatasetError(
                f"{dataset.source}: id {clashes[0]}: field 'id': duplicate id, already served"
            )
        projects = self.records.projects
        served = Dataset(tuple(r.info for r in projects.values()), source="served data")
        # combine checks short ids against the served ones and names new projects.
        merged = combine([served, dataset])
        touched = {p.id for p in dataset.projects}
        touched |= {b["projectId"] for b in dataset.backups}
        touched |= {s["projectId"] for s in dataset.schedules}
        infos = tuple(p for p in merged.projects if p.id in touched)
        self._load(Dataset(infos, dataset.backups, dataset.schedules, dataset.source))

    # --- copies, summaries ---------------------------------------------------------------

    def copy(self) -> Store:
        """An independent store in the same state (a reset serves a copy of the startup one)."""
        other = Store.__new__(Store)
        other.config, other.source, other.now_ms = self.config, self.source, self.now_ms
        other.resources = self.resources
        other.records = self.records.copy()
        other.timeline = self.timeline.copy()
        other._expiry_target = dict(self._expiry_target)
        other._connect()
        return other

    @property
    def projects(self) -> dict[str, ProjectRecord]:
        """The served projects by UUID."""
        return self.records.projects

    @property
    def backup_count(self) -> int:
        """How many backups are served."""
        return len(self.records.backups)

    @property
    def schedule_count(self) -> int:
        """How many backup schedules exist."""
        return len(self.records.schedules)

    def find(self, project_id: str) -> ProjectRecord | None:
        """The project by UUID or short id (either case), or None."""
        return self.records.find(project_id)

    def backup(self, backup_id: str) -> Located | None:
        """A backup (any case of its id) with its project and position, or None."""
        return self.records.backup(backup_id)

    def schedule(self, schedule_id: str) -> dict[str, Any] | None:
        """A schedule by id, or None."""
        return self.records.schedule(schedule_id)

    def document_chunks(self, resources: dict[str, Any] | None = None) -> Iterator[bytes]:
        """The served data as a fixture document, in chunks (nothing big is built at once).

        The snapshot is taken now, on the caller's thread; the chunks may then be made on
        another one (a streaming response's), while writes go on.
        """
        records = list(self.records.projects.values())
        projects = [r.document for r in records]
        schedules = [s for r in records for s in r.schedules.values()]
        columns = [r.backups.json[:] for r in records]
        return _document_chunks(projects, schedules, columns, resources)

    # --- time ----------------------------------------------------------------------------

    @property
    def next_event_ms(self) -> int | None:
        """When the next thing happens, or None."""
        return self.timeline.next_ms

    def advance(self, target_ms: int, max_events: int | None = None) -> bool:
        """Let what is due up to `target_ms` happen, in time order; True when all of it has.

        With `max_events`, stop after that many events (the store then stands at the time of
        the last one, whole and consistent) so the caller can let others in before going on.
        Expiries that come one after another are taken out of their projects together, so a
        long jump of the clock costs in proportion to the data, not to its square.
        """
        expired: dict[str, dict[str, str]] = {}
        done = 0
        while (event := self.timeline.pop_due(target_ms)) is not None:
            at, kind, key, token = event
            if kind == life.BACKUP_EXPIRES:
                self._expire(key, token, expired)
            else:
                if expired:
                    self.records.take_out(expired)
                self._happen(at, kind, key, token, target_ms)
            done += 1
            if max_events is not None and done >= max_events:
                if expired:
                    self.records.take_out(expired)
                self.now_ms = max(self.now_ms, at)
                next_ms = self.timeline.next_ms
                if next_ms is not None and next_ms <= target_ms:
                    return False
                break
        if expired:
            self.records.take_out(expired)
        self.now_ms = max(self.now_ms, target_ms)
        return True

    def _happen(self, at: int, kind: int, key: str, token: int, target: int) -> None:
        if kind == life.SCHEDULE_RUNS:
            self.schedules.run(at, key, token, target)
            return
        located = self.records.backup(key)
        if located is None:
            return  # deleted meanwhile
        if kind == life.BACKUP_DONE:
            self._complete(at, located, token)
        else:
            self.exports.happen(at, kind, located, token)

    def _complete(self, at: int, located: Located, token: int) -> None:
        record, position, backup = located
        key = backup["id"]
        if not self.timeline.holds(key, DONE, token) or not life.is_running(backup):
            return
        self.timeline.drop(key, DONE)
        expires = self._expiry_target.pop(key, at + DEFAULT_RETENTION_MS)
        # createdAt is recorded in whole seconds: the second it completed in, never after.
        created = at - at % life.SECOND_MS
        record.backups.replace(position, life.completed(backup, created, expires))
        self._plan_expiry(key, expires)
        self.records.renew_newest(record)

    def _plan_expiry(self, backup_id: str, expires_ms: int) -> None:
        """Plan a backup's expiry; one planned before is stale from now."""
        token = self.timeline.guard(backup_id, EXPIRES)
        self.timeline.push(expires_ms, life.BACKUP_EXPIRES, backup_id, token)

    def _expire(self, backup_id: str, token: int, expired: dict[str, dict[str, str]]) -> None:
        """Note a backup whose expiresAt has come (unless it was changed since)."""
        located = self.records.backups.get(backup_id)
        if located is None or not self.timeline.holds(backup_id, EXPIRES, token):
            return
        del self.records.backups[backup_id]
        self._forget(backup_id)
        expired.setdefault(located[0], {})[backup_id] = located[1]

    def _forget(self, backup_id: str) -> None:
        """Drop what the store kept about a backup beside its index entry."""
        self.exports.forget(backup_id)
        self.timeline.drop(backup_id, DONE)
        self.timeline.drop(backup_id, EXPIRES)
        self._expiry_target.pop(backup_id, None)

    # --- reads ---------------------------------------------------------------------------

    def run(self, record: ProjectRecord, query: BackupQuery) -> Page:
        """Filter, sort and slice one project's backups."""
        mask = (
            (WITH_EXPORT if query.with_exports_only else 0)
            | (RESTORE_RUNNING if query.running_restores_only else 0)
            | (BACKUP_RUNNING if query.running_backups_only else 0)
        )
        backups = record.backups
        positions = (
            self._search(record, mask, query.search_term.lower())
            if query.search_term
            else backups.positions(mask)
        )
        json = backups.json
        total = len(json) if positions is None else len(positions)
        chosen = query.paging.window(total, query.newest_first)
        if positions is None:
            items = [json[i] for i in chosen]
        else:
            items = [json[positions[i]] for i in chosen]
        return Page(items, total, query.paging)

    def _search(self, record: ProjectRecord, mask: int, term: str) -> array[int]:
        backups = record.backups
        key = (record.info.id, backups.version, mask, term)
        found = self._searches.get(key)
        if found is not None:
            self._searches.move_to_end(key)
            return found
        ids, descriptions = backups.ids, backups.descriptions
        candidates = backups.positions(mask)
        scan = range(len(ids)) if candidates is None else candidates
        found = array("I", (i for i in scan if term in ids[i] or term in descriptions[i]))
        self._searches[key] = found
        self._searched_positions += len(found)
        while (
            len(self._searches) > _SEARCH_CACHE_SIZE
            or self._searched_positions > _SEARCH_CACHE_POSITIONS
        ) and len(self._searches) > 1:
            self._searched_positions -= len(self._searches.popitem(last=False)[1])
        return found

    def list_projects(self, query: ProjectQuery) -> Page:
        """Filter, sort and slice the projects (as ProjectListItem JSON)."""
        ordered = self._project_order.get(query.sort)
        if ordered is None:
            field_name = "createdAt" if query.sort == "createdAt" else "description"
            ordered = sorted(
                self.records.projects.values(),
                key=lambda r: (str(r.document.get(field_name, "")).lower(), r.info.id),
            )
            self._project_order[query.sort] = ordered
        term = query.search_term.lower()
        chosen = [
            r
            for r in ordered
            if (query.customer_id is None or r.document.get("customerId") == query.customer_id)
            and (query.server_id is None or r.document.get("serverId") == query.server_id)
            and (
                not term
                or term in r.info.id
                or term in r.info.short_id
                or term in r.info.description.lower()
            )
        ]
        window = query.paging.window(len(chosen), query.descending)
        return Page([chosen[i].list_json for i in window], len(chosen), query.paging)

    # --- backups -------------------------------------------------------------------------

    def create_backup(
        self, record: ProjectRecord, expires_ms: int, description: str | None
    ) -> dict[str, Any]:
        """A new backup, InProgress until the backup duration has passed."""
        now = self.now_ms
        backup: dict[str, Any] = {}
        if description:
            backup["description"] = description
        backup.update(
            id=self.records.new_id(),
            projectId=record.info.id,
            requestedAt=format_epoch_ms(_requested_ms(record, now)),
            status="InProgress",
        )
        record.last_created_ms = parse_ms(backup["requestedAt"])
        # Exactly the backup duration after the request: "ten seconds later" is ten seconds.
        done = now + self.config.durations.backup_s * 1000
        self._start_backup(record, backup, done, expires_ms)
        return self.records.require_backup(backup["id"])[2]

    def _start_backup(
        self, record: ProjectRecord, backup: dict[str, Any], done_ms: int, expires_ms: int
    ) -> None:
        """Serve a running backup that completes at `done_ms` and expires at `expires_ms`."""
        self.records.insert(record, backup)
        self._expiry_target[backup["id"]] = expires_ms
        token = self.timeline.guard(backup["id"], DONE)
        self.timeline.push(done_ms, life.BACKUP_DONE, backup["id"], token)

    def update_backup(
        self, backup_id: str, description: str | None, expires_ms: int | None
    ) -> None:
        """Change a backup's description and/or expiration time."""
        record, position, backup = self.records.require_backup(backup_id)
        if description is not None:
            if description:
                backup["description"] = description
            else:
                backup.pop("description", None)  # the API omits an empty description
        if expires_ms is not None:
            if life.is_running(backup):
                self._expiry_target[backup["id"]] = expires_ms
            else:
                backup["expiresAt"] = format_epoch_ms(expires_ms)
                self._plan_expiry(backup["id"], expires_ms)
        record.backups.replace(position, backup)

    def delete_backup(self, backup_id: str) -> None:
        """Delete a backup; one not deletable (the newest Completed one) is refused."""
        record, position, backup = self.records.require_backup(backup_id)
        if not backup["deletable"]:
            raise PreconditionFailed(
                "backup is not deletable: the newest Completed backup of a project is kept"
            )
        self.records.remove(record, position, backup["id"])
        self._forget(backup["id"])


def _requested_ms(record: ProjectRecord, now_ms: int) -> int:
    """When a backup requested now is taken: now, or a millisecond after the newest backup.

    A created backup is the project's newest. On a frozen clock (or two requests in one
    millisecond) its requestedAt would tie with the newest and the id would decide the
    order; taking it a millisecond later keeps it last. Backups created through the API
    always follow one another, however many come in one instant; of other data, only a
    newest backup less than a second ahead is overtaken (data dated further ahead is not).
    """
    requested = now_ms
    if record.last_created_ms is not None:
        requested = max(requested, record.last_created_ms + 1)
    if len(record.backups):
        newest = parse_ms(record.backups.requested[-1])
        if requested <= newest < now_ms + _SAME_MOMENT_MS:
            requested = newest + 1
    return requested


def _document_chunks(
    projects: list[dict[str, Any]],
    schedules: list[dict[str, Any]],
    columns: list[list[bytes]],
    resources: dict[str, Any] | None = None,
) -> Iterator[bytes]:
    yield b'{"projects":' + orjson.dumps(projects)
    yield b',"schedules":' + orjson.dumps(schedules) + b',"backups":['
    first = True
    for column in columns:
        for start in range(0, len(column), 2000):
            chunk = b",".join(column[start : start + 2000])
            if chunk:
                yield chunk if first else b"," + chunk
                first = False
    yield b"]" + (b',"resources":' + orjson.dumps(resources) if resources else b"") + b"}"
