"""Where the document's resources live, and which exist: derived from the served projects,
the seed and the memory, the same way every time.

Every kind lives under an owner: a project (MySQL databases, cronjobs), a customer
(invoices, contracts), another resource (a database's users, a stack's volumes), or the whole
API (apps, container templates). How many live in each place, and their ids, follow from
(seed, kind, place), so a list and a get agree without anything being stored; only what
clients created, changed or deleted is remembered (memory.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from mockapi.ids import uuid_from_text
from mockapi.spec.catalog import (
    CUSTOMER,
    PROJECT,
    PROJECT_KINDS,
    ROOT_KINDS,
    SERVER,
    Catalog,
    Kind,
    field_for,
)
from mockapi.spec.memory import Chain, Entity, Memory


@dataclass(frozen=True, slots=True)
class RootProject:
    """A served project as the generic resources see it."""

    id: str
    short_id: str
    customer_id: str
    server_id: str | None = None
    # The project as the project list shows it (ProjectListItem).
    list_item: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Roots:
    """The served projects, in served order, found by UUID or short id (any case)."""

    projects: tuple[RootProject, ...] = ()
    _lookup: dict[str, RootProject] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for project in self.projects:
            self._lookup[project.id] = project
            self._lookup[project.short_id] = project

    def find(self, value: str) -> RootProject | None:
        """A served project by UUID or short id, or None."""
        return self._lookup.get(value) or self._lookup.get(value.lower())

    @cached_property
    def customers(self) -> list[str]:
        """The served projects' customers, each once, in order."""
        return list(dict.fromkeys(p.customer_id for p in self.projects))

    @cached_property
    def servers(self) -> list[str]:
        """The served projects' servers, each once, in order."""
        return list(dict.fromkeys(p.server_id for p in self.projects if p.server_id))


def _suffixes(param: str) -> list[str]:
    """`mysqlDatabaseId` -> ['databaseId']: the shorter names a field may give it."""
    starts = [i for i, c in enumerate(param) if c.isupper()]
    names = [param[i].lower() + param[i + 1 :] for i in starts]
    return [name for name in names if name != "id"]


def _number(*parts: object) -> int:
    text = "\x1f".join(map(str, parts)).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


class Universe:
    """The resources that exist now; built for one state of roots and memory (cheap: lazy)."""

    def __init__(self, catalog: Catalog, seed: int, roots: Roots, memory: Memory) -> None:
        self.catalog = catalog
        self.seed = seed
        self.roots = roots
        self.memory = memory
        self._scoped: dict[tuple[str, Chain], list[Entity]] = {}
        self._all: dict[str, list[Entity]] = {}
        self._index: dict[str, dict[str, Entity]] = {}
        self._first = roots.projects[0].id if roots.projects else None

    # --- where a kind lives -------------------------------------------------------------

    def owner(self, kind: Kind) -> str | None:
        """The path parameter naming what a kind's items belong to (None: the whole API)."""
        return self.catalog.owner(kind)

    def scopes(self, kind: Kind) -> list[Chain]:
        """Every place a kind's items live."""
        owner = self.owner(kind)
        if owner is None:
            return [()]
        if owner == PROJECT:
            return [((PROJECT, p.id),) for p in self.roots.projects]
        if owner == CUSTOMER:
            return [((CUSTOMER, c),) for c in self.roots.customers]
        parent = self.catalog.by_id_param[owner]
        return [((owner, e.id), *e.chain) for e in self.all(parent)]

    # --- which items exist ----------------------------------------------------------------

    def items(self, kind: Kind, chain: Chain) -> list[Entity]:
        """The items living at one place: derived ones (minus deleted), then created ones."""
        key = (kind.name, chain)
        found = self._scoped.get(key)
        if found is None:
            found = self._derive(kind, chain)
            made = self.memory.created.get(kind.name, {})
            found += [e for e in made.values() if e.chain == chain]
            self._scoped[key] = found
        return found

    def all(self, kind: Kind) -> list[Entity]:
        """Every item of a kind, place by place."""
        found = self._all.get(kind.name)
        if found is None:
            if kind.name in ROOT_KINDS:
                found = self._roots(kind)
            else:
                found = [e for chain in self.scopes(kind) for e in self.items(kind, chain)]
                # Created where no derived place is (a create naming a place of its own).
                places = set(self.scopes(kind))
                made = self.memory.created.get(kind.name, {})
                found += [e for e in made.values() if e.chain not in places]
            self._all[kind.name] = found
        return found

    def find(self, kind: Kind, item_id: str) -> Entity | None:
        """An item of a kind by id (any case), or None."""
        index = self._index.get(kind.name)
        if index is None:
            index = self._index[kind.name] = {e.id: e for e in self.all(kind)}
        return index.get(item_id) or index.get(item_id.lower())

    def known(self, param: str, value: str) -> bool | None:
        """Whether a path parameter names an existing item; None when anything is accepted
        (its kind is listed nowhere, so no id of it could ever have been served)."""
        if param == PROJECT:
            return self.roots.find(value) is not None
        kinds = [
            kind
            for kind in self.catalog.kinds_of_param.get(param, [])
            if kind.name not in PROJECT_KINDS and (kind.lists or kind.name in ROOT_KINDS)
        ]
        if not kinds:
            return None
        return any(self.find(kind, value) is not None for kind in kinds)

    def matching(self, kind: Kind, scope: dict[str, str]) -> list[Entity]:
        """The items a list with these path parameters shows."""
        owner = self.owner(kind)
        if owner is not None and owner in scope:
            parent = [(owner, scope[owner])]
            return [
                e
                for chain in self._chains_under(kind, parent[0])
                for e in self.items(kind, chain)
                if all(dict(e.chain).get(k, v) == v for k, v in scope.items())
            ]
        known = {k: v for k, v in scope.items() if self.in_chain(kind, k)}
        every = self.all(kind)
        if known:
            return [e for e in every if all(dict(e.chain).get(k) == v for k, v in known.items())]
        if any(field_for(k, kind.properties) for k in scope):
            return every  # told apart by a field of theirs, once shown (answers.py)
        if scope and owner is None and kind.name not in ROOT_KINDS:
            # A list under something the kind does not belong to (the system software of an
            # app installation): a part of the whole, the same part for the same place.
            place = "/".join(f"{k}={v}" for k, v in sorted(scope.items()))
            return [e for e in every if _number(self.seed, place, e.id) % 3 == 0] or every[:1]
        return every

    def in_chain(self, kind: Kind, param: str) -> bool:
        """Whether a kind's items carry `param` in their chain (they live under it)."""
        owner = self.owner(kind)
        while owner is not None:
            if owner == param:
                return True
            if owner in (PROJECT, CUSTOMER):
                return False
            kind = self.catalog.by_id_param[owner]
            owner = self.owner(kind)
        return False

    def _chains_under(self, kind: Kind, parent: tuple[str, str]) -> list[Chain]:
        return [chain for chain in self.scopes(kind) if chain[:1] == (parent,)]

    def _derive(self, kind: Kind, chain: Chain) -> list[Entity]:
        count = self._count(kind, chain)
        place = ",".join(f"{k}={v}" for k, v in chain)
        found = []
        for index in range(count):
            item_id = uuid_from_text(f"{self.seed}:{kind.name}:{place}:{index}")
            if item_id in self.memory.deleted:
                continue
            entity = Entity(kind.name, item_id, chain, f"{kind.name}|{item_id}")
            stored = self.memory.changed.get(item_id)
            if stored is not None:
                entity.stored = stored
            found.append(entity)
        return found

    def _count(self, kind: Kind, chain: Chain) -> int:
        return self.count(kind.name, chain)

    def count(self, what: str, chain: Chain) -> int:
        """How many items live at a place: varied, and at least one in the first project's
        places so a demo shows something on every page."""
        n = _number(self.seed, what, chain)
        if not chain:
            return 6 + n % 10
        in_first = self._first is not None and (PROJECT, self._first) in chain
        # Only a project's lists may be empty: every customer has contracts and members,
        # every app versions, every database a user.
        low = 1 if in_first or chain[0][0] != PROJECT else 0
        high = 3 if len(chain) > 1 else 5
        return low + n % (high - low + 1)

    def _roots(self, kind: Kind) -> list[Entity]:
        param = ROOT_KINDS[kind.name]
        ids: Sequence[str] = self.roots.customers if param == CUSTOMER else self.roots.servers
        # Each lives where its first project does, so its fields name that project's
        # customer (a server's customerId is its project's).
        home: dict[str, Chain] = {}
        for project in self.roots.projects:
            value = project.customer_id if param == CUSTOMER else project.server_id
            if value:
                home.setdefault(value, ((PROJECT, project.id),))
        found = [
            Entity(kind.name, item_id, home.get(item_id, ()), f"{kind.name}|{item_id}")
            for item_id in ids
            if item_id not in self.memory.deleted
        ]
        for entity in found:
            entity.stored = self.memory.changed.get(entity.id)
        found += list(self.memory.created.get(kind.name, {}).values())
        return found

    # --- what an item's fields refer to ---------------------------------------------------

    def _referable(self, kind: Kind, name: str, project: RootProject | None) -> list[str]:
        """Ids a field named like a path parameter may take: items of the kind it names in
        the same project (a service's stackId), or of a catalogue (an installation's appId)."""
        others = [k for k in self.catalog.kinds_of_param.get(name, []) if k is not kind]
        # A catalogue first: an instance's extensionId names an extension of the
        # marketplace, not a contributor's own.
        others.sort(key=lambda k: self.owner(k) is not None)
        other = next((k for k in others if k.lists), None)
        if other is None or other.name in PROJECT_KINDS:
            return []
        owner = self.owner(other)
        if owner is None:
            return [e.id for e in self.all(other)]
        if owner == PROJECT and project is not None:
            return [e.id for e in self.items(other, ((PROJECT, project.id),))]
        return []

    @cached_property
    def self_user(self) -> str:
        """The id of the user the token belongs to (`/v2/users/self`)."""
        return uuid_from_text(f"{self.seed}:the user")

    def project_of(self, chain: Chain) -> RootProject | None:
        """The served project an item lives in, if any."""
        value = dict(chain).get(PROJECT)
        return self.roots.find(value) if value is not None else None

    def references(
        self, kind: Kind | None, chain: Chain, item: str | None = None
    ) -> dict[str, list[str]]:
        """Ids a value's fields take: the user, its project, customer and server, and items
        of other kinds in its project (a service's stackId names a stack of the same
        project)."""
        project = self.project_of(chain)
        everyone = self.roots
        references: dict[str, list[str]] = {
            "userId": [self.self_user],
            PROJECT: [project.id] if project else [p.id for p in everyone.projects],
            CUSTOMER: [project.customer_id] if project else list(everyone.customers),
            SERVER: (
                [project.server_id]
                if project is not None and project.server_id
                else list(everyone.servers)
            ),
        }
        if kind is not None:
            for name in kind.properties:
                if name in references:
                    continue
                ids = self._referable(kind, name, project)
                if ids:
                    references[name] = ids
        if kind is not None and item is not None:
            # Fields anywhere in the item naming its own kind name the item itself (a
            # database's main user's databaseId, a cronjob's latest execution's cronjobId).
            for param in kind.id_params:
                references[param] = [item]
                for name in _suffixes(param):
                    references.setdefault(name, [item])  # never the user's or project's
        return {name: ids for name, ids in references.items() if ids}
