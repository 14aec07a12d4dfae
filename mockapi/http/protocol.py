"""uvicorn's httptools protocol with mockapi's limits: every connection ends, every answer is JSON.

uvicorn reads headers of any size, lets a connection idle or trickle its headers forever,
and answers some refusals in plain text. Here: request line and headers are capped (431),
headers must arrive within a timeout (408), connections and requests in flight are
bounded (503, logged), a fault can close a connection before any byte of an answer, and
every refusal is the API's `{"type", "message"}` in JSON.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mockapi.errors import (
    ApiError,
    BadRequest,
    HeadersTooLarge,
    RequestTimeout,
    ServiceUnavailable,
    plain_body,
)

log = logging.getLogger("mockapi")
ABORT_EXTENSION = "mockapi.abort"
# After a refusal that left a body unread: what is still read (and dropped) before closing.
DISCARD_BYTES = 4 * 1024 * 1024
DISCARD_SECONDS = 2.0
_REASONS = {
    400: b"Bad Request",
    408: b"Request Timeout",
    431: b"Request Header Fields Too Large",
    503: b"Service Unavailable",
}


def refusal(error: ApiError) -> bytes:
    """A whole HTTP response in the API's error shape that closes the connection."""
    body = plain_body(error)
    return (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
        b"connection: close\r\n\r\n" % (error.status, _REASONS[error.status], len(body))
    ) + body


class _Warnings:
    """At most one warning a second per kind of limit, with how often it bit meanwhile."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._count: dict[str, int] = {}

    def bite(self, kind: str, message: str) -> None:
        self._count[kind] = self._count.get(kind, 0) + 1
        now = time.monotonic()
        if now - self._last.get(kind, 0.0) >= 1.0:
            count = self._count.pop(kind)
            suffix = f" ({count} times since the last warning)" if count > 1 else ""
            log.warning("%s%s", message, suffix)
            self._last[kind] = now


async def _busy(scope: Any, receive: Any, send: Any) -> None:
    body = plain_body(ServiceUnavailable("too many requests in flight; retry shortly"))
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def protocol_class(
    max_header_bytes: int, timeout_headers: float, limit_concurrency: int
) -> type[HttpToolsProtocol]:
    """The protocol class uvicorn instantiates per connection, with these limits."""
    warnings = _Warnings()

    class MockProtocol(HttpToolsProtocol):
        """httptools with header caps, a header timeout, bounded concurrency and aborts."""

        _header_bytes = 0
        _awaiting_headers = True
        _header_timer: asyncio.TimerHandle | None = None
        _discarded = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limit_concurrency:
                warnings.bite(
                    "connections",
                    f"connection limit reached: {limit_concurrency} open connections "
                    "(--limit-concurrency); new ones get 503",
                )
                self.transport.write(refusal(ServiceUnavailable("too many open connections")))
                self.transport.close()
                return
            self._arm_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_header_timer()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            cycle = self.cycle
            if cycle is not None and cycle.response_complete and cycle.more_body:
                # The answer went out before the body was read (a refusal): read on a little,
                # so the client can finish sending and read its answer, then close.
                self._discarded += len(data)
                if self._discarded > DISCARD_BYTES:
                    self.transport.close()
                    return
            if self._awaiting_headers:
                self._header_bytes += len(data)
                if self._header_timer is None:
                    self._arm_header_timer()
            super().data_received(data)
            # Checked after parsing, so a body that came in the same read is not counted:
            # headers still incomplete past the cap are refused within one read of it.
            if self._awaiting_headers and self._header_bytes > max_header_bytes:
                warnings.bite(
                    "headers",
                    f"request refused: request line and headers over {max_header_bytes} "
                    "bytes (--max-header-bytes)",
                )
                self._refuse(
                    HeadersTooLarge(f"request line and headers are over {max_header_bytes} bytes")
                )

        def on_headers_complete(self) -> None:
            self._awaiting_headers = False
            self._header_bytes = 0
            self._disarm_header_timer()
            super().on_headers_complete()
            if self.scope is not None:
                extensions: dict[str, Any] = self.scope.setdefault("extensions", {})
                extensions[ABORT_EXTENSION] = self._abort

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._awaiting_headers = True

        def _start_asgi_task(self, cycle: Any, app: Any) -> None:
            if len(self.tasks) >= limit_concurrency:
                warnings.bite(
                    "requests",
                    f"request limit reached: {limit_concurrency} requests in flight "
                    "(--limit-concurrency); more get 503",
                )
                app = _busy
            super()._start_asgi_task(cycle, app)

        def send_400_response(self, msg: str) -> None:
            self._refuse(BadRequest(msg))

        def _refuse(self, error: ApiError) -> None:
            if not self.transport.is_closing():
                self.transport.write(refusal(error))
                self.transport.close()

        def _abort(self) -> None:
            """Close the connection at once: no byte of an answer goes out."""
            self.transport.abort()

        def _arm_header_timer(self) -> None:
            self._disarm_header_timer()
            self._header_timer = self.loop.call_later(timeout_headers, self._headers_timed_out)

        def _disarm_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_timed_out(self) -> None:
            self._header_timer = None
            if self._awaiting_headers and not self.transport.is_closing():
                # An idle keep-alive connection has its own, shorter timer; this one ends
                # connections that opened, or began a request, and never finished its headers.
                if self._header_bytes:
                    warnings.bite(
                        "header-timeout",
                        f"connection closed: headers not complete within {timeout_headers:g} s "
                        "(--timeout-headers)",
                    )
                    self._refuse(
                        RequestTimeout(f"headers not complete within {timeout_headers:g} s")
                    )
                else:
                    self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._header_bytes = 0
            self._discarded = 0
            cycle = self.cycle
            if cycle is not None and cycle.more_body and not self.transport.is_closing():
                self.loop.call_later(DISCARD_SECONDS, self._close_if_still_sending, cycle)

        def _close_if_still_sending(self, refused: Any) -> None:
            # Only the refused request's window: a later request on the connection is its own.
            if self.cycle is refused and refused.more_body:
                self.transport.close()

    return MockProtocol
