"""One project's backups as an ordered index of ready JSON: what a page is a slice of."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

import orjson

from mockapi.backups import lifecycle as life

WITH_EXPORT = 1
RESTORE_RUNNING = 2
BACKUP_RUNNING = 4
# Completed (not running, not Failed): the newest such backup is the one a project keeps.
COMPLETED = 8
# Above this many new backups for one project, rebuilding its index beats inserting.
_BULK = 64
SORTED = orjson.OPT_SORT_KEYS


def flags_of(backup: dict[str, Any]) -> int:
    """The filter flags of a backup."""
    flags = 0
    if "export" in backup:
        flags |= WITH_EXPORT
    if life.restore_running(backup):
        flags |= RESTORE_RUNNING
    if life.is_running(backup):
        flags |= BACKUP_RUNNING
    if backup["status"] == "Completed":
        flags |= COMPLETED
    return flags


@lru_cache(maxsize=256)
def _lowered(description: str) -> str:
    # One searchable copy per distinct text, shared by every backup that carries it: a
    # schedule's backups all carry its description.
    return description.lower()


def searchable(backup: dict[str, Any]) -> str:
    """The description a search looks in (lowercase; shared between backups alike)."""
    return _lowered(backup.get("description", ""))


def to_bytes(backup: dict[str, Any], option: int = 0) -> bytes:
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
        self.descriptions.insert(position, searchable(backup))
        self.flags.insert(position, flags_of(backup))
        self._changed()

    def extend(self, backups: list[dict[str, Any]]) -> None:
        """Add many backups: one at a time when few, by one merge and rebuild when many."""
        if len(backups) <= _BULK:
            for backup in backups:
                self.insert(backup, to_bytes(backup))
            return
        rows = list(
            zip(self.requested, self.ids, self.json, self.descriptions, self.flags, strict=True)
        )
        rows += [
            (b["requestedAt"], b["id"], to_bytes(b), searchable(b), flags_of(b)) for b in backups
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
        self.json[position] = to_bytes(backup, SORTED)
        self.descriptions[position] = searchable(backup)
        self.flags[position] = flags_of(backup)
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

    def newest_with(self, flag: int) -> int | None:
        """The position of the newest backup carrying `flag`, or None.

        Scanned from the newest end: what lies after it is only what is still running, a
        few positions in any real history.
        """
        flags = self.flags
        for position in range(len(flags) - 1, -1, -1):
            if flags[position] & flag:
                return position
        return None

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
