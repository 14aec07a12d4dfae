"""Every operation of the official document that no hand-modelled module answers.

Each one runs through the same pipeline as the backup operations (token, rate limit, trace
ids, Prefer, faults, journal), then: its path, query and body are checked against the
document, and `spec/answers.py` answers it over the served projects and the generic memory.
Answers to reads are kept, ready to send, until something changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import orjson

from mockapi.api import resources
from mockapi.api.bodies import NO_BODY
from mockapi.api.core import Call, Handler, Operation
from mockapi.backups.store import Store
from mockapi.http.responses import Reply
from mockapi.settings import UnknownProjectMode
from mockapi.spec.answers import Answers, Request, Unknown
from mockapi.spec.catalog import Catalog, Role
from mockapi.spec.document import SpecOperation
from mockapi.spec.universe import Roots, Universe
from mockapi.spec.validation import ABSENT
from mockapi.spec.values import Values
from mockapi.state.mock import MockState, roots_of

# Ready answers to reads: bounded in number and in bytes (keys counted: a query may be 8 KiB).
_CACHED_ANSWERS = 4096
_CACHED_BYTES = 64 * 1024 * 1024
# Each key's own text past this is not worth remembering: a path or query so long is no
# load test's repeated request, only a hostile one.
_CACHED_KEY_LENGTH = 2048

Key = tuple[str, tuple[tuple[str, str], ...], str, tuple[int, int, int, int]]


class ReadyAnswers:
    """Answers to reads, ready to send, least recently used first out; bounded in entries
    and in bytes, the keys' text counted with the bodies."""

    def __init__(self, entries: int = _CACHED_ANSWERS, budget: int = _CACHED_BYTES) -> None:
        self.entries = entries
        self.budget = budget
        self.bytes = 0
        self._kept: OrderedDict[Key, tuple[Reply, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Key) -> Reply | None:
        """The answer kept for a key (now the most recently used), or None."""
        found = self._kept.get(key)
        if found is None:
            return None
        self._kept.move_to_end(key)
        return found[0]

    def keep(self, key: Key, reply: Reply) -> None:
        """Keep an answer, dropping the least recently used beyond the bounds; a long key or
        a large body is not kept."""
        text = len(key[0]) + len(key[2]) + sum(len(k) + len(v) for k, v in key[1])
        size = len(reply.body or b"") + text
        if text > _CACHED_KEY_LENGTH or size > self.budget // 16 or key in self._kept:
            return
        self._kept[key] = (reply, size)
        self.bytes += size
        while len(self._kept) > self.entries or self.bytes > self.budget:
            _, (_, dropped) = self._kept.popitem(last=False)
            self.bytes -= dropped

    def clear(self) -> None:
        """Forget every answer."""
        self._kept.clear()
        self.bytes = 0


class GenericApi:
    """The generic operations over one running state."""

    def __init__(self, state: MockState, catalog: Catalog) -> None:
        self.state = state
        self.catalog = catalog
        settings = state.settings
        self.answers = Answers(
            catalog, Values(catalog.document), settings.seed or 0, state.clock.start_ms
        )
        self._roots_key: tuple[int, int] | None = None
        self._roots = Roots()
        self._universe_key: tuple[object, ...] | None = None
        self._universe: Universe | None = None
        self._cache = ReadyAnswers()

    def operations(self, taken: Iterable[tuple[str, str]]) -> list[Operation]:
        """An Operation for each document operation whose (method, path) is not taken."""
        skip = set(taken)
        return [
            Operation(
                spec.operation_id,
                spec.method,
                spec.path,
                self._handler(spec),
                writes=route.writes,
                reads_body=route.reads_body,
                authenticated=spec.authenticated,
                raw_body=route.raw_body,
                fit_error=self._fitter(spec),
            )
            for route in _routes(self.catalog)
            if ((spec := route.spec).method, spec.path) not in skip
        ]

    def _fitter(self, spec: SpecOperation) -> Callable[[int, bytes], bytes | None]:
        answers = self.answers

        def fit(status: int, body: bytes) -> bytes | None:
            error = orjson.loads(body)
            fitted = answers.fitted_error(spec, status, error) if isinstance(error, dict) else None
            return None if fitted is None else orjson.dumps(fitted)

        return fit

    def _handler(self, spec: SpecOperation) -> Handler:
        catalog = self.catalog
        reads = spec.method == "GET"

        def handle(call: Call) -> Reply:
            rules = catalog.input_rules(spec)
            if spec.successor is not None:
                # A deprecated alias only points elsewhere; the successor checks the input.
                answer = self.answers.redirect(spec, call.params)
                return Reply(answer.status, None, answer.headers)
            # Headers first: a ready answer's key holds no header (few operations read one).
            rules.check_headers(call.headers)
            rules.check_acceptable(call.headers)
            key: Key | None = None
            if reads:
                # The same read of the same state: its input was checked when it was answered.
                key = (spec.operation_id, tuple(call.params.items()), call.query, self._version)
                cached = self._cache.get(key)
                if cached is not None:
                    return cached
            rules.check_path(call.params)
            query = rules.check_query(call.query)
            body = call.body
            if isinstance(body, bytes):
                rules.check_form(body, call.headers)
            else:
                body = rules.check_body(ABSENT if body is NO_BODY else body)
            universe = self.universe(call.store)
            request = Request(call.params, query, body, call.store.now_ms)
            try:
                answer = self.answers.answer(universe, spec, request)
            except Unknown as unknown:
                return self._unknown(call, spec, request, unknown)
            reply = Reply(answer.status, answer.body, answer.headers, answer.content_type)
            if key is not None:
                self._cache.keep(key, reply)
            return reply

        return handle

    def _unknown(
        self, call: Call, spec: SpecOperation, request: Request, unknown: Unknown
    ) -> Reply:
        if not unknown.project:
            raise resources.unknown_id(call)
        mode = call.config.unknown_project
        if mode is UnknownProjectMode.EMPTY and self.catalog.placement(spec).role is Role.LIST:
            answer = self.answers.empty_list(spec, request)
            return Reply(answer.status, answer.body, answer.headers)
        raise resources.unknown_project(call)

    # --- the universe, and ready answers -------------------------------------------------

    @property
    def _version(self) -> tuple[int, int, int, int]:
        state = self.state
        return (state.generation, state.data_version, id(state.memory), state.memory.version)

    def universe(self, store: Store) -> Universe:
        """The universe of the served projects and the memory as they are now."""
        state = self.state
        key = self._version
        if key != self._universe_key or self._universe is None:
            roots_key = (state.generation, state.data_version)
            if roots_key != self._roots_key:
                self._roots = roots_of(store)
                self._roots_key = roots_key
                self._cache.clear()
            self._universe = Universe(self.catalog, self.answers.seed, self._roots, state.memory)
            self._universe_key = key
        return self._universe


@dataclass(frozen=True, slots=True)
class _Route:
    """What the catalog says of an operation, the same for every app."""

    spec: SpecOperation
    writes: bool
    reads_body: bool
    raw_body: bool


@lru_cache(maxsize=4)
def _routes(catalog: Catalog) -> tuple[_Route, ...]:
    """Each document operation with its flags, worked out once per catalog (not per app)."""
    routes = []
    for spec in catalog.document.operations:
        placement = catalog.placement(spec)
        kind = placement.kind
        writes = kind is not None and (
            (placement.role is Role.CREATE and kind.remembers)
            or (placement.role in (Role.UPDATE, Role.DELETE) and bool(kind.lists))
        )
        routes.append(
            _Route(
                spec,
                writes,
                # A deprecated alias only points elsewhere: its body is the successor's.
                reads_body=bool(spec.body_types) and spec.successor is None,
                raw_body=bool(spec.body_types) and spec.body is None,
            )
        )
    return tuple(routes)
