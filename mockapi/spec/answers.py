"""The answer to any operation of the document that no hand-modelled code answers.

An operation's place in the catalog decides: a list shows the items living where its path
points, paged; a get finds one by id; a create, change or delete is remembered where the
document pairs them; everything else is generated from the documented schema, keyed by the
operation and its path, so the same request gets the same body. Nothing here knows HTTP
beyond statuses and headers, nor any backup rule.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from mockapi.errors import ApiError
from mockapi.ids import uuid_from_text
from mockapi.query import Paging
from mockapi.spec.catalog import PROJECT, PROJECT_KINDS, Catalog, Kind, Placement, Role, field_for
from mockapi.spec.coherence import FIXES
from mockapi.spec.document import Schema, SpecOperation
from mockapi.spec.memory import Chain, Entity, Memory
from mockapi.spec.prose import ANSWERS as PROSE
from mockapi.spec.universe import Universe
from mockapi.spec.validation import schema_validator
from mockapi.spec.values import Context, Values
from mockapi.timestamps import format_epoch_ms

JSON = b"application/json"
DEFAULT_LIMIT = 1000
# A small valid PNG (1x1, transparent) for the image answers (avatars, screenshots).
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Unknown(Exception):
    """A path parameter names nothing that exists: a project, or another resource."""

    def __init__(self, param: str, value: str) -> None:
        super().__init__(f"{param} {value!r} names nothing served")
        self.param = param
        self.value = value

    @property
    def project(self) -> bool:
        """True when the unknown thing is a project (the API answers those its own way)."""
        return self.param == PROJECT


class MemoryFull(ApiError):
    """409: the generic memory holds as much as it may."""

    status = 409
    type = "Conflict"


@dataclass(frozen=True, slots=True)
class Answer:
    """Status, body and headers of a generic answer."""

    status: int
    body: bytes | None = None
    headers: tuple[tuple[bytes, bytes], ...] = ()
    content_type: bytes = JSON


@dataclass(frozen=True, slots=True)
class Request:
    """One generic request, parsed: its path parameters, query values and JSON body."""

    params: dict[str, str]
    query: dict[str, Any]
    body: Any
    now_ms: int


class Answers:
    """Answers every operation of the catalog's document, consistently over one universe."""

    def __init__(self, catalog: Catalog, values: Values, seed: int, start_ms: int) -> None:
        self.catalog = catalog
        self.values = values
        self.seed = seed
        # Generated dates sit before the clock's start: the same bodies however time runs.
        self.start_ms = start_ms
        self._validators: dict[int, Any] = {}
        # (operation, status, the error's keys) -> whether the dialect satisfies the schema
        self._plain_errors: dict[tuple[str, int, tuple[str, ...]], bool] = {}

    # --- the one entry -------------------------------------------------------------------

    def answer(self, universe: Universe, operation: SpecOperation, request: Request) -> Answer:
        """The answer to one request of a generic operation (raises Unknown, ApiError)."""
        if operation.successor is not None:
            return self.redirect(operation, request.params)
        params = self._resolved(universe, operation, request.params)
        request = replace(request, params=params)
        placement = self.catalog.placement(operation)
        kind = placement.kind
        if kind is not None and kind.name in PROJECT_KINDS and placement.role is Role.LIST:
            return self._served_projects(universe, operation, request)
        told = PROSE.get(operation.operation_id)
        if told is not None:
            return self._json(operation.status, told(request.query))
        if kind is None or kind.name in PROJECT_KINDS:
            if operation.method == "GET" and _array_of(operation.response) is not None:
                return self._plain_list(universe, operation, request)
            return self._documented(universe, operation, request)
        role = placement.role
        if role is Role.LIST:
            return self._list(universe, operation, placement, kind, request)
        if role is Role.GET:
            entity = self._target(universe, operation, placement, kind, params)
            return self._json(operation.status, self._shown(universe, kind, entity, placement))
        if role is Role.ONE:
            implied = self._implied(universe, kind, params)
            if implied is not None:
                shown = self._shown(universe, kind, implied, placement)
                return self._json(operation.status, shown)
        if role is Role.CREATE and kind.remembers:
            return self._create(universe, operation, kind, request)
        if role is Role.UPDATE and kind.lists:
            entity = self._target(universe, operation, placement, kind, params)
            return self._update(universe, operation, kind, entity, request)
        if role is Role.DELETE and kind.lists:
            entity = self._target(universe, operation, placement, kind, params)
            _make_room(universe.memory, entity.id, None)
            universe.memory.delete(entity)
            return self._documented(universe, operation, request)
        if role in (Role.UPDATE, Role.DELETE):
            self._target(universe, operation, placement, kind, params)
        return self._documented(universe, operation, request)

    def empty_list(self, operation: SpecOperation, request: Request) -> Answer:
        """A list operation's answer with no items (for an unknown project, when asked)."""
        return self._page(operation, request, [], self.catalog.placement(operation).wrapper)

    def fitted_error(
        self, operation: SpecOperation, status: int, error: dict[str, Any]
    ) -> dict[str, Any] | None:
        """An error body laid over what the operation documents for its status, where the
        API's dialect does not satisfy that schema (OAuth's `{"error": ...}`, a certificate's
        enumerated messages); None when it does (almost everywhere) or cannot be made to."""
        responses = operation.raw.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            return None
        content = (self.catalog.document.resolve(response).get("content") or {}).get(
            "application/json"
        )
        if content is None:
            return None
        schema = content.get("schema") or {}
        key = (operation.operation_id, status, tuple(error))
        plain = self._plain_errors.get(key)
        if plain is None:
            plain = self._plain_errors[key] = self._fits(schema, error)
        if plain:
            return None
        context = Context(self.seed, f"{operation.operation_id}|error|{status}", self.start_ms)
        fitted = self.values.generate(schema, context)
        if not isinstance(fitted, dict):
            return None
        properties = self.catalog.properties(schema)
        message = error.get("message")
        for name, value in error.items():
            if name not in properties or self._fits(properties[name], value):
                fitted[name] = value
        for name in _DESCRIPTIONS:
            if name in properties and name not in error and self._fits(properties[name], message):
                fitted[name] = message  # the one human sentence, where the schema has room
        code = properties.get("error")
        if code is not None and status == 400 and self._fits(code, "invalid_request"):
            fitted["error"] = "invalid_request"  # OAuth's word for a malformed request
        if "validationErrors" in fitted and "validationErrors" not in error:
            fitted["validationErrors"] = []  # nothing was invalid: none are named
        return fitted if self._fits(schema, fitted) else None

    # --- path parameters -----------------------------------------------------------------

    def _resolved(
        self, universe: Universe, operation: SpecOperation, params: dict[str, str]
    ) -> dict[str, str]:
        """Path parameters checked against what exists; project short ids as UUIDs."""
        resolved = dict(params)
        placement = self.catalog.placement(operation)
        last = operation.last_param
        for name, value in params.items():
            if name == PROJECT:
                project = universe.roots.find(value)
                if project is None:
                    raise Unknown(name, value)
                resolved[name] = project.id
                continue
            if name == "userId" and value == "self":
                resolved[name] = universe.self_user
                continue
            if name == last and placement.role in (Role.GET, Role.UPDATE, Role.DELETE):
                continue  # the target itself: found (or not) by its own rule
            if universe.known(name, value) is False:
                raise Unknown(name, value)
        return resolved

    def _target(
        self,
        universe: Universe,
        operation: SpecOperation,
        placement: Placement,
        kind: Kind,
        params: dict[str, str],
    ) -> Entity:
        """The one item a get, change or delete names (Unknown when it does not exist)."""
        name = operation.last_param or ""
        value = params[name]
        if placement.lookup not in (None, kind.id_field):
            # Found by another field (an extension's instance for a customer).
            for entity in universe.all(kind):
                shown = self._render(universe, kind, entity, kind.ref)
                if shown.get(placement.lookup) == value:
                    return entity
            raise Unknown(name, value)
        listed = bool(kind.lists) or kind.name in _ROOTS
        found = universe.find(kind, value) if listed else None
        if found is None and listed:
            raise Unknown(name, value)
        if found is None and not self._fits(kind.properties.get(kind.id_field, {}), value):
            raise Unknown(name, value)  # not even of the id's form: it cannot exist
        # Listed nowhere: any id is one, described the same way every time.
        entity = found or Entity(kind.name, value, (), f"{kind.name}|{value}")
        chain = dict(entity.chain)
        for other, given in params.items():
            chained = chain.get(other) if other != name else None
            if chained is not None and chained != given:
                raise Unknown(name, value)  # it lives elsewhere
        return entity

    def _implied(self, universe: Universe, kind: Kind, params: dict[str, str]) -> Entity | None:
        """The item a path implies (a project's contract: one of its customer's contracts;
        a project's own membership), the same one every time; None when there is none."""
        if not kind.lists and kind.id_field == "userId":
            return Entity(kind.name, universe.self_user, (), f"{kind.name}|{universe.self_user}")
        place: dict[str, str] = {}
        for name, value in params.items():
            if name in (PROJECT, "customerId"):
                place[name] = value
                continue
            other = self.catalog.by_id_param.get(name)
            found = universe.find(other, value) if other is not None else None
            if found is not None:
                place.update(dict(found.chain))
        project = universe.roots.find(place.get(PROJECT, ""))
        if project is not None:
            place.setdefault("customerId", project.customer_id)
        owner = universe.owner(kind)
        candidates = (
            universe.matching(kind, {owner: place[owner]})
            if owner is not None and owner in place
            else universe.all(kind)
        )
        if not candidates:
            return None
        choice = hashlib.blake2b(repr(sorted(params.items())).encode(), digest_size=8)
        return candidates[int.from_bytes(choice.digest(), "big") % len(candidates)]

    # --- lists ---------------------------------------------------------------------------

    def _list(
        self,
        universe: Universe,
        operation: SpecOperation,
        placement: Placement,
        kind: Kind,
        request: Request,
    ) -> Answer:
        item_schema = _item_schema(operation.response or {}, placement.wrapper)
        entities = universe.matching(kind, request.params)
        items = [self._render(universe, kind, e, item_schema) for e in entities]
        for param, value in request.params.items():
            named = field_for(param, kind.properties)
            if named is not None and not universe.in_chain(kind, param):
                # A list under something the items only name (a customer's AI keys).
                items = [i for i in items if not isinstance(i, dict) or i.get(named) == value]
        items = _filtered(items, request.query, kind)
        return self._page(operation, request, items, placement.wrapper)

    def _plain_list(self, universe: Universe, operation: SpecOperation, request: Request) -> Answer:
        """A list of things that are no kind (activities, page insights): a few of them,
        the same for the same path, each generated under its own key."""
        found = _array_of(operation.response)
        assert found is not None
        wrapper, schema = found
        project = universe.roots.find(request.params.get(PROJECT, ""))
        chain: Chain = ((PROJECT, project.id),) if project is not None else ()
        key = _request_key(operation, request.params)
        own = self._bound(self.catalog.any_properties(schema), request.params.items())
        references = universe.references(None, chain)
        items = [
            self.values.generate(
                schema, Context(self.seed, f"{key}|{index}", self.start_ms, own, references)
            )
            for index in range(universe.count(key, chain))
        ]
        items = _filtered(items, request.query, None)
        return self._page(operation, request, items, wrapper)

    def _served_projects(
        self, universe: Universe, operation: SpecOperation, request: Request
    ) -> Answer:
        """A list of projects: the served ones (a customer's, here), as the project list."""
        wanted = request.params.get("customerId")
        chosen = [p.list_item for p in universe.roots.projects if wanted in (None, p.customer_id)]
        return self._page(operation, request, chosen, None)

    def _page(
        self,
        operation: SpecOperation,
        request: Request,
        items: list[Any],
        wrapper: str | None,
    ) -> Answer:
        query = request.query
        names = {p.name for p in operation.query_parameters}
        headers: tuple[tuple[bytes, bytes], ...] = ()
        if "limit" in names or operation.paginated:
            limit_schema = next(
                (p.schema for p in operation.query_parameters if p.name == "limit"), {}
            )
            default = int(limit_schema.get("default", DEFAULT_LIMIT)) or DEFAULT_LIMIT
            limit = int(query.get("limit") or default)
            skip = query.get("skip")
            page = int(query.get("page") or 0)
            if skip is not None and skip > 0:
                paging = Paging(limit, int(skip))
            else:
                paging = Paging(limit, (page - 1) * limit if page > 0 else 0)
            window = paging.window(len(items))
            total = len(items)
            items = [items[i] for i in window]
            values = {
                "x-pagination-limit": paging.limit,
                "x-pagination-skip": paging.skip,
                "x-pagination-page": paging.page,
                "x-pagination-totalcount": total,
            }
            headers = tuple(
                (name.encode(), str(values[name]).encode())
                for name in operation.headers
                if name in values
            )
        body: Any = items if wrapper is None else {wrapper: items}
        return Answer(operation.status, _dumps(body), headers)

    # --- writes --------------------------------------------------------------------------

    def _create(
        self, universe: Universe, operation: SpecOperation, kind: Kind, request: Request
    ) -> Answer:
        memory = universe.memory
        _make_room(memory, "", None)  # refused before any work when the memory is full
        chain = self._chain_of_new(universe, kind, request)
        made = len(memory.created.get(kind.name, {}))
        item_id = uuid_from_text(f"{self.seed}:{kind.name}:created:{memory.version}:{made}")
        entity = Entity(kind.name, item_id, chain, f"{kind.name}|{item_id}")
        stored = self._render(universe, kind, entity, kind.ref)
        stored = self._merged(kind, stored, request.body)
        references = universe.references(kind, chain, item_id)
        stored = self._cohere(kind, kind.ref, stored, references, request.body)
        bound = self._bound(kind.properties, request.params.items())
        stored.update({k: v for k, v in bound.items() if k != kind.id_field})  # where made
        _stamp(kind, stored, request.now_ms, ("createdAt", "updatedAt", "created", "updated"))
        entity.stored = stored
        _make_room(memory, item_id, stored)
        memory.create(entity)
        return self._documented(universe, operation, request, entity)

    def _chain_of_new(self, universe: Universe, kind: Kind, request: Request) -> Chain:
        """Where a created item lives: its path's owner, or the owner its body names."""
        owner = universe.owner(kind)
        if owner is None:
            return ()
        value = request.params.get(owner)
        if value is None and isinstance(request.body, dict):
            named = field_for(owner, kind.properties) or owner
            given = request.body.get(named)
            if isinstance(given, str):
                if owner == PROJECT:
                    project = universe.roots.find(given)
                    value = project.id if project is not None else None
                elif universe.known(owner, given):
                    value = given
        if value is None and isinstance(request.body, dict):
            # Made under another of its kind (a DNS zone's parentZoneId): it lives there too.
            for given in request.body.values():
                parent = universe.find(kind, given) if isinstance(given, str) else None
                if parent is not None:
                    return parent.chain
        if value is None:
            return ()
        if owner in (PROJECT, "customerId"):
            return ((owner, value),)
        parent_kind = self.catalog.by_id_param[owner]
        parent = universe.find(parent_kind, value)
        return ((owner, value), *(parent.chain if parent is not None else ()))

    def _update(
        self,
        universe: Universe,
        operation: SpecOperation,
        kind: Kind,
        entity: Entity,
        request: Request,
    ) -> Answer:
        current = self._render(universe, kind, entity, kind.ref)
        changed = self._merged(kind, dict(current), request.body)
        _stamp(kind, changed, request.now_ms, ("updatedAt", "updated"))
        _make_room(universe.memory, entity.id, changed)
        universe.memory.change(entity, changed)
        return self._documented(universe, operation, request, replace(entity, stored=changed))

    def _merged(self, kind: Kind, stored: dict[str, Any], body: Any) -> dict[str, Any]:
        """The fields a client sent, where the kind has a field of that name, merged field
        by field into what it has (one level down too: `{"database": {"description": ...}}`);
        a value that does not fit its field's schema is left out, so answers stay valid."""
        if not isinstance(body, dict):
            return stored
        sent = [(k, v) for k, v in body.items() if k in kind.properties]
        sent += [
            (k, v)
            for nested in body.values()
            if isinstance(nested, dict)
            for k, v in nested.items()
            if k in kind.properties and k not in body
        ]
        for name, value in sent:
            if name == kind.id_field or value is None:
                continue
            merged = self._merge_into(kind.properties[name], stored.get(name), value)
            if merged is not None:
                stored[name] = merged
        return stored

    def _merge_into(self, schema: Schema, current: Any, sent: Any) -> Any:
        """`sent` laid over `current` (objects field by field), if the result fits."""
        properties = self.catalog.properties(schema)
        if isinstance(sent, dict) and properties and isinstance(current, dict | None):
            merged = dict(current or {})
            for key, value in sent.items():
                if key in properties and value is not None:
                    inner = self._merge_into(properties[key], merged.get(key), value)
                    if inner is not None:
                        merged[key] = inner
            return merged if self._fits(schema, merged) else current
        if isinstance(sent, dict) and isinstance(current, dict):
            # A choice of shapes (oneOf): the sent fields over the current ones, if that is
            # still one of them; else what was sent, if it is.
            laid = {**current, **sent}
            if self._fits(schema, laid):
                return laid
        return sent if self._fits(schema, sent) else current

    def _bound(
        self, properties: dict[str, Schema], pairs: Iterable[tuple[str, str]]
    ) -> dict[str, Any]:
        """The fields path values fill (`projectId`, a database's users' `databaseId`), where
        the value fits the field (a contributor named `example` fills no UUID field)."""
        own: dict[str, Any] = {}
        for param, value in pairs:
            named = field_for(param, properties)
            if named is not None and self._fits(properties[named], value):
                own[named] = value
        return own

    def _fits(self, schema: Schema, value: Any) -> bool:
        validator = self._validators.get(id(schema))
        if validator is None:
            validator = schema_validator(self.catalog.document, schema)
            self._validators[id(schema)] = validator
        return bool(validator.is_valid(value))

    # --- rendering -----------------------------------------------------------------------

    def _shown(self, universe: Universe, kind: Kind, entity: Entity, placement: Placement) -> Any:
        shown = self._render(universe, kind, entity, kind.ref)
        return shown if placement.wrapper is None else {placement.wrapper: shown}

    def _render(self, universe: Universe, kind: Kind, entity: Entity, schema: Schema) -> Any:
        """An item as a schema shows it: what is stored of it, else generated from its key."""
        resolved = self.catalog.document.resolve(schema)
        if entity.stored is not None and resolved is kind.schema:
            return dict(entity.stored)
        own = {kind.id_field: entity.id, **self._bound(kind.properties, entity.chain)}
        context = Context(
            self.seed,
            entity.key,
            self.start_ms,
            own,
            universe.references(kind, entity.chain, entity.id),
        )
        value = self.values.generate(schema, context)
        if entity.stored is not None and isinstance(value, dict):
            for name, stored in entity.stored.items():
                if name in value or name in self.catalog.properties(resolved):
                    value[name] = stored
        return self._cohere(kind, schema, value, context.references)

    def _cohere(
        self,
        kind: Kind,
        schema: Schema,
        value: Any,
        references: Mapping[str, Sequence[str]],
        sent: Any = None,
    ) -> Any:
        """The item with its fields agreeing (coherence.py), when that still fits."""
        fix = FIXES.get(kind.name)
        if fix is None or not isinstance(value, dict):
            return value
        fixed = copy.deepcopy(value)
        fix(fixed, references, sent if isinstance(sent, dict) else {})
        return fixed if self._fits(schema, fixed) else value

    def _documented(
        self,
        universe: Universe,
        operation: SpecOperation,
        request: Request,
        entity: Entity | None = None,
    ) -> Answer:
        """The documented success, its body generated (an item's, when one is given)."""
        if operation.response is None or operation.status in _NO_CONTENT:
            # Five operations document a JSON body on a 204: HTTP allows none there (RFC
            # 9110, 15.3.5), and clients refuse to read one.
            return Answer(operation.status)
        if operation.response_type != "application/json":
            return self._file(operation, request)
        key = entity.key if entity is not None else _request_key(operation, request.params)
        own = self._bound(self.catalog.any_properties(operation.response), request.params.items())
        project = universe.roots.find(request.params.get(PROJECT, "")) if request.params else None
        chain: Chain = ((PROJECT, project.id),) if project is not None else ()
        if entity is not None:
            kind = self.catalog.kinds[entity.kind]
            own[kind.id_field] = entity.id
            if "id" in self.catalog.properties(operation.response):
                own["id"] = entity.id
            chain = entity.chain
        context = Context(self.seed, key, self.start_ms, own, universe.references(None, chain))
        value = self.values.generate(operation.response, context)
        if entity is not None and entity.stored is not None and isinstance(value, dict):
            properties = self.catalog.properties(operation.response)
            for name, stored in entity.stored.items():
                if name in properties:
                    value[name] = stored
        return self._json(operation.status, value)

    def _file(self, operation: SpecOperation, request: Request) -> Answer:
        kinds = list(
            (operation.raw["responses"].get(str(operation.status)) or {}).get("content", {})
        )
        digest = hashlib.sha256(_request_key(operation, request.params).encode()).digest()
        if "image/png" in kinds or any(k.startswith("image/") for k in kinds):
            return Answer(operation.status, _PNG, (), b"image/png")
        if operation.response_type and operation.response_type.startswith("text/"):
            text = f"mockapi: {operation.summary or operation.operation_id}\n".encode()
            return Answer(operation.status, text, (), b"text/plain; charset=utf-8")
        return Answer(operation.status, digest * 8, (), b"application/octet-stream")

    def redirect(self, operation: SpecOperation, params: dict[str, str]) -> Answer:
        """A deprecated alias: 308 to its successor, the same parameters in place."""
        target = operation.successor or ""
        for name, value in params.items():
            target = target.replace("{" + name + "}", value)
        return Answer(operation.status, None, ((b"location", target.encode()),))

    @staticmethod
    def _json(status: int, value: Any) -> Answer:
        return Answer(status, _dumps(value))


_NO_CONTENT = frozenset({204, 304})
# Fields of a documented error that say in words what went wrong.
_DESCRIPTIONS = ("error_description", "description", "detail")
_ROOTS = frozenset({"de.mittwald.v1.customer.Customer", "de.mittwald.v1.project.Server"})


def _array_of(schema: Schema | None) -> tuple[str | None, Schema] | None:
    """(wrapper, item schema) of a list answer: an array, or an object whose one property
    is an array; None for anything else."""
    if schema is None:
        return None
    if schema.get("type") == "array":
        return None, schema.get("items", {})
    properties = schema.get("properties", {})
    if len(properties) == 1:
        name, only = next(iter(properties.items()))
        if only.get("type") == "array":
            return name, only.get("items", {})
    return None


def _item_schema(schema: Schema, wrapper: str | None) -> Schema:
    if wrapper is not None:
        schema = schema["properties"][wrapper]
    return dict(schema.get("items", {}))


def _filtered(items: list[Any], query: dict[str, Any], kind: Kind | None) -> list[Any]:
    """Query parameters named like a field filter by equality; searchTerm by text."""
    for name, wanted in query.items():
        if name in ("limit", "skip", "page") or isinstance(wanted, list):
            continue
        known = kind is not None and name in kind.properties
        if known and isinstance(wanted, str | bool | int):
            items = [i for i in items if not isinstance(i, dict) or i.get(name) == wanted]
        elif name == "searchTerm" and isinstance(wanted, str) and wanted:
            term = wanted.lower()
            items = [i for i in items if _mentions(i, term)]
    return items


def _mentions(item: Any, term: str) -> bool:
    if isinstance(item, dict):
        return any(isinstance(v, str) and term in v.lower() for v in item.values())
    return True


def _make_room(memory: Memory, item_id: str, stored: dict[str, Any] | None) -> None:
    """409 when remembering this would pass one of the memory's bounds."""
    full = memory.full(item_id, stored)
    if full is not None:
        raise MemoryFull(
            f"the mock remembers at most {full}; reset it (POST /_mockapi/reset) to start afresh"
        )


def _stamp(kind: Kind, stored: dict[str, Any], now_ms: int, names: tuple[str, ...]) -> None:
    stamp = format_epoch_ms(now_ms - now_ms % 1000)
    for name in names:
        prop = kind.properties.get(name)
        if prop is not None and prop.get("format") == "date-time":
            stored[name] = stamp


def _request_key(operation: SpecOperation, params: dict[str, str]) -> str:
    return operation.operation_id + "|" + ",".join(f"{k}={v}" for k, v in sorted(params.items()))


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value)
