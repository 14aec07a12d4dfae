"""ASGI middleware for API requests: journal, Prefer header, fault rules, rate limits."""

from __future__ import annotations

import asyncio
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockapi.auth import token_from
from mockapi.errors import ApiError, RateLimited, error_for_status, error_response
from mockapi.faults import Outcome, parse_prefer
from mockapi.routes import LIST_PATH_PATTERN
from mockapi.state import MockState

API_PREFIX = "/v2/"
_UNJOURNALED = ("/_mockapi/", "/docs", "/openapi.json", "/redoc")


class DroppedConnection(Exception):
    """Raised after the response has started, so the server closes the connection unanswered."""


class DropLogFilter(logging.Filter):
    """Keep deliberately dropped connections out of the server's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the log record of a deliberate drop."""
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


class MockMiddleware:
    """Wraps the app: records the journal, and applies provoked failures to API paths."""

    def __init__(self, app: ASGIApp, state: MockState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(_UNJOURNALED):
            await self.app(scope, receive, send)
            return
        state = self.state
        status = 500
        extra_headers: list[tuple[bytes, bytes]] = []

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if extra_headers:
                    message["headers"] = [*message.get("headers", []), *extra_headers]
            await send(message)

        try:
            if path.startswith(API_PREFIX):
                forced = self._provoked(scope, path, extra_headers)
                if forced is not None:
                    await self._answer(forced, scope, receive, tracking_send)
                    return
            await self.app(scope, receive, tracking_send)
        except DroppedConnection:
            status = 0  # the journal's mark for "no answer"
            raise
        finally:
            query = scope.get("query_string", b"").decode("latin-1")
            state.journal.record(scope["method"], path, query, status)

    def _provoked(
        self, scope: Scope, path: str, extra_headers: list[tuple[bytes, bytes]]
    ) -> Outcome | ApiError | None:
        """What to do instead of (or before) the normal answer; None when nothing."""
        state = self.state
        limiter = state.rate_limiter
        raw_headers = scope["headers"]
        if not (limiter.enabled or state.faults or any(k == b"prefer" for k, _ in raw_headers)):
            return None  # the common case: nothing provoked, nothing to decode
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in raw_headers}
        try:
            outcome = parse_prefer(headers["prefer"]) if "prefer" in headers else Outcome()
        except ApiError as error:
            return error
        if limiter.enabled:
            allowed, limit_headers = limiter.hit(token_from(headers))
            extra_headers += [(k.lower().encode(), v.encode()) for k, v in limit_headers.items()]
            if not allowed:
                return RateLimited()  # the headers above go on this answer too
        if state.faults:
            match = LIST_PATH_PATTERN.match(path)
            project = match[1] if match else None
            store = state.store

            def same_project(wanted: str) -> bool:
                if project is None:
                    return False
                found, asked = store.find(wanted), store.find(project)
                return wanted == project or (found is not None and found is asked)

            ruled = state.faults.decide(same_project)
            outcome.delay_s += ruled.delay_s
            if outcome.status is None:
                outcome.status, outcome.drop = ruled.status, ruled.drop
        if outcome.delay_s or outcome.drop or (outcome.status or 200) != 200:
            return outcome
        return None

    async def _answer(
        self, forced: Outcome | ApiError, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if isinstance(forced, ApiError):
            await error_response(forced)(scope, receive, send)
            return
        if forced.delay_s:
            await asyncio.sleep(forced.delay_s)
        if forced.drop:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise DroppedConnection()
        if forced.status is not None and forced.status != 200:
            error = error_for_status(forced.status, f"status {forced.status} provoked on request")
            await error_response(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)
