"""Items of the whole API's resources that fixture documents bring (`"resources"`):
checked against their kind's schema like backups are, then remembered as if created.

    "resources": {"database.MySqlDatabase": [{...}, ...], "cronjob.Cronjob": [...]}

A kind is named as the README's table names it. An item needs its id, fits its schema, and
names where it lives as a created one would: a project's item its `projectId` (a served
project), a database's user its `databaseId` (a served database, or one of the document's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mockapi.spec.catalog import CUSTOMER, PROJECT, Catalog, Kind, field_for, load_catalog
from mockapi.spec.memory import Chain, Entity, Memory
from mockapi.spec.universe import Roots, Universe
from mockapi.spec.validation import schema_validator

# (kind's full schema name, the item, where it was given: "FILE: resource KIND item N (id X)")
Seed = tuple[str, dict[str, Any], str]


def kind_named(name: str, catalog: Catalog | None = None) -> Kind | None:
    """A kind that remembers, by its short name (`database.MySqlDatabase`)."""
    catalog = catalog or load_catalog()
    for kind in catalog.remembering():
        if name in (kind.short_name, kind.name) and not kind.name.startswith(_BACKUP):
            return kind
    return None


_BACKUP = "de.mittwald.v1.backup."


def check_resources(source: str, raw: Any) -> tuple[list[Seed], list[str]]:
    """A document's `resources`, each item checked against its kind's schema."""
    if not isinstance(raw, dict):
        return [], [f"{source}: 'resources' must be an object of kind names to item arrays"]
    catalog = load_catalog()
    seeds: list[Seed] = []
    problems: list[str] = []
    for name, items in raw.items():
        kind = kind_named(name, catalog)
        if kind is None:
            known = ", ".join(k.short_name for k in catalog.remembering() if "backup" not in k.name)
            problems.append(f"{source}: resources: {name!r} is no kind that remembers ({known})")
            continue
        if not isinstance(items, list):
            problems.append(f"{source}: resources: {name}: must be an array of items")
            continue
        validator = schema_validator(catalog.document, kind.ref)
        for position, item in enumerate(items):
            item_id = item.get(kind.id_field) if isinstance(item, dict) else None
            label = f"{source}: resource {kind.short_name} item {position}" + (
                f" (id {item_id})" if isinstance(item_id, str) else ""
            )
            if not isinstance(item, dict):
                problems.append(f"{label}: must be an object")
                continue
            if not isinstance(item_id, str):
                problems.append(f"{label}: field '{kind.id_field}': required field is missing")
                continue
            errors = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
            for error in errors[:5]:
                where = ".".join(str(p) for p in error.absolute_path) or "object"
                problems.append(f"{label}: field '{where}': {error.message[:200]}")
            if not errors:
                seeds.append((kind.name, item, label))
    return seeds, problems


def seed_memory(
    seeds: Iterable[Seed], roots: Roots, seed: int, memory: Memory | None = None
) -> Memory:
    """A memory (a copy of the given one) that also holds the seeds as created items;
    ValueError naming each one whose place is not served (its project, or its parent)."""
    catalog = load_catalog()
    memory = Memory() if memory is None else memory.copy()
    start = memory.version
    problems: list[str] = []
    for name, item, label in seeds:
        kind = catalog.kinds[name]
        universe = Universe(catalog, seed, roots, memory)
        if universe.find(kind, item[kind.id_field]) is not None:
            problems.append(f"{label}: field '{kind.id_field}': duplicate id, already served")
            continue
        try:
            chain = _chain(universe, kind, item)
        except ValueError as error:
            problems.append(f"{label}: {error}")
            continue
        item_id = item[kind.id_field]
        memory.create(Entity(kind.name, item_id, chain, f"{kind.name}|{item_id}", dict(item)))
    if problems:
        raise ValueError("\n".join(problems))
    memory.version = start
    return memory


def _chain(universe: Universe, kind: Kind, item: dict[str, Any]) -> Chain:
    owner = universe.owner(kind)
    if owner is None:
        return ()
    named = field_for(owner, kind.properties) or owner
    value = item.get(named)
    if not isinstance(value, str):
        raise ValueError(f"field '{named}': required to say where it lives")
    if owner == PROJECT:
        project = universe.roots.find(value)
        if project is None:
            raise ValueError(f"field '{named}': project {value} is not served")
        return ((PROJECT, project.id),)
    if owner == CUSTOMER:
        if value not in universe.roots.customers:
            raise ValueError(f"field '{named}': customer {value} is not a served project's")
        return ((CUSTOMER, value),)
    parent = universe.find(universe.catalog.by_id_param[owner], value)
    if parent is None:
        raise ValueError(f"field '{named}': {value} is not served")
    return ((owner, value), *parent.chain)
