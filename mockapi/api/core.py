"""The API's request pipeline: route, Prefer, credential, rate limit, faults, body, handler.

Every mittwald API path is answered here, ahead of FastAPI (which serves the control API
and the docs). The order is the real API's: a path with no route is a 404 before any token
check; then the token; then the input; then the resource. Every answer, error or not,
leaves through `_send`, with its trace id, date and rate-limit headers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockapi.api.bodies import NO_BODY
from mockapi.backups.store import Store
from mockapi.errors import (
    JSON_HEADER,
    ApiError,
    Conflict,
    MethodNotAllowed,
    NoRoute,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    error_for_status,
    render_error,
)
from mockapi.http.auth import Authenticator
from mockapi.http.cors import Cors, origin_of
from mockapi.http.faults import MAX_TOTAL_DELAY_MS, Outcome, parse_prefer
from mockapi.http.logs import AccessLog
from mockapi.http.reading import ClientGone, parse_json, read_limited
from mockapi.http.responses import Reply
from mockapi.http.stubs import StubResponse
from mockapi.settings import Settings, SkipPrecedence, UnknownIdMode, UnknownProjectMode
from mockapi.spec.routes import RouteTable
from mockapi.state.mock import MockState

API_PREFIX = "/v2/"
CLOSE = (b"connection", b"close")
STOPPING = ServiceUnavailable("the server is stopping; retry against a running server")
log = logging.getLogger("mockapi")


@dataclass(frozen=True)
class ApiConfig:
    """What handlers need from the settings."""

    given_skip_wins: bool
    unknown_project: UnknownProjectMode
    unknown_id: UnknownIdMode

    @classmethod
    def of(cls, settings: Settings) -> ApiConfig:
        """The handlers' view of the settings."""
        return cls(
            settings.skip_precedence is SkipPrecedence.GIVEN,
            settings.unknown_project,
            settings.unknown_id,
        )


@dataclass(slots=True)
class Call:
    """One API request as a handler sees it."""

    params: dict[str, str]
    query: str
    body: Any
    store: Store
    config: ApiConfig
    headers: Sequence[tuple[bytes, bytes]] = ()


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Operation:
    """One operation of the spec (or of mockapi's own download route)."""

    operation_id: str
    method: str
    path: str
    handler: Handler
    writes: bool = False
    reads_body: bool = False
    authenticated: bool = True
    # The body is handed over as it came (bytes), not parsed as JSON (forms, uploads).
    raw_body: bool = False
    # Lays an error body (status, JSON) over what the operation documents for that status,
    # where the API's dialect does not fit it; None keeps the body as it is.
    fit_error: Callable[[int, bytes], bytes | None] | None = None


@lru_cache(maxsize=16)
def route_table(routes: tuple[tuple[str, str], ...]) -> RouteTable[int]:
    """Each (method, path) routed to its index; the first of a pair wins, and every GET
    answers HEAD too.

    Shared by every app serving the same operations: building a table of 670 templates
    costs more than the rest of an app, and a test suite builds an app per test.
    """
    table: RouteTable[int] = RouteTable()
    for index, (method, path) in enumerate(routes):
        table.add(path, method, index)
        if method == "GET":
            table.add(path, "HEAD", index)
    return table


class Dropped(Exception):
    """A fault rule dropped the connection: no byte of an answer is sent."""


class ApiApp:
    """ASGI: answers API paths itself; hands everything else to the inner app (FastAPI)."""

    def __init__(
        self,
        app: ASGIApp,
        state: MockState,
        settings: Settings,
        operations: list[Operation],
        access_log: AccessLog | None,
        cors: Cors,
        prefixes: tuple[str, ...] = (API_PREFIX,),
    ) -> None:
        self.app = app
        self.cors = cors
        self.state = state
        self.operations = tuple(operations)
        self.router = route_table(tuple((op.method, op.path) for op in operations))
        self.prefixes = prefixes
        self.config = ApiConfig.of(settings)
        self.authenticator = Authenticator(settings.auth, settings.tokens)
        self.prefixed_paths = settings.validation_paths.value == "prefixed"
        self.rate_limit_headers = settings.rate_limit_headers
        self.body_cap = settings.max_api_body_bytes
        self.body_timeout = settings.timeout_body
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        trace = state.trace_ids.next()
        scope["mockapi.trace_id"] = trace
        cors_headers: list[tuple[bytes, bytes]] = []
        if self.cors.enabled:
            origin, preflight = origin_of(scope["headers"])
            if origin is not None:
                if preflight and scope["method"] == "OPTIONS":
                    await self._preflight(scope, send, origin, trace)
                    return
                cors_headers = self.cors.response_headers(origin)
        if not scope["path"].startswith(self.prefixes):
            await self._other(scope, receive, send, trace, cors_headers)
            return
        now = state.clock.now_ms()
        status, body = 0, None
        generation = state.generation
        state.in_flight += 1
        try:
            status, body = await self._api(
                scope, receive, send, trace, now, generation, cors_headers
            )
        except Dropped:
            status = 0  # the journal's mark for "no answer"
        finally:
            state.in_flight -= 1
            if generation == state.generation:  # a reset meanwhile began a fresh journal
                state.journal.record(
                    scope["method"],
                    scope["path"],
                    scope["query_string"].decode("latin-1"),
                    status,
                    now,
                    body,
                    scope.get("mockapi.operation"),
                    scope.get("mockapi.stubbed", False),
                )
            if self.access_log is not None:
                self.access_log.request(scope, status)

    async def _api(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        trace: str,
        now: int,
        generation: int,
        extra: list[tuple[bytes, bytes]],
    ) -> tuple[int, bytes | None]:
        """Answer one API request; (status, the body it read) for the journal.

        `generation` is the state's when the request came: a reset while it waited wins.
        """
        state = self.state
        method = scope["method"]
        body: bytes | None = None
        operation: Operation | None = None
        try:
            found = self.router.match(scope["path"], method)
            index = found.methods.get(method) if found is not None else None
            operation = self.operations[index] if index is not None else None
            if operation is not None:
                scope["mockapi.operation"] = operation.operation_id
            if state.stubs:
                stubbed = state.stubs.match(
                    method,
                    scope["path"],
                    scope["query_string"].decode("latin-1"),
                    scope["headers"],
                )
                if stubbed is not None:
                    scope["mockapi.stubbed"] = True
                    status = await self._answer_stub(send, scope, stubbed, trace, now)
                    return status, body
            if found is None:
                raise NoRoute()
            params = found.params
            if operation is None:
                allowed = ", ".join(self.router.allowed(scope["path"]))
                raise MethodNotAllowed(
                    f"{method} is not allowed on {scope['path']}; allowed: {allowed}",
                    headers={"Allow": allowed},
                )
            headers = scope["headers"]
            # Provoked answers come first, before the token (Prism's convention). A forced
            # code answers alone: it never uses up a fault rule's count.
            outcome = prefer = self._prefer(headers)
            if state.faults and (prefer is None or prefer.status is None):
                outcome = state.faults.decide(self._same_project(params))
                # Rules and Prefer together wait no longer than one of them may.
                waited = outcome.delay_s + (prefer.delay_s if prefer is not None else 0.0)
                outcome.delay_s = min(waited, MAX_TOTAL_DELAY_MS / 1000)
            if outcome is not None and outcome.provoked:
                await self._provoked(outcome, scope)
                state.check_generation(generation)
            if operation.authenticated:
                credential = self.authenticator.identify(headers)
                limiter = state.rate_limiter
                if self.rate_limit_headers or limiter.enforce:
                    allowed_now, limit_headers = limiter.hit(credential, now)
                    extra += limit_headers
                    if not allowed_now:
                        raise RateLimited()
            if operation.writes and state.read_only:
                raise Conflict(
                    f"the API is read-only with --workers {state.settings.workers}: each worker "
                    "holds its own copy of the data, so a change would reach one of them only"
                )
            parsed: Any = NO_BODY
            if operation.reads_body:
                body = await self._read_body(scope, receive)
                state.check_generation(generation)
                parsed = body if operation.raw_body else _parse_json(body)
            store = state.current()
            if operation.writes:
                store = state.writable()
            reply = operation.handler(
                Call(
                    params,
                    scope["query_string"].decode("latin-1"),
                    parsed,
                    store,
                    self.config,
                    headers,
                )
            )
        except ApiError as error:
            fit = operation.fit_error if operation is not None else None
            status = await self._answer_error(send, scope, error, trace, now, extra, fit)
            return status, body
        except Dropped:
            raise
        except asyncio.CancelledError:
            # The server is stopping and its grace period is over: say so, in JSON.
            status = await self._answer_error(send, scope, STOPPING, trace, now, [CLOSE])
            return status, body
        except Exception:
            log.exception("unexpected error answering %s %s", method, scope["path"])
            status = await self._answer_error(send, scope, ApiError(), trace, now, extra)
            return status, body
        headers = [*reply.headers, *extra]
        await self._send(send, scope, reply.status, headers, reply.body, trace, now, reply)
        return reply.status, body

    async def _answer_stub(
        self, send: Send, scope: Scope, stub: StubResponse, trace: str, now: int
    ) -> int:
        """A stub's answer: its status, headers and JSON body; without a body, an error
        status gets the API's own error body."""
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in stub.headers.items()
        ]
        if stub.body is None and stub.status >= 400:
            error = error_for_status(stub.status)
            status, error_headers, body = render_error(error, trace, self.prefixed_paths)
            await self._send(send, scope, status, [*error_headers, *headers], body, trace, now)
            return status
        content = None if stub.body is None else orjson.dumps(stub.body)
        if content is not None and not any(name == b"content-type" for name, _ in headers):
            headers.append(JSON_HEADER)
        await self._send(send, scope, stub.status, headers, content, trace, now)
        return stub.status

    @staticmethod
    def _prefer(headers: list[tuple[bytes, bytes]]) -> Outcome | None:
        """What every Prefer line together asks for, or None without one."""
        values = [v.decode("latin-1") for k, v in headers if k == b"prefer"]
        return parse_prefer(values) if values else None

    def _same_project(self, params: dict[str, str]) -> Callable[[str], bool]:
        store = self.state.store

        def same_project(wanted: str) -> bool:
            asked = params.get("projectId")
            record = store.find(asked) if asked is not None else None
            if record is None and "projectBackupId" in params:
                found = store.backup(params["projectBackupId"])
                record = found[0] if found is not None else None
            if record is None and "projectBackupScheduleId" in params:
                schedule = store.schedule(params["projectBackupScheduleId"])
                record = store.find(schedule["projectId"]) if schedule is not None else None
            if record is None:
                return asked is not None and asked == wanted
            return store.find(wanted) is record

        return same_project

    async def _provoked(self, outcome: Outcome, scope: Scope) -> None:
        if outcome.delay_s:
            await asyncio.sleep(outcome.delay_s)
        if outcome.drop:
            abort = scope.get("extensions", {}).get("mockapi.abort")
            if abort is not None:
                abort()
                await asyncio.sleep(0)  # let the server see the connection is gone
            raise Dropped()
        if outcome.status is not None and outcome.status != 200:
            raise error_for_status(outcome.status)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        try:
            return await read_limited(scope["headers"], receive, self.body_cap, self.body_timeout)
        except ClientGone:
            raise Dropped() from None

    async def _answer_error(
        self,
        send: Send,
        scope: Scope,
        error: ApiError,
        trace: str,
        now: int,
        extra: list[tuple[bytes, bytes]],
        fit: Callable[[int, bytes], bytes | None] | None = None,
    ) -> int:
        status, headers, body = render_error(error, trace, self.prefixed_paths)
        if fit is not None:
            body = fit(status, body) or body
        await self._send(send, scope, status, [*headers, *extra], body, trace, now)
        return status

    async def _send(
        self,
        send: Send,
        scope: Scope,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        trace: str,
        now: int,
        reply: Reply | None = None,
    ) -> None:
        if body is not None:
            if reply is not None:
                headers.append((b"content-type", reply.content_type))
            headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"x-traceid", trace.encode()))
        headers.append((b"date", self.state.clock.http_date(now)))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        head = scope["method"] == "HEAD"
        await send({"type": "http.response.body", "body": b"" if head or body is None else body})

    async def _preflight(self, scope: Scope, send: Send, origin: bytes, trace: str) -> None:
        """A CORS preflight: 204 with the CORS headers, or 403 for an origin not allowed."""
        now = self.state.clock.now_ms()
        headers = self.cors.preflight_headers(origin)
        if headers is None:
            refused = PermissionDenied(f"CORS: origin {origin.decode('latin-1')!r} is not allowed")
            status = await self._answer_error(send, scope, refused, trace, now, [])
        else:
            status = 204
            await self._send(send, scope, 204, headers, None, trace, now)
        if self.access_log is not None:
            self.access_log.request(scope, status)

    async def _other(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        trace: str,
        cors_headers: list[tuple[bytes, bytes]],
    ) -> None:
        """Everything that is not the API: the inner app, with trace id and date headers."""
        state = self.state
        added = [*cors_headers, (b"x-traceid", trace.encode())]
        status = 0

        async def traced_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    *added,
                    (b"date", state.clock.http_date(state.clock.now_ms())),
                ]
            await send(message)

        try:
            await self.app(scope, receive, traced_send)
        except asyncio.CancelledError:
            if status:
                raise  # the answer has begun: the server closes the connection
            now = state.clock.now_ms()
            status = await self._answer_error(send, scope, STOPPING, trace, now, [CLOSE])
        except Exception:
            # Starlette re-raises after its error handler has answered (and logged) it.
            if not status:
                log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
                now = state.clock.now_ms()
                status = await self._answer_error(send, scope, ApiError(), trace, now, [])
        finally:
            if self.access_log is not None:
                self.access_log.request(scope, status)


def _parse_json(body: bytes) -> Any:
    # Only an empty body is no body: whitespace is invalid JSON, `null` is a JSON value.
    return parse_json(body) if body else NO_BODY
