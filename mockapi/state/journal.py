"""The request journal: what clients sent and what they got, bounded, never a header.

Writes keep their JSON body (cut to a bound, secrets masked), so a test can assert what its
client sent.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import orjson

from mockapi.timestamps import format_epoch_ms

MAX_RECORDED_TEXT = 2048
MAX_RECORDED_BODY = 4096
_SECRET_FIELDS = frozenset({"password"})


def _clip(text: str) -> str:
    # Paths and queries can be up to the header cap; the journal keeps enough to read.
    return text if len(text) <= MAX_RECORDED_TEXT else text[:MAX_RECORDED_TEXT] + "..."


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if k in _SECRET_FIELDS else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _body(raw: bytes | None) -> Any:
    """The recorded body: its JSON (secrets masked) when whole and valid, else its text."""
    if raw is None:
        return None
    if len(raw) <= MAX_RECORDED_BODY:
        try:
            return _masked(orjson.loads(raw))
        except orjson.JSONDecodeError:
            pass
    text = raw[:MAX_RECORDED_BODY].decode("utf-8", "replace")
    return text + ("..." if len(raw) > MAX_RECORDED_BODY else "")


Entry = tuple[str, str, str, int, int, bytes | None]


class Journal:
    """The last `size` API requests (oldest dropped first); tokens are never recorded."""

    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=max(size, 0))
        self.dropped = 0

    def record(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        at_ms: int,
        body: bytes | None = None,
    ) -> None:
        """Remember one request (status 0: dropped), at the mock clock's time."""
        if self._entries.maxlen == 0:
            return
        if len(self._entries) == self._entries.maxlen:
            self.dropped += 1
        if body is not None:
            body = body[: MAX_RECORDED_BODY + 1]  # enough to know it was longer
        self._entries.append((method, _clip(path), _clip(query), status, at_ms, body))

    def entries(self) -> list[dict[str, Any]]:
        """The recorded requests, oldest first, as JSON-ready dicts."""
        # list() copies in one C call, so a request recorded meanwhile cannot disturb it.
        entries = list(self._entries)
        rendered = []
        for method, path, query, status, at_ms, body in entries:
            entry: dict[str, Any] = {
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "time": format_epoch_ms(at_ms),
            }
            if body is not None:
                entry["body"] = _body(body)
            rendered.append(entry)
        return rendered

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
        self.dropped = 0
