"""The request journal: what clients sent and what they got, bounded, never a header.

Writes keep their JSON body (secrets masked, then cut to a bound), so a test can assert what
its client sent; a password never reaches the journal, however long or malformed the body.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

import orjson

from mockapi.timestamps import format_epoch_ms

MAX_RECORDED_TEXT = 2048
MAX_RECORDED_BODY = 4096
# Keys whose values are never journaled (any case, any suffix: password, passwordHash, …).
_SECRET_KEY = re.compile(r"(?i)(password|passwd|passphrase|secret|token)")
# In a body that is not JSON, anything that looks like such a key with its value.
_SECRET_TEXT = re.compile(
    r"""(?i)((?:password|passwd|passphrase|secret|token)[\w-]*["']?\s*[:=]\s*)"""
    r"""("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,&;}\]]*)"""
)
MASK = "***"


def _clip(text: str) -> str:
    # Paths and queries can be up to the header cap; the journal keeps enough to read.
    return text if len(text) <= MAX_RECORDED_TEXT else text[:MAX_RECORDED_TEXT] + "..."


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: MASK if isinstance(k, str) and _SECRET_KEY.search(k) else _masked(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def recorded_body(raw: bytes) -> Any:
    """What the journal keeps of a body: secrets masked first, then cut to a bound.

    JSON (of any size the API takes) is parsed and masked, and kept whole when it is short,
    else as its masked text, cut. A body that is not JSON keeps its text with every
    secret-looking value masked, cut.
    """
    try:
        value = _masked(orjson.loads(raw))
    except orjson.JSONDecodeError:
        text = _SECRET_TEXT.sub(rf'\1"{MASK}"', raw.decode("utf-8", "replace"))
        return text if len(text) <= MAX_RECORDED_BODY else text[:MAX_RECORDED_BODY] + "..."
    dumped = orjson.dumps(value)
    if len(dumped) <= MAX_RECORDED_BODY:
        return value
    return dumped[:MAX_RECORDED_BODY].decode("utf-8", "replace") + "..."


_NO_BODY = object()


@dataclass(frozen=True)
class JournalQuery:
    """Which recorded requests to show: each given field must match (path: exact, or a
    template with {name} segments)."""

    operation_id: str | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None

    def selects(self, entry: dict[str, Any]) -> bool:
        """True when an entry matches every given field."""
        if self.operation_id is not None and entry.get("operationId") != self.operation_id:
            return False
        if self.method is not None and entry["method"] != self.method.upper():
            return False
        if self.status is not None and entry["status"] != self.status:
            return False
        if self.path is not None:
            pattern = re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}")
            regex = re.sub(r"\{\w+\}", "[^/]+", pattern)
            if re.fullmatch(regex + "/?", entry["path"]) is None:
                return False
        return True


Entry = tuple[str, str, str, int, int, Any, str | None, bool]


class Journal:
    """The last `size` API requests (oldest dropped first); tokens are never recorded."""

    def __init__(self, size: int) -> None:
        self._entries: deque[Entry] = deque(maxlen=max(size, 0))
        self.dropped = 0
        # Moves with every entry kept and every clearing: what changed is known without a read.
        self.changes = 0

    def record(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        at_ms: int,
        body: bytes | None = None,
        operation_id: str | None = None,
        stubbed: bool = False,
    ) -> None:
        """Remember one request (status 0: dropped), at the mock clock's time, with the
        operation it was routed to and whether a stub answered it."""
        if self._entries.maxlen == 0:
            return
        if len(self._entries) == self._entries.maxlen:
            self.dropped += 1
        kept = _NO_BODY if body is None else recorded_body(body)
        entry = (method, _clip(path), _clip(query), status, at_ms, kept, operation_id, stubbed)
        self._entries.append(entry)
        self.changes += 1

    def entries(self) -> list[dict[str, Any]]:
        """The recorded requests, oldest first, as JSON-ready dicts."""
        # list() copies in one C call, so a request recorded meanwhile cannot disturb it.
        entries = list(self._entries)
        rendered = []
        for method, path, query, status, at_ms, body, operation_id, stubbed in entries:
            entry: dict[str, Any] = {
                "method": method,
                "path": path,
                "query": query,
                "status": status,
                "time": format_epoch_ms(at_ms),
            }
            if operation_id is not None:
                entry["operationId"] = operation_id
            if stubbed:
                entry["stubbed"] = True
            if body is not _NO_BODY:
                entry["body"] = body
            rendered.append(entry)
        return rendered

    def select(self, wanted: JournalQuery) -> list[dict[str, Any]]:
        """The recorded requests a query selects, oldest first."""
        return [entry for entry in self.entries() if wanted.selects(entry)]

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
        self.dropped = 0
        self.changes += 1
