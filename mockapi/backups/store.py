"""The single owner of state: projects, backups and schedules, their indexes, and what time
will do to them. Reads answer queries; writes keep every index in order, in place.

Nothing here knows HTTP. Business rules refuse with errors from the one hierarchy, and
time comes in as milliseconds from the caller (the clock), never from the system.
"""

from __future__ import annotations

import heapq
import posixpath
import random
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from mockapi.backups import lifecycle as life
from mockapi.backups.archive import PLACEHOLDER_ORIGIN, SUFFIXES, checksum
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.backups.project_documents import list_item, project_document
from mockapi.errors import NotFound, PreconditionFailed
from mockapi.ids import uuid_from_bits, uuid_from_text
from mockapi.query import BackupQuery, Paging, ProjectQuery
from mockapi.timestamps import format_epoch_ms, parse_ms

_WITH_EXPORT = 1
_RESTORE_RUNNING = 2
_BACKUP_RUNNING = 4
_SEARCH_CACHE_SIZE = 256
# Bounds the cache's memory too: 4 million positions are 16 MB, whatever the terms match.
_SEARCH_CACHE_POSITIONS = 4_000_000
# Above this many new backups for one project, rebuilding its index beats inserting.
_BULK = 64
DEFAULT_RETENTION_MS = 30 * life.DAY_MS
# A backup created within this much before the newest one's requestedAt is taken after it.
_SAME_MOMENT_MS = 1000
_SORTED = orjson.OPT_SORT_KEYS


@dataclass(frozen=True, slots=True)
class Page:
    """One page of serialised items, with the numbers the pagination headers need."""

    items: Sequence[bytes]
    total: int
    paging: Paging


@dataclass(frozen=True)
class StoreConfig:
    """What the store needs besides data: durations, its public URL, its id seed."""

    durations: life.Durations = field(default_factory=life.Durations)
    public_url: str = "http://127.0.0.1:8080"
    seed: int = 0


def _flags(backup: dict[str, Any]) -> int:
    flags = 0
    if "export" in backup:
        flags |= _WITH_EXPORT
    if life.restore_running(backup):
        flags |= _RESTORE_RUNNING
    if life.is_running(backup):
        flags |= _BACKUP_RUNNING
    return flags


def _bytes(backup: dict[str, Any], option: int = 0) -> bytes:
    # The copy through memoryview matters: orjson's result keeps its whole growth buffer
    # (~4 kB an item, ten times the JSON), and copying releases it.
    return bytes(memoryview(orjson.dumps(backup, option=option)))


class ProjectBackups:
    """One project's backups in oldestFirst order (requestedAt, then id), JSON ready.

    Parallel lists, so a page is a slice of ready bytes and a write is a bisect and one
    insert or delete per list: no re-sort, no re-index.
    """

    __slots__ = ("_by_mask", "descriptions", "flags", "ids", "json", "requested", "version")

    def __init__(self) -> None:
        self.requested: list[str] = []
        self.ids: list[str] = []
        self.json: list[bytes] = []
        # Searched separately: one joined string would let a term match across the seam.
        self.descriptions: list[str] = []
        self.flags = bytearray()
        self.version = 0
        self._by_mask: dict[int, array[int]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def copy(self) -> ProjectBackups:
        """An independent index over the same (immutable) items."""
        other = ProjectBackups()
        other.requested, other.ids = self.requested[:], self.ids[:]
        other.json, other.descriptions = self.json[:], self.descriptions[:]
        other.flags = bytearray(self.flags)
        other.version = self.version
        return other

    def _changed(self) -> None:
        self.version += 1
        self._by_mask.clear()

    def _slot(self, requested: str, backup_id: str) -> int:
        lo, hi = bisect_left(self.requested, requested), bisect_right(self.requested, requested)
        return lo + bisect_left(range(lo, hi), backup_id, key=self.ids.__getitem__)

    def locate(self, requested: str, backup_id: str) -> int:
        """The position of a backup that is in the index."""
        position = self._slot(requested, backup_id)
        if position >= len(self.ids) or self.ids[position] != backup_id:
            raise KeyError(backup_id)
        return position

    def item(self, position: int) -> dict[str, Any]:
        """The backup at a position, as a fresh dict."""
        parsed: dict[str, Any] = orjson.loads(self.json[position])
        return parsed

    def insert(self, backup: dict[str, Any], data: bytes) -> None:
        """Add one backup at its place in the order."""
        position = self._slot(backup["requestedAt"], backup["id"])
        self.requested.insert(position, backup["requestedAt"])
        self.ids.insert(position, backup["id"])
        self.json.insert(position, data)
        self.descriptions.insert(position, backup.get("description", "").lower())
        self.flags.insert(position, _flags(backup))
        self._changed()

    def extend(self, backups: list[dict[str, Any]]) -> None:
        """Add many backups: one at a time when few, by one merge and rebuild when many."""
        if len(backups) <= _BULK:
            for backup in backups:
                self.insert(backup, _bytes(backup))
            return
        rows = list(
            zip(self.requested, self.ids, self.json, self.descriptions, self.flags, strict=True)
        )
        rows += [
            (b["requestedAt"], b["id"], _bytes(b), b.get("description", "").lower(), _flags(b))
            for b in backups
        ]
        # The wire timestamp format sorts lexicographically in time order, so no parsing.
        rows.sort(key=lambda row: (row[0], row[1]))
        requested, ids, json, descriptions, flags = (list(c) for c in zip(*rows, strict=True))
        self.requested, self.ids, self.json = requested, ids, json
        self.descriptions = descriptions
        self.flags = bytearray(flags)
        self._changed()

    def replace(self, position: int, backup: dict[str, Any]) -> None:
        """Change the backup at a position (its requestedAt and id stay)."""
        self.json[position] = _bytes(backup, _SORTED)
        self.descriptions[position] = backup.get("description", "").lower()
        self.flags[position] = _flags(backup)
        self._changed()

    def remove(self, position: int) -> None:
        """Take the backup at a position out."""
        for column in (self.requested, self.ids, self.json, self.descriptions):
            del column[position]
        del self.flags[position]
        self._changed()

    def remove_many(self, gone: dict[str, str]) -> None:
        """Take backups (id -> requestedAt) out: one by one when few, in one pass when many
        (one by one, each would move the whole list)."""
        if len(gone) <= _BULK:
            for backup_id, requested in gone.items():
                self.remove(self.locate(requested, backup_id))
            return
        keep = [i for i, backup_id in enumerate(self.ids) if backup_id not in gone]
        self.requested = [self.requested[i] for i in keep]
        self.ids = [self.ids[i] for i in keep]
        self.json = [self.json[i] for i in keep]
        self.descriptions = [self.descriptions[i] for i in keep]
        self.flags = bytearray(self.flags[i] for i in keep)
        self._changed()

    def positions(self, mask: int) -> array[int] | None:
        """Positions matching every flag in mask (None: all); cached until the next write."""
        if mask == 0:
            return None
        found = self._by_mask.get(mask)
        if found is None:
            flags = self.flags
            found = array("I", (i for i in range(len(flags)) if flags[i] & mask == mask))
            self._by_mask[mask] = found
        return found


@dataclass
class ProjectRecord:
    """One project: its info, its full Project document, backups and schedules."""

    info: ProjectInfo
    document: dict[str, Any]
    list_json: bytes
    backups: ProjectBackups
    schedules: dict[str, dict[str, Any]]
    # The backup the store last made the non-deletable newest one (None: not yet managed).
    newest: str | None = None

    def copy(self) -> ProjectRecord:
        """An independent record (documents and schedule dicts are never changed in place)."""
        return ProjectRecord(
            self.info,
            self.document,
            self.list_json,
            self.backups.copy(),
            dict(self.schedules),
            self.newest,
        )


# (at_ms, kind, key, token): what happens when; token guards against stale events.
Event = tuple[int, int, str, int]


class Store:
    """Every served object, indexed; queried by the API and changed by it and by time."""

    def __init__(self, dataset: Dataset, now_ms: int, config: StoreConfig | None = None) -> None:
        self.config = config or StoreConfig()
        self.source = dataset.source
        self.now_ms = now_ms
        self.projects: dict[str, ProjectRecord] = {}
        self._lookup: dict[str, ProjectRecord] = {}
        # Backup id -> (its project's id, its requestedAt): enough to find its position.
        # Plain strings, so a copy of the store is one C-level dict copy, even for millions.
        self._backups: dict[str, tuple[str, str]] = {}
        self._schedules: dict[str, str] = {}
        self._events: list[Event] = []
        # Guards of pending events: what the store expects when the event comes due.
        self._epochs: dict[str, int] = {}
        self._expiry_target: dict[str, int] = {}
        self._epoch = 0
        self._ids = random.Random(self.config.seed)
        self._searches: OrderedDict[tuple[str, int, int, str], array[int]] = OrderedDict()
        self._searched_positions = 0
        self._project_order: dict[str, list[ProjectRecord]] = {}
        self._loading = True
        self._load(dataset)
        heapq.heapify(self._events)
        self._loading = False

    # --- loading -------------------------------------------------------------------------

    def _load(self, dataset: Dataset) -> None:
        """Index a dataset's objects and plan what time will do to them."""
        grouped: dict[str, list[dict[str, Any]]] = {p.id: [] for p in dataset.projects}
        for backup in dataset.backups:
            grouped.setdefault(backup["projectId"], []).append(backup)
        schedules: dict[str, list[dict[str, Any]]] = {}
        for schedule in dataset.schedules:
            schedules.setdefault(schedule["projectId"], []).append(schedule)
        for info in dataset.projects:
            backups = [self._own_export(b) for b in grouped[info.id]]
            record = self.projects.get(info.id)
            served = record is not None
            if record is None:
                record = self._new_project(info, backups)
            # Schedules first: a loaded running backup is kept for its schedule's ttl.
            given = schedules.get(info.id, [])
            if not given and not record.schedules:
                given = [_system_schedule(record, backups)]
            for schedule in given:
                record.schedules[schedule["id"]] = schedule
                self._schedules[schedule["id"]] = info.id
                self._plan_schedule(schedule, self.now_ms)
            record.backups.extend(backups)
            for backup in backups:
                self._backups[backup["id"]] = (info.id, backup["requestedAt"])
                self._plan_loaded(backup, record)
            if served:
                # Added to a served project: its newest may have changed; the rule holds.
                self._renew_newest(record)
            else:
                # Loaded flags are served as given; the newest-is-kept rule applies from here.
                record.newest = record.backups.ids[-1] if len(record.backups) else None
        self._project_order.clear()

    def _new_project(self, info: ProjectInfo, backups: list[dict[str, Any]]) -> ProjectRecord:
        # The store's timestamps are all in the one wire format, which sorts as text.
        earliest = min((b["requestedAt"] for b in backups), default=None)
        oldest = parse_ms(earliest) if earliest is not None else None
        document = project_document(info, self.now_ms, oldest)
        record = ProjectRecord(
            info, document, orjson.dumps(list_item(document)), ProjectBackups(), {}
        )
        self.projects[info.id] = record
        self._lookup[info.id] = record
        self._lookup[info.short_id] = record
        return record

    def _own_export(self, backup: dict[str, Any]) -> dict[str, Any]:
        """Exports written with the placeholder origin are served from this server's URL."""
        export = backup.get("export")
        if export is None or not export.get("downloadURL", "").startswith(PLACEHOLDER_ORIGIN):
            return backup
        url = self._download_url(backup["id"], export["format"])
        digest = checksum(backup["id"], backup["projectId"], export["format"])
        return {**backup, "export": {**export, "downloadURL": url, "sha256Checksum": digest}}

    def _plan_loaded(self, backup: dict[str, Any], record: ProjectRecord) -> None:
        """Loaded data is served as given; time moves it on from the moment it was loaded."""
        backup_id, now, durations = backup["id"], self.now_ms, self.config.durations
        expires_text = backup.get("expiresAt")
        if life.is_running(backup):
            natural = parse_ms(backup["requestedAt"]) + durations.backup_s * 1000
            done = life.whole_second_after(max(natural, now + durations.backup_s * 1000))
            self._expiry_target[backup_id] = done + _retention_ms(record, backup)
            self._push(done, life.BACKUP_DONE, backup_id)
        elif expires_text is not None:
            expires = parse_ms(expires_text)
            if expires > now:
                self._push(expires, life.BACKUP_EXPIRES, backup_id, expires)
        export = backup.get("export")
        if export is not None:
            phase = export.get("phase")
            if phase in ("Pending", "Exporting"):
                epoch = self._next_epoch(backup_id + ":export")
                self._push(now + durations.export_pending_ms, life.EXPORT_STEP, backup_id, epoch)
            elif phase == "Completed" and "expiresAt" in export:
                expires = parse_ms(export["expiresAt"])
                if expires > now:
                    epoch = self._next_epoch(backup_id + ":export")
                    self._push(expires, life.EXPORT_EXPIRES, backup_id, epoch)
        if life.restore_running(backup):
            epoch = self._next_epoch(backup_id + ":restore")
            self._push(now + durations.restore_s * 1000, life.RESTORE_DONE, backup_id, epoch)

    # --- copies, summaries ---------------------------------------------------------------

    def copy(self) -> Store:
        """An independent store in the same state (a reset serves a copy of the startup one)."""
        other = Store.__new__(Store)
        other.config, other.source, other.now_ms = self.config, self.source, self.now_ms
        other.projects = {pid: record.copy() for pid, record in self.projects.items()}
        other._lookup = {key: other.projects[r.info.id] for key, r in self._lookup.items()}
        other._backups = self._backups.copy()
        other._schedules = self._schedules.copy()
        other._events = self._events[:]
        other._epochs = dict(self._epochs)
        other._expiry_target = dict(self._expiry_target)
        other._epoch = self._epoch
        other._loading = False
        other._ids = random.Random()
        other._ids.setstate(self._ids.getstate())
        other._searches = OrderedDict()
        other._searched_positions = 0
        other._project_order = {}
        return other

    @property
    def backup_count(self) -> int:
        """How many backups are served."""
        return len(self._backups)

    @property
    def schedule_count(self) -> int:
        """How many backup schedules exist."""
        return len(self._schedules)

    def find(self, project_id: str) -> ProjectRecord | None:
        """The project by UUID or short id (either case), or None."""
        return self._lookup.get(project_id) or self._lookup.get(project_id.lower())

    def document_chunks(self) -> Iterator[bytes]:
        """The served data as a fixture document, in chunks (nothing big is built at once).

        The snapshot is taken now, on the caller's thread; the chunks may then be made on
        another one (a streaming response's), while writes go on.
        """
        records = list(self.projects.values())
        projects = [r.document for r in records]
        schedules = [s for r in records for s in r.schedules.values()]
        columns = [r.backups.json[:] for r in records]
        return _document_chunks(projects, schedules, columns)

    # --- time ----------------------------------------------------------------------------

    @property
    def next_event_ms(self) -> int | None:
        """When the next thing happens, or None."""
        return self._events[0][0] if self._events else None

    def advance(self, target_ms: int) -> None:
        """Let everything due up to `target_ms` happen, in time order.

        Expiries that come one after another are taken out of their projects together, so a
        long jump of the clock costs in proportion to the data, not to its square.
        """
        events = self._events
        expired: dict[str, dict[str, str]] = {}
        while events and events[0][0] <= target_ms:
            at, kind, key, token = heapq.heappop(events)
            if kind == life.BACKUP_EXPIRES:
                self._expire(key, token, expired)
                continue
            if expired:
                self._take_out(expired)
            self._apply(at, kind, key, token, target_ms)
        if expired:
            self._take_out(expired)
        self.now_ms = max(self.now_ms, target_ms)

    def _expire(self, backup_id: str, expires_ms: int, expired: dict[str, dict[str, str]]) -> None:
        """Note a backup whose expiresAt has come (unless it was changed since)."""
        located = self._backups.get(backup_id)
        if located is None:
            return
        record = self.projects[located[0]]
        backup = record.backups.item(record.backups.locate(located[1], backup_id))
        if "expiresAt" not in backup or parse_ms(backup["expiresAt"]) != expires_ms:
            return
        del self._backups[backup_id]
        self._forget(backup_id)
        expired.setdefault(located[0], {})[backup_id] = located[1]

    def _take_out(self, expired: dict[str, dict[str, str]]) -> None:
        for project_id, gone in expired.items():
            record = self.projects[project_id]
            record.backups.remove_many(gone)
            self._renew_newest(record)
        expired.clear()

    def _push(self, at: int, kind: int, key: str, token: int = 0) -> None:
        # A first load appends and heapifies once; afterwards each event is pushed, so an
        # addition costs in proportion to its size.
        if self._loading:
            self._events.append((at, kind, key, token))
        else:
            heapq.heappush(self._events, (at, kind, key, token))

    def _next_epoch(self, key: str) -> int:
        self._epoch += 1
        self._epochs[key] = self._epoch
        return self._epoch

    def _apply(self, at: int, kind: int, key: str, token: int, target: int) -> None:
        if kind == life.SCHEDULE_RUNS:
            self._run_schedule(at, key, token, target)
            return
        located = self._backups.get(key)
        if located is None:
            return  # deleted meanwhile
        record, requested = self.projects[located[0]], located[1]
        position = record.backups.locate(requested, key)
        backup = record.backups.item(position)
        durations = self.config.durations
        if kind == life.BACKUP_DONE:
            if not life.is_running(backup):
                return
            expires = self._expiry_target.pop(key, at + DEFAULT_RETENTION_MS)
            backup = life.completed(backup, at, expires)
            self._push(expires, life.BACKUP_EXPIRES, key, expires)
        elif kind in (life.EXPORT_STEP, life.EXPORT_EXPIRES):
            export = backup.get("export")
            if export is None or self._epochs.get(key + ":export") != token:
                return
            if kind == life.EXPORT_EXPIRES:
                backup["export"] = life.export_expired(export)
            elif export["phase"] == "Pending":
                backup["export"] = life.export_exporting(export)
                rest = durations.export_s * 1000 - durations.export_pending_ms
                self._push(at + rest, life.EXPORT_STEP, key, token)
            elif export["phase"] == "Exporting":
                expires = at + durations.export_valid_days * life.DAY_MS
                url = self._download_url(key, export["format"])
                digest = checksum(key, backup["projectId"], export["format"])
                backup["export"] = life.export_completed(export, url, digest, expires)
                self._push(expires, life.EXPORT_EXPIRES, key, token)
            else:
                return
        elif kind == life.RESTORE_DONE:
            if self._epochs.get(key + ":restore") != token:
                return
            backup = life.restores_completed(backup)
        record.backups.replace(position, backup)

    def _run_schedule(self, at: int, schedule_id: str, token: int, target: int) -> None:
        project_id = self._schedules.get(schedule_id)
        if project_id is None or self._epochs.get(schedule_id + ":schedule") != token:
            return
        record = self.projects[project_id]
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
            backup_id = self._new_id(key)
            backup.update(
                id=backup_id,
                parentId=schedule_id,
                projectId=record.info.id,
                requestedAt=format_epoch_ms(at),
                status="InProgress",
            )
            self._insert(record, backup)
            self._expiry_target[backup_id] = expires
            self._push(created, life.BACKUP_DONE, backup_id)
        following = life.next_run_ms(schedule["schedule"], max(at, target - retention - 300_000))
        self._push(following, life.SCHEDULE_RUNS, schedule_id, token)

    def _plan_schedule(self, schedule: dict[str, Any], after_ms: int) -> None:
        epoch = self._next_epoch(schedule["id"] + ":schedule")
        at = life.next_run_ms(schedule["schedule"], after_ms)
        self._push(at, life.SCHEDULE_RUNS, schedule["id"], epoch)

    # --- reads ---------------------------------------------------------------------------

    def run(self, record: ProjectRecord, query: BackupQuery) -> Page:
        """Filter, sort and slice one project's backups."""
        mask = (
            (_WITH_EXPORT if query.with_exports_only else 0)
            | (_RESTORE_RUNNING if query.running_restores_only else 0)
            | (_BACKUP_RUNNING if query.running_backups_only else 0)
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

    def backup(self, backup_id: str) -> tuple[ProjectRecord, int, dict[str, Any]] | None:
        """A backup (any case of its id) with its project and position, or None."""
        key = backup_id if backup_id in self._backups else backup_id.lower()
        located = self._backups.get(key)
        if located is None:
            return None
        record, requested = self.projects[located[0]], located[1]
        position = record.backups.locate(requested, key)
        return record, position, record.backups.item(position)

    def list_projects(self, query: ProjectQuery) -> Page:
        """Filter, sort and slice the projects (as ProjectListItem JSON)."""
        ordered = self._project_order.get(query.sort)
        if ordered is None:
            field_name = "createdAt" if query.sort == "createdAt" else "description"
            ordered = sorted(
                self.projects.values(),
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

    # --- writes --------------------------------------------------------------------------

    def _new_id(self, derived_from: str | None = None) -> str:
        new = uuid_from_text(derived_from) if derived_from is not None else None
        while new is None or new in self._backups or new in self._schedules:
            new = uuid_from_bits(self._ids.getrandbits(128))
        return new

    def _insert(self, record: ProjectRecord, backup: dict[str, Any]) -> None:
        # Deletable unless it lands as the newest (then _renew_newest says otherwise): two
        # schedules on the same minute put a backup before the newest, not after it.
        backup["deletable"] = True
        record.backups.insert(backup, _bytes(backup, _SORTED))
        self._backups[backup["id"]] = (record.info.id, backup["requestedAt"])
        self._renew_newest(record)

    def _delete(self, record: ProjectRecord, position: int, backup_id: str) -> None:
        record.backups.remove(position)
        del self._backups[backup_id]
        self._forget(backup_id)
        self._renew_newest(record)

    def _forget(self, backup_id: str) -> None:
        """Drop what the store kept about a backup beside its index entry."""
        for suffix in (":export", ":restore"):
            self._epochs.pop(backup_id + suffix, None)
        self._expiry_target.pop(backup_id, None)

    def _renew_newest(self, record: ProjectRecord) -> None:
        """The newest backup of a project is the one that is not deletable (as recorded)."""
        ids = record.backups.ids
        newest = ids[-1] if ids else None
        if newest == record.newest:
            return
        previous = record.newest
        record.newest = newest
        for backup_id, deletable in ((previous, True), (newest, False)):
            located = self._backups.get(backup_id) if backup_id else None
            if located is None or located[0] != record.info.id:
                continue
            position = record.backups.locate(located[1], backup_id)  # type: ignore[arg-type]
            backup = record.backups.item(position)
            if backup["deletable"] != deletable:
                backup["deletable"] = deletable
                record.backups.replace(position, backup)

    def create_backup(
        self, record: ProjectRecord, expires_ms: int, description: str | None
    ) -> dict[str, Any]:
        """A new backup, InProgress until the backup duration has passed."""
        now = self.now_ms
        backup: dict[str, Any] = {}
        if description:
            backup["description"] = description
        backup_id = self._new_id()
        backup.update(
            id=backup_id,
            projectId=record.info.id,
            requestedAt=format_epoch_ms(_requested_ms(record, now)),
            status="InProgress",
        )
        self._insert(record, backup)
        self._expiry_target[backup_id] = expires_ms
        done = life.whole_second_after(now + self.config.durations.backup_s * 1000)
        self._push(done, life.BACKUP_DONE, backup_id)
        located = self.backup(backup_id)
        assert located is not None
        return located[2]

    def update_backup(
        self, backup_id: str, description: str | None, expires_ms: int | None
    ) -> None:
        """Change a backup's description and/or expiration time."""
        record, position, backup = self._require_backup(backup_id)
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
                self._push(expires_ms, life.BACKUP_EXPIRES, backup["id"], expires_ms)
        record.backups.replace(position, backup)

    def delete_backup(self, backup_id: str) -> None:
        """Delete a backup; the newest (not deletable) one is refused."""
        record, position, backup = self._require_backup(backup_id)
        if not backup["deletable"]:
            raise PreconditionFailed(
                "backup is not deletable: the newest backup of a project is kept"
            )
        self._delete(record, position, backup["id"])

    def create_export(self, backup_id: str, fmt: str, with_password: bool) -> None:
        """Start exporting a completed backup: Pending, then Exporting, then Completed."""
        record, position, backup = self._require_backup(backup_id)
        if backup["status"] != "Completed":
            raise PreconditionFailed(
                f"backup is {backup['status']}: only a Completed backup can be exported"
            )
        if backup.get("export", {}).get("phase") in ("Pending", "Exporting"):
            raise PreconditionFailed("an export of this backup is already running")
        backup["export"] = life.export_requested(fmt, with_password)
        record.backups.replace(position, backup)
        epoch = self._next_epoch(backup["id"] + ":export")
        pending = self.config.durations.export_pending_ms
        self._push(self.now_ms + pending, life.EXPORT_STEP, backup["id"], epoch)

    def delete_export(self, backup_id: str) -> None:
        """Remove a backup's export (and its download)."""
        record, position, backup = self._require_backup(backup_id)
        if "export" not in backup:
            raise NotFound("this backup has no export")
        del backup["export"]
        self._epochs.pop(backup["id"] + ":export", None)
        record.backups.replace(position, backup)

    def download(self, backup_id: str, token: str) -> tuple[str, str, str] | None:
        """(backup id, project id, format) of a completed export named by its URL, or None."""
        found = self.backup(backup_id)
        if found is None:
            return None
        backup = found[2]
        export = backup.get("export", {})
        if export.get("phase") != "Completed":
            return None
        if not export.get("downloadURL", "").endswith(f"/{backup_id}/{token}"):
            return None
        return backup["id"], backup["projectId"], export["format"]

    def _download_url(self, backup_id: str, fmt: str) -> str:
        name = f"backup.{SUFFIXES.get(fmt, 'tar.gz')}"
        return f"{self.config.public_url}/_mockapi/exports/{backup_id}/{name}"

    def restore(
        self,
        backup_id: str,
        databases: list[dict[str, str]] | None,
        path: dict[str, Any] | None,
    ) -> None:
        """Start restoring a backup's databases and/or paths."""
        record, position, backup = self._require_restorable(backup_id)
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
        self._restart_restore(record, position, backup)

    def restore_path(self, backup_id: str, source: str, target: str | None, clear: bool) -> None:
        """The deprecated restore of one path."""
        record, position, backup = self._require_restorable(backup_id)
        restore_path: dict[str, Any] = {
            "clearTargetPath": clear,
            "determinedTargetPath": target or source,
            "phase": "running",
            "sourcePath": source,
        }
        if target:
            restore_path["targetPath"] = target
        backup["restorePath"] = restore_path
        self._restart_restore(record, position, backup)

    def _restart_restore(
        self, record: ProjectRecord, position: int, backup: dict[str, Any]
    ) -> None:
        record.backups.replace(position, backup)
        epoch = self._next_epoch(backup["id"] + ":restore")
        done = self.now_ms + self.config.durations.restore_s * 1000
        self._push(done, life.RESTORE_DONE, backup["id"], epoch)

    def _require_restorable(self, backup_id: str) -> tuple[ProjectRecord, int, dict[str, Any]]:
        record, position, backup = self._require_backup(backup_id)
        if backup["status"] != "Completed":
            raise PreconditionFailed(
                f"backup is {backup['status']}: only a Completed backup can be restored"
            )
        if life.restore_running(backup):
            raise PreconditionFailed("a restore of this backup is already running")
        return record, position, backup

    def _require_backup(self, backup_id: str) -> tuple[ProjectRecord, int, dict[str, Any]]:
        found = self.backup(backup_id)
        if found is None:
            raise KeyError(backup_id)
        return found

    # --- schedules -----------------------------------------------------------------------

    def schedule(self, schedule_id: str) -> dict[str, Any] | None:
        """A schedule by id, or None."""
        project_id = self._schedules.get(schedule_id) or self._schedules.get(schedule_id.lower())
        record = self.projects.get(project_id) if project_id is not None else None
        if record is None:
            return None
        return record.schedules.get(schedule_id) or record.schedules[schedule_id.lower()]

    def create_schedule(
        self, record: ProjectRecord, cron: str, ttl: str, description: str | None
    ) -> dict[str, Any]:
        """A user schedule; it makes its first backup at its next cron time."""
        now = format_epoch_ms(self.now_ms)
        schedule: dict[str, Any] = {"createdAt": now}
        if description:
            schedule["description"] = description
        schedule.update(
            id=self._new_id(),
            isSystemBackup=False,
            projectId=record.info.id,
            schedule=cron,
            ttl=ttl,
            updatedAt=now,
        )
        record.schedules[schedule["id"]] = schedule
        self._schedules[schedule["id"]] = record.info.id
        self._plan_schedule(schedule, self.now_ms)
        return schedule

    def update_schedule(
        self, schedule_id: str, cron: str | None, ttl: str | None, description: str | None
    ) -> None:
        """Change a schedule; a system schedule keeps its description (its once-a-day rule is
        the input's, checked by the API)."""
        schedule = self._require_schedule(schedule_id)
        record = self.projects[self._schedules[schedule["id"]]]
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
        changed["updatedAt"] = format_epoch_ms(self.now_ms)
        record.schedules[schedule["id"]] = dict(sorted(changed.items()))
        if cron is not None and cron != schedule["schedule"]:
            self._plan_schedule(changed, self.now_ms)

    def delete_schedule(self, schedule_id: str) -> None:
        """Delete a user schedule; its backups stay. The system schedule is refused."""
        schedule = self._require_schedule(schedule_id)
        if schedule["isSystemBackup"]:
            raise PreconditionFailed("the system backup schedule cannot be deleted")
        record = self.projects[self._schedules.pop(schedule["id"])]
        del record.schedules[schedule["id"]]
        self._epochs.pop(schedule["id"] + ":schedule", None)

    def _require_schedule(self, schedule_id: str) -> dict[str, Any]:
        schedule = self.schedule(schedule_id)
        if schedule is None:
            raise KeyError(schedule_id)
        return schedule

    # --- bulk ----------------------------------------------------------------------------

    def add(self, dataset: Dataset) -> None:
        """Serve a dataset beside the current data; costs in proportion to what is added."""
        clashes = [b["id"] for b in dataset.backups if b["id"] in self._backups]
        clashes += [s["id"] for s in dataset.schedules if s["id"] in self._schedules]
        if clashes:
            raise DatasetError(
                f"{dataset.source}: id {clashes[0]}: field 'id': duplicate id, already served"
            )
        served = Dataset(tuple(r.info for r in self.projects.values()), source="served data")
        # combine checks short ids against the served ones and names new projects.
        merged = combine([served, dataset])
        touched = {p.id for p in dataset.projects}
        touched |= {b["projectId"] for b in dataset.backups}
        touched |= {s["projectId"] for s in dataset.schedules}
        infos = tuple(p for p in merged.projects if p.id in touched)
        self._load(Dataset(infos, dataset.backups, dataset.schedules, dataset.source))


def _requested_ms(record: ProjectRecord, now_ms: int) -> int:
    """When a backup requested now is taken: now, or a millisecond after the newest backup.

    A created backup is the project's newest. On a frozen clock (or two requests in one
    millisecond) its requestedAt would tie with the newest and the id would decide the
    order; taking it a millisecond later keeps it last. Only a tie within the second counts:
    data dated further ahead is not overtaken.
    """
    if len(record.backups):
        newest = parse_ms(record.backups.requested[-1])
        if now_ms <= newest < now_ms + _SAME_MOMENT_MS:
            return newest + 1
    return now_ms


def _document_chunks(
    projects: list[dict[str, Any]], schedules: list[dict[str, Any]], columns: list[list[bytes]]
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
    yield b"]}"


def _retention_ms(record: ProjectRecord, backup: dict[str, Any]) -> int:
    schedule = record.schedules.get(backup.get("parentId", ""))
    if schedule is not None and "ttl" in schedule:
        return life.ttl_ms(schedule["ttl"])
    return DEFAULT_RETENTION_MS


def _system_schedule(record: ProjectRecord, backups: list[dict[str, Any]]) -> dict[str, Any]:
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
