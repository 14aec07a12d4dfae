"""The served data: indexed per project, queried by BackupQuery, answered as a Page."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import orjson

from mockapi.dataset import Dataset, ProjectInfo
from mockapi.models import FINAL_BACKUP_STATUSES
from mockapi.query import BackupQuery

_WITH_EXPORT = 1
_RESTORE_RUNNING = 2
_BACKUP_RUNNING = 4
_SEARCH_CACHE_SIZE = 256
# Bounds the cache's memory too: 4 million positions are 16 MB, whatever the terms match.
_SEARCH_CACHE_POSITIONS = 4_000_000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of serialised backups, with the numbers the pagination headers need."""

    items: Sequence[bytes]
    total: int
    limit: int
    skip: int


def _flags(backup: dict[str, Any]) -> int:
    flags = 0
    if "export" in backup:
        flags |= _WITH_EXPORT
    restores = (backup.get("restore"), backup.get("restorePath"))
    if any(r is not None and r["phase"] == "running" for r in restores):
        flags |= _RESTORE_RUNNING
    if backup["status"] not in FINAL_BACKUP_STATUSES:
        flags |= _BACKUP_RUNNING
    return flags


class ProjectBackups:
    """One project's backups, kept in oldestFirst order with their JSON bytes ready."""

    __slots__ = ("_by_mask", "descriptions", "flags", "ids", "info", "json")

    def __init__(self, info: ProjectInfo, backups: list[dict[str, Any]]) -> None:
        self.info = info
        # The wire timestamp format sorts lexicographically in time order, so no parsing.
        backups.sort(key=itemgetter("requestedAt", "id"))
        # Bytes are made once at load: a page is then a join of ready slices. The copy through
        # memoryview matters: orjson's result keeps its whole growth buffer (~4 kB an item,
        # ten times the JSON), and copying releases it.
        self.json: list[bytes] = [bytes(memoryview(orjson.dumps(b))) for b in backups]
        # Searched separately: one joined string would let a term match across the seam.
        self.ids: list[str] = [b["id"] for b in backups]
        self.descriptions: list[str] = [b.get("description", "").lower() for b in backups]
        self.flags = bytes(_flags(b) for b in backups)
        self._by_mask: dict[int, array[int]] = {}

    def positions(self, mask: int) -> array[int] | None:
        """Positions matching every flag in mask (None: all); cached, the data is immutable."""
        if mask == 0:
            return None
        found = self._by_mask.get(mask)
        if found is None:
            flags = self.flags
            found = array("I", (i for i in range(len(flags)) if flags[i] & mask == mask))
            self._by_mask[mask] = found
        return found


class Store:
    """An immutable, indexed dataset; `run` answers a query for one project."""

    def __init__(self, dataset: Dataset) -> None:
        grouped: dict[str, list[dict[str, Any]]] = {p.id: [] for p in dataset.projects}
        for backup in dataset.backups:
            grouped[backup["projectId"]].append(backup)
        # The dicts are not kept: the JSON bytes and search text are all a query needs.
        self.source = dataset.source
        self.backup_count = dataset.backup_count
        self.projects: dict[str, ProjectBackups] = {}
        self._lookup: dict[str, ProjectBackups] = {}
        for info in dataset.projects:
            project = ProjectBackups(info, grouped[info.id])
            self.projects[info.id] = project
            self._lookup[info.id] = project
            self._lookup[info.short_id] = project
        self._searches: OrderedDict[tuple[str, int, str], array[int]] = OrderedDict()
        self._searched_positions = 0

    def to_dataset(self) -> Dataset:
        """The served data as a Dataset again (dicts rebuilt from the stored JSON)."""
        projects = tuple(p.info for p in self.projects.values())
        backups = tuple(orjson.loads(j) for p in self.projects.values() for j in p.json)
        return Dataset(projects, backups, self.source)

    def find(self, project_id: str) -> ProjectBackups | None:
        """The project by UUID or short id (either case), or None."""
        return self._lookup.get(project_id) or self._lookup.get(project_id.lower())

    def run(self, project: ProjectBackups, query: BackupQuery) -> Page:
        """Filter, sort and slice one project's backups."""
        mask = (
            (_WITH_EXPORT if query.with_exports_only else 0)
            | (_RESTORE_RUNNING if query.running_restores_only else 0)
            | (_BACKUP_RUNNING if query.running_backups_only else 0)
        )
        positions = (
            self._search(project, mask, query.search_term.lower())
            if query.search_term
            else project.positions(mask)
        )
        json = project.json
        total = len(json) if positions is None else len(positions)
        skip, limit = query.skip, query.limit
        # Both orders are slices of the oldestFirst list: newestFirst counts from the end.
        if query.newest_first:
            start, stop = max(total - skip - limit, 0), max(total - skip, 0)
            chosen = range(stop - 1, start - 1, -1)
        else:
            chosen = range(min(skip, total), min(skip + limit, total))
        if positions is None:
            items = [json[i] for i in chosen]
        else:
            items = [json[positions[i]] for i in chosen]
        return Page(items, total, limit, skip)

    def _search(self, project: ProjectBackups, mask: int, term: str) -> array[int]:
        key = (project.info.id, mask, term)
        found = self._searches.get(key)
        if found is not None:
            self._searches.move_to_end(key)
            return found
        ids, descriptions = project.ids, project.descriptions
        candidates = project.positions(mask)
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
