"""CORS as the real API sends it: any origin, every header, the methods it lists, an hour.

Browser clients read the pagination, rate-limit and trace headers only if CORS exposes them.
"""

from __future__ import annotations

from collections.abc import Iterable

EXPOSED_HEADERS = (
    "X-Pagination-Limit",
    "X-Pagination-Skip",
    "X-Pagination-Page",
    "X-Pagination-TotalCount",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-Traceid",
)
# As recorded: PATCH is not among them, although the API has PATCH operations.
ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS"
MAX_AGE = "3600"


class Cors:
    """The CORS headers for a request's Origin, or nothing when CORS is off or it is refused."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = frozenset(origins)
        self.any_origin = "*" in self.origins
        self._exposed = ", ".join(EXPOSED_HEADERS).encode()

    @property
    def enabled(self) -> bool:
        """False when no origin is allowed (CORS off)."""
        return bool(self.origins)

    def allowed(self, origin: bytes) -> bytes | None:
        """The Access-Control-Allow-Origin value for an origin, or None if it is refused."""
        if self.any_origin:
            return b"*"
        return origin if origin.decode("latin-1") in self.origins else None

    def response_headers(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        """Headers for an actual (non-preflight) response to a browser."""
        allowed = self.allowed(origin)
        if allowed is None:
            return [(b"vary", b"Origin")]
        return [
            (b"access-control-allow-origin", allowed),
            (b"access-control-expose-headers", self._exposed),
            (b"vary", b"Origin"),
        ]

    def preflight_headers(self, origin: bytes) -> list[tuple[bytes, bytes]] | None:
        """Headers answering a preflight, or None when the origin is refused."""
        allowed = self.allowed(origin)
        if allowed is None:
            return None
        return [
            (b"access-control-allow-origin", allowed),
            (b"access-control-allow-headers", b"*"),
            (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
            (b"access-control-max-age", MAX_AGE.encode()),
            (b"vary", b"Origin"),
        ]


def origin_of(headers: Iterable[tuple[bytes, bytes]]) -> tuple[bytes | None, bool]:
    """(the Origin header, whether this is a preflight: OPTIONS asking for a method)."""
    origin, asks = None, False
    for name, value in headers:
        if name == b"origin":
            origin = value
        elif name == b"access-control-request-method":
            asks = True
    return origin, asks
