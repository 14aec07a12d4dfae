"""Per-token rate limiting on the mock's clock, with bounded memory.

The real API sends `X-RateLimit-*` on every response (3000 requests per token per 600 s);
mockapi does too, and enforces the limit (429) only when asked to.
"""

from __future__ import annotations

import hashlib

DEFAULT_LIMIT = 3000
DEFAULT_WINDOW_S = 600
DEFAULT_MAX_CLIENTS = 10_000


class RateLimiter:
    """A fixed window per credential; keys are 16-byte digests, entries are bounded."""

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window_s: int = DEFAULT_WINDOW_S,
        enforce: bool = False,
        max_clients: int = DEFAULT_MAX_CLIENTS,
    ) -> None:
        self.max_clients = max_clients
        self._windows: dict[bytes, list[int]] = {}
        self.configure(limit, window_s, enforce)

    def configure(self, limit: int, window_s: int, enforce: bool) -> None:
        """Change the limit and window; counting starts afresh."""
        self.limit, self.window_s, self.enforce = limit, window_s, enforce
        self._window_ms = window_s * 1000
        self._limit_header = str(limit).encode()
        self._windows.clear()

    def __len__(self) -> int:
        return len(self._windows)

    def hit(self, credential: bytes, now_ms: int) -> tuple[bool, list[tuple[bytes, bytes]]]:
        """Count one authenticated request; (allowed, X-RateLimit-* headers)."""
        key = hashlib.blake2b(credential, digest_size=16).digest()
        windows = self._windows
        entry = windows.get(key)
        if entry is None or now_ms - entry[0] >= self._window_ms:
            if entry is not None:
                del windows[key]  # re-inserted at the end: the dict stays in window order
            self._sweep(now_ms)
            entry = windows[key] = [now_ms, 0]
        entry[1] += 1
        used = entry[1]
        reset_s = -(-(entry[0] + self._window_ms - now_ms) // 1000)
        headers = [
            (b"x-ratelimit-limit", self._limit_header),
            (b"x-ratelimit-remaining", str(max(self.limit - used, 0)).encode()),
            (b"x-ratelimit-reset", str(reset_s).encode()),
        ]
        return not self.enforce or used <= self.limit, headers

    def _sweep(self, now_ms: int) -> None:
        # Windows sit in start order, so the expired ones are at the front: drop them, and
        # when the table is still full, the oldest one too (that client starts a fresh
        # window; memory stays bounded either way).
        windows = self._windows
        expired = []
        for key, (started, _) in windows.items():
            if now_ms - started < self._window_ms:
                break
            expired.append(key)
        for key in expired:
            del windows[key]
        if len(windows) >= self.max_clients:
            del windows[next(iter(windows))]
