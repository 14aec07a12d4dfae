"""What the document says about its resources: which operations list, get, create, change and
delete the same kind of thing, and which path parameter names one of them.

A kind is a component schema with an id (`id`, or the `<name>Id` its GET path ends in) that
some operation answers one of (a GET whose path ends in the parameter naming it; the item
bare, or as the one property of an object) or many of (a GET answering an array of it, bare
or as the one array property of an object). Writes pair with a kind by path: a POST on a path
that lists it creates one; a PATCH or PUT on a path that gets one changes it; a DELETE there
deletes it. The operationId convention `<tag>-create-<noun>` / `-get-<noun>` pairs the
creates whose path lists nothing (`POST /v2/dns-zones` beside
`GET /v2/projects/{projectId}/dns-zones`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from mockapi.spec.document import Schema, SpecDocument, SpecOperation, load_document
from mockapi.spec.validation import InputRules

_PARAM = re.compile(r"\{(\w+)\}")
PROJECT = "projectId"
CUSTOMER = "customerId"
SERVER = "serverId"
# Kinds that are the served data's own: their items are the projects' customers and servers.
ROOT_KINDS = {
    "de.mittwald.v1.customer.Customer": CUSTOMER,
    "de.mittwald.v1.project.Server": SERVER,
}
# Kinds answered from the served projects themselves (the hand-modelled project look-up).
PROJECT_KINDS = frozenset(
    {"de.mittwald.v1.project.Project", "de.mittwald.v1.project.ProjectListItem"}
)
_VERBS = frozenset({"create", "get", "list", "update", "patch", "replace", "edit", "delete"})
# A POST on a path that lists a kind creates one only when its operationId says so: others
# there are checks or actions (`deprecated-domain-check-domain-registrability`).
_CREATES = frozenset({"create", "request", "register"})


class Role(StrEnum):
    """What an operation does to its kind."""

    LIST = "list"
    GET = "get"
    ONE = "one"  # a get of the one item a path implies (`/projects/{projectId}/contract`)
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Listing:
    """A list operation of a kind: its items are bare, or under one property of an object."""

    operation: SpecOperation
    wrapper: str | None = None

    @property
    def params(self) -> tuple[str, ...]:
        """The path parameters that scope the list, in path order."""
        return tuple(_PARAM.findall(self.operation.path))


@dataclass
class Kind:
    """One kind of resource and every operation the document has for it."""

    name: str
    schema: Schema
    properties: dict[str, Schema]
    id_field: str = "id"
    id_params: list[str] = field(default_factory=list)
    gets: list[SpecOperation] = field(default_factory=list)
    lists: list[Listing] = field(default_factory=list)
    creates: list[SpecOperation] = field(default_factory=list)
    updates: list[SpecOperation] = field(default_factory=list)
    deletes: list[SpecOperation] = field(default_factory=list)

    @property
    def ref(self) -> Schema:
        """The kind as a reference: what its items are rendered from (a list's item schema
        and a get's answer are this same reference, so the two show the same values)."""
        return {"$ref": f"#/components/schemas/{self.name}"}

    @property
    def short_name(self) -> str:
        """The schema's name without its package, e.g. `database.MySqlDatabase`."""
        return self.name.removeprefix("de.mittwald.v1.")

    @property
    def remembers(self) -> bool:
        """Created items are kept: the document pairs a create with a get and a list."""
        return bool(self.creates and self.gets and self.lists)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an operation stands: its role, its kind, and the property wrapping its items."""

    role: Role
    kind: Kind | None = None
    wrapper: str | None = None
    # A get's field that its last path parameter must equal (the id field, mostly).
    lookup: str | None = None


_OTHER = Placement(Role.OTHER)


class Catalog:
    """Every kind of the document, and each operation's role."""

    def __init__(self, document: SpecDocument, modelled: frozenset[str] = frozenset()) -> None:
        self.document = document
        self.kinds: dict[str, Kind] = {}
        self.placements: dict[str, Placement] = {}
        # Built on an operation's first request, then shared by every app of the process
        # (building all 650 cost each app 25 ms; their validators compile once, not per app).
        self._rules: dict[tuple[str, str], InputRules] = {}
        self._read_reads()
        self._read_writes()
        # A path parameter names one kind, or several (`extensionId`: an extension, and a
        # contributor's own extension): `by_id_param` holds the first, `kinds_of_param` all.
        self.kinds_of_param: dict[str, list[Kind]] = {}
        for kind in self.kinds.values():
            for name in kind.id_params:
                self.kinds_of_param.setdefault(name, []).append(kind)
        self.by_id_param = {name: kinds[0] for name, kinds in self.kinds_of_param.items()}
        self._owners: dict[str, str | None] = {}

    def owner(self, kind: Kind) -> str | None:
        """The path parameter naming what a kind's items belong to: another resource whose
        list path names them and whose id they carry (a database's users), a project, a
        customer, or None for the whole API (apps, container templates)."""
        if kind.name in self._owners:
            return self._owners[kind.name]
        owner = None
        if kind.name not in ROOT_KINDS:
            single = [li.params[0] for li in kind.lists if len(li.params) == 1]
            parents = [
                param
                for param in single
                if param not in (PROJECT, CUSTOMER)
                and self.by_id_param.get(param) not in (None, kind)
                and field_for(param, kind.properties) is not None
            ]
            params = {p for li in kind.lists for p in li.params}
            if parents:
                owner = parents[0]
            elif PROJECT in params or PROJECT in kind.properties:
                owner = PROJECT
            elif CUSTOMER in params or CUSTOMER in kind.properties:
                owner = CUSTOMER
        self._owners[kind.name] = owner
        return owner

    def remembering(self) -> list[Kind]:
        """The kinds whose created items are remembered, by name."""
        return sorted((k for k in self.kinds.values() if k.remembers), key=lambda k: k.name)

    def input_rules(self, operation: SpecOperation) -> InputRules:
        """The rules of an operation's input."""
        key = (operation.method, operation.path)
        rules = self._rules.get(key)
        if rules is None:
            rules = self._rules[key] = InputRules(self.document, operation)
        return rules

    def placement(self, operation: SpecOperation) -> Placement:
        """The operation's role (OTHER when it belongs to no kind)."""
        return self.placements.get(operation.operation_id, _OTHER)

    def properties(self, schema: Schema) -> dict[str, Schema]:
        """An object schema's top-level properties, `allOf` parts merged."""
        schema = self.document.resolve(schema)
        merged: dict[str, Schema] = {}
        for part in schema.get("allOf", []):
            merged.update(self.properties(part))
        merged.update(schema.get("properties", {}))
        return merged

    def any_properties(self, schema: Schema) -> dict[str, Schema]:
        """The properties any shape of a schema may have: `allOf` parts, and the branches of
        a `oneOf` or `anyOf` (a conversation's message, status update or service request)."""
        schema = self.document.resolve(schema)
        merged = self.properties(schema)
        for branch in [*schema.get("oneOf", []), *schema.get("anyOf", [])]:
            for name, prop in self.any_properties(branch).items():
                merged.setdefault(name, prop)
        return merged

    def _kind(self, name: str, id_param: str | None = None) -> Kind | None:
        kind = self.kinds.get(name)
        if kind is not None:
            return kind
        schema = self.document.resolve(self.document.schemas[name])
        properties = self.properties(schema)
        if "id" in properties:
            id_field = "id"
        elif id_param is not None and id_param in properties:
            id_field = id_param
        else:
            return None
        kind = self.kinds[name] = Kind(name, schema, properties, id_field)
        return kind

    def _read_reads(self) -> None:
        reads = [
            op
            for op in self.document.operations
            if op.method == "GET" and op.response_type == "application/json"
        ]
        # Single gets first: they name the id field of kinds whose id is not `id`.
        for operation in reads:
            named = self._single(operation.response or {})
            found = _PARAM.fullmatch(operation.path.rsplit("/", 1)[-1])
            if named is None or found is None:
                continue
            item, wrapper = named
            kind = self._kind(item, found[1])
            if kind is None:
                continue
            kind.gets.append(operation)
            param = found[1]
            # The last parameter names the item's id, or (`/customers/{customerId}/extensions/
            # {extensionId}` answering an ExtensionInstance) another field that finds it.
            names_id = param == kind.id_field or param not in kind.properties
            if names_id and param not in kind.id_params:
                kind.id_params.append(param)
            lookup = kind.id_field if names_id else param
            self.placements[operation.operation_id] = Placement(Role.GET, kind, wrapper, lookup)
        for operation in reads:
            named = self._single(operation.response or {})
            last = _PARAM.fullmatch(operation.path.rsplit("/", 1)[-1])
            if named is not None and last is None and named[0] in self.kinds:
                kind = self.kinds[named[0]]
                self.placements[operation.operation_id] = Placement(Role.ONE, kind, named[1])
        for operation in reads:
            if operation.operation_id in self.placements:
                continue
            schema = operation.response or {}
            listed = self._listed(schema)
            if listed is not None:
                item, wrapper = listed
                kind = self._kind(item)
                if kind is not None:
                    kind.lists.append(Listing(operation, wrapper))
                    self.placements[operation.operation_id] = Placement(Role.LIST, kind, wrapper)

    def _single(self, schema: Schema) -> tuple[str, str | None] | None:
        """(item schema name, wrapper property) of a one-item answer, or None."""
        named = _ref_name(schema)
        if named is not None:
            return named, None
        branches = [_ref_name(branch) for branch in schema.get("anyOf", [])]
        if branches and branches[0] is not None:
            return branches[0], None  # any one branch will do: its first, a kind's
        properties = schema.get("properties", {})
        if len(properties) == 1:
            name, prop = next(iter(properties.items()))
            item = _ref_name(prop)
            if item is not None:
                return item, name
        return None

    def _listed(self, schema: Schema) -> tuple[str, str | None] | None:
        """(item schema name, wrapper property) of a list answer, or None."""
        if schema.get("type") == "array":
            item = _ref_name(schema.get("items", {}))
            return None if item is None else (item, None)
        properties = schema.get("properties", {})
        arrays = [
            (name, _ref_name(prop.get("items", {})))
            for name, prop in properties.items()
            if prop.get("type") == "array"
        ]
        if len(properties) == 1 and len(arrays) == 1 and arrays[0][1] is not None:
            name, item = arrays[0]
            return item, name  # type: ignore[return-value]
        return None

    def _read_writes(self) -> None:
        list_paths = {
            listing.operation.path: kind for kind in self.kinds.values() for listing in kind.lists
        }
        get_paths = {op.path: kind for kind in self.kinds.values() for op in kind.gets}
        by_noun = {_noun(op.operation_id): kind for kind in self.kinds.values() for op in kind.gets}
        for operation in self.document.operations:
            if operation.operation_id in self.placements or operation.successor is not None:
                continue
            kind, role = None, None
            if operation.method == "POST":
                if not _CREATES & set(operation.operation_id.split("-")):
                    continue
                kind, role = list_paths.get(operation.path), Role.CREATE
                if kind is None and _verb(operation.operation_id) == "create":
                    kind = by_noun.get(_noun(operation.operation_id))
            elif operation.method in ("PATCH", "PUT"):
                kind, role = (
                    get_paths.get(operation.path) or _field_path(operation.path, get_paths),
                    Role.UPDATE,
                )
            elif operation.method == "DELETE":
                kind, role = get_paths.get(operation.path), Role.DELETE
            if kind is None or role is None:
                continue
            {Role.CREATE: kind.creates, Role.UPDATE: kind.updates, Role.DELETE: kind.deletes}[
                role
            ].append(operation)
            self.placements[operation.operation_id] = Placement(role, kind)


def field_for(param: str, properties: Mapping[str, object]) -> str | None:
    """The property a path parameter fills: its own name, or its name without leading words
    (`mysqlDatabaseId` -> `databaseId`); never the bare `id`."""
    if param in properties:
        return param
    words = [i for i, c in enumerate(param) if c.isupper()]
    for start in words:
        candidate = param[start].lower() + param[start + 1 :]
        if candidate != "id" and candidate in properties:
            return candidate
    return None


def _field_path(path: str, get_paths: Mapping[str, Kind]) -> Kind | None:
    """The kind whose one field a path under its get path changes (`.../description`)."""
    base, _, tail = path.rpartition("/")
    while base and "{" not in tail and "action" not in tail:
        kind = get_paths.get(base)
        if kind is not None:
            return kind
        base, _, more = base.rpartition("/")
        tail = more + "/" + tail
    return None


def _ref_name(schema: Schema) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _verb(operation_id: str) -> str | None:
    for token in operation_id.split("-")[1:]:
        if token in _VERBS:
            return token
    return None


def _noun(operation_id: str) -> str:
    """`database-get-mysql-database` -> `database:mysql-database` (tag and noun)."""
    tokens = operation_id.split("-")
    for index, token in enumerate(tokens[1:], start=1):
        if token in _VERBS:
            return "-".join(tokens[:index]) + ":" + "-".join(tokens[index + 1 :])
    return operation_id


@cache
def load_catalog() -> Catalog:
    """The catalog of the shipped document (built once per process)."""
    catalog = Catalog(load_document())
    # The document's million objects live as long as the process: kept out of the garbage
    # collector's scans, which otherwise halved the speed of building an app after it and
    # paused requests on every full collection.
    gc.freeze()
    return catalog
