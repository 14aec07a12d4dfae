"""The request journal: what clients sent and what they got, bounded, never a header."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any

from mockapi.models import format_timestamp

MAX_RECORDED_TEXT = 2048


def _clip(text: str) -> str:
    # Paths and queries can be up to the parser's 80 kB; the journal keeps enough to read.
    return text if len(text) <= MAX_RECORDED_TEXT else text[:MAX_RECORDED_TEXT] + "..."


class Journal:
    """The last `size` API requests (oldest dropped first); tokens are never recorded."""

    def __init__(self, size: int) -> None:
        self._entries: deque[tuple[str, str, str, int, datetime]] = deque(maxlen=max(size, 0))
        self.dropped = 0

    def record(self, method: str, path: str, query: str, status: int) -> None:
        """Remember one request: method, path, query, status (0: dropped) and time, no more."""
        if self._entries.maxlen == 0:
            return
        if len(self._entries) == self._entries.maxlen:
            self.dropped += 1
        self._entries.append((method, _clip(path), _clip(query), status, datetime.now(UTC)))

    def entries(self) -> list[dict[str, Any]]:
        """The recorded requests, oldest first, as JSON-ready dicts."""
        # list() copies in one C call, so a request recorded meanwhile cannot disturb it.
        entries = list(self._entries)
        return [
            {
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "time": format_timestamp(at),
            }
            for method, path, query, status, at in entries
        ]

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
        self.dropped = 0
