"""Every operation of the official document that no hand-modelled module answers.

Each one runs through the same pipeline as the backup operations (token, rate limit, trace
ids, Prefer, faults, journal), then: its path, query and body are checked against the
document, and `spec/answers.py` answers it over the served projects and the generic memory.
Answers to reads are kept, ready to send, until something changes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

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
from mockapi.spec.universe import RootProject, Roots, Universe
from mockapi.spec.validation import ABSENT, InputRules
from mockapi.spec.values import Values
from mockapi.state.mock import MockState

# Ready answers to reads: bounded in number and in bytes.
_CACHED_ANSWERS = 4096
_CACHED_BYTES = 64 * 1024 * 1024


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
        self._cache: OrderedDict[tuple[object, ...], Reply] = OrderedDict()
        self._cached_bytes = 0

    def operations(self, taken: Iterable[tuple[str, str]]) -> list[Operation]:
        """An Operation for each document operation whose (method, path) is not taken."""
        skip = set(taken)
        found = []
        for spec in self.catalog.document.operations:
            if (spec.method, spec.path) in skip:
                continue
            placement = self.catalog.placement(spec)
            kind = placement.kind
            remembers = kind is not None and (
                (placement.role is Role.CREATE and kind.remembers)
                or (placement.role in (Role.UPDATE, Role.DELETE) and bool(kind.lists))
            )
            found.append(
                Operation(
                    spec.operation_id,
                    spec.method,
                    spec.path,
                    self._handler(spec),
                    writes=remembers,
                    # A deprecated alias only points elsewhere: its body is the successor's.
                    reads_body=bool(spec.body_types) and spec.successor is None,
                    authenticated=spec.authenticated,
                    raw_body=bool(spec.body_types) and spec.body is None,
                    fit_error=self._fitter(spec),
                )
            )
        return found

    def _fitter(self, spec: SpecOperation) -> Callable[[int, bytes], bytes | None]:
        answers = self.answers

        def fit(status: int, body: bytes) -> bytes | None:
            error = orjson.loads(body)
            fitted = answers.fitted_error(spec, status, error) if isinstance(error, dict) else None
            return None if fitted is None else orjson.dumps(fitted)

        return fit

    def _handler(self, spec: SpecOperation) -> Handler:
        rules = InputRules(self.catalog.document, spec)
        reads = spec.method == "GET"

        def handle(call: Call) -> Reply:
            if spec.successor is not None:
                # A deprecated alias only points elsewhere; the successor checks the input.
                answer = self.answers.redirect(spec, call.params)
                return Reply(answer.status, None, answer.headers)
            key: tuple[object, ...] | None = None
            if reads:
                # The same read of the same state: its input was checked when it was answered.
                key = (spec.operation_id, tuple(call.params.items()), call.query, self._version)
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    return cached
            rules.check_path(call.params)
            query = rules.check_query(call.query)
            rules.check_headers(call.headers)
            rules.check_acceptable(call.headers)
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
                self._keep(key, reply)
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
                self._cached_bytes = 0
            self._universe = Universe(self.catalog, self.answers.seed, self._roots, state.memory)
            self._universe_key = key
        return self._universe

    def _keep(self, key: tuple[object, ...], reply: Reply) -> None:
        size = len(reply.body or b"")
        if size > _CACHED_BYTES // 16:
            return
        self._cache[key] = reply
        self._cached_bytes += size
        while len(self._cache) > _CACHED_ANSWERS or self._cached_bytes > _CACHED_BYTES:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= len(dropped.body or b"")


def roots_of(store: Store) -> Roots:
    """The served projects as the generic resources see them."""
    projects = []
    for record in store.projects.values():
        document = record.document
        projects.append(
            RootProject(
                record.info.id,
                record.info.short_id,
                str(document.get("customerId", "")),
                document.get("serverId"),
                orjson.loads(record.list_json),
            )
        )
    return Roots(tuple(projects))
