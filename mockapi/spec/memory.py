"""The generic memory: what clients created, changed and deleted of the document's resources.

Everything else of a resource is derived (from the seed, the kind and where it lives), so
only the differences are kept. A reset starts a fresh memory; `version` counts changes, so
rendered answers made before one are never served after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import orjson

# Where an entity lives: the path parameters of its list and of its ancestors' lists,
# e.g. (("mysqlDatabaseId", D), ("projectId", P)).
Chain = tuple[tuple[str, str], ...]


@dataclass
class Entity:
    """One resource: its kind, id and chain; `stored` once created or changed (get shape)."""

    kind: str
    id: str
    chain: Chain
    key: str
    stored: dict[str, Any] | None = None

    def scope(self) -> dict[str, str]:
        """The chain as a mapping."""
        return dict(self.chain)


@dataclass
class Memory:
    """Created entities (per kind, in creation order), changed objects, deleted ids."""

    created: dict[str, dict[str, Entity]] = field(default_factory=dict)
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    version: int = 0
    # Bounds what clients can make the mock remember: how many items, and how many bytes
    # they hold (each may keep a whole request body: 100,000 of 64 KiB would be 6 GiB).
    limit: int = 100_000
    byte_limit: int = 256 * 1024 * 1024
    # The JSON size of what is kept of each created or changed item, and their sum.
    sizes: dict[str, int] = field(default_factory=dict)
    stored_bytes: int = 0

    @property
    def size(self) -> int:
        """How many objects are remembered."""
        return sum(len(c) for c in self.created.values()) + len(self.changed) + len(self.deleted)

    def full(self, item_id: str, stored: dict[str, Any] | None) -> str | None:
        """What keeping `stored` for an item would pass (None: it fits): the number of
        items, when the item is not remembered yet, or the bytes."""
        known = item_id in self.sizes or item_id in self.deleted
        if not known and self.size >= self.limit:
            return f"{self.limit:,} created, changed or deleted resources"
        grows = _measure(stored) - self.sizes.get(item_id, 0)
        if grows > 0 and self.stored_bytes + grows > self.byte_limit:
            return f"{self.byte_limit:,} bytes of created and changed resources"
        return None

    def create(self, entity: Entity) -> None:
        """Remember a created entity."""
        self.created.setdefault(entity.kind, {})[entity.id] = entity
        self._keep(entity.id, entity.stored)
        self.version += 1

    def change(self, entity: Entity, stored: dict[str, Any]) -> None:
        """Remember an entity's new state (entities are never changed in place: copies of
        the memory share them)."""
        made = self.created.get(entity.kind, {})
        if entity.id in made:
            made[entity.id] = replace(entity, stored=stored)
        else:
            self.changed[entity.id] = stored
        self._keep(entity.id, stored)
        self.version += 1

    def delete(self, entity: Entity) -> None:
        """Forget a created entity, or hide a derived one."""
        made = self.created.get(entity.kind, {})
        if made.pop(entity.id, None) is None:
            self.deleted.add(entity.id)
        self.changed.pop(entity.id, None)
        self.stored_bytes -= self.sizes.pop(entity.id, 0)
        self.version += 1

    def created_items(self, short_names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        """The created items as a fixture document's `resources` (kind -> items)."""
        return {
            short_names.get(kind, kind): [e.stored for e in made.values() if e.stored is not None]
            for kind, made in self.created.items()
            if made
        }

    def _keep(self, item_id: str, stored: dict[str, Any] | None) -> None:
        size = _measure(stored)
        self.stored_bytes += size - self.sizes.get(item_id, 0)
        self.sizes[item_id] = size

    def to_document(self) -> dict[str, Any]:
        """The memory as JSON-ready data (the state file's `resources` section)."""
        return {
            "created": [
                {
                    "kind": e.kind,
                    "id": e.id,
                    "chain": [list(p) for p in e.chain],
                    "stored": e.stored,
                }
                for made in self.created.values()
                for e in made.values()
            ],
            "changed": self.changed,
            "deleted": sorted(self.deleted),
        }

    @classmethod
    def from_document(cls, document: Any) -> Memory:
        """A memory from `to_document`'s data; ValueError naming what is wrong."""
        if not isinstance(document, dict) or set(document) != {"created", "changed", "deleted"}:
            raise ValueError('must be {"created", "changed", "deleted"}')
        memory = cls()
        for position, item in enumerate(document["created"]):
            try:
                kind, item_id, chain, stored = (
                    item["kind"],
                    item["id"],
                    item["chain"],
                    item["stored"],
                )
                pairs = tuple((str(k), str(v)) for k, v in chain)
            except (KeyError, TypeError, ValueError):
                raise ValueError(
                    f"created item {position}: needs kind, id, chain, stored"
                ) from None
            if not (
                isinstance(kind, str) and isinstance(item_id, str) and isinstance(stored, dict)
            ):
                raise ValueError(f"created item {position}: kind and id are text, stored an object")
            memory.create(Entity(kind, item_id, pairs, f"{kind}|{item_id}", stored))
        changed, deleted = document["changed"], document["deleted"]
        if not isinstance(changed, dict) or not all(isinstance(v, dict) for v in changed.values()):
            raise ValueError("changed must map ids to objects")
        if not isinstance(deleted, list) or not all(isinstance(v, str) for v in deleted):
            raise ValueError("deleted must be a list of ids")
        for item_id, stored in changed.items():
            memory.changed[item_id] = stored
            memory._keep(item_id, stored)
        memory.deleted.update(deleted)
        return memory

    def copy(self) -> Memory:
        """An independent memory in the same state."""
        return Memory(
            {kind: dict(made) for kind, made in self.created.items()},
            dict(self.changed),
            set(self.deleted),
            self.version,
            self.limit,
            self.byte_limit,
            dict(self.sizes),
            self.stored_bytes,
        )


def _measure(stored: dict[str, Any] | None) -> int:
    """The bytes an item's kept state takes, as JSON (a fair measure of its memory)."""
    return 0 if stored is None else len(orjson.dumps(stored))
