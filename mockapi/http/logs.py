"""Log lines as text or JSON with RFC 3339 times, and an access log that stays off the hot path.

A request only appends a tuple to a list; the lines are formatted and written in one batch
shortly after (or when many are waiting), in the order the requests were answered.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any, TextIO

import orjson
from starlette.types import Scope

from mockapi.timestamps import format_epoch_ms

FLUSH_AFTER_S = 0.05
FLUSH_AT_LINES = 512
_HOT_LOGGERS = ("mockapi", "uvicorn", "uvicorn.error")


def rfc3339(epoch_s: float) -> str:
    """A wall-clock time as RFC 3339 in UTC with milliseconds."""
    return format_epoch_ms(int(epoch_s * 1000))


class TextFormatter(logging.Formatter):
    """`2026-11-27T12:00:00.123Z WARNING mockapi: message`."""

    def format(self, record: logging.LogRecord) -> str:
        """One line (plus a traceback when there is one)."""
        line = f"{rfc3339(record.created)} {record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        """One JSON line."""
        entry: dict[str, Any] = {
            "time": rfc3339(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


def configure_logging(json_lines: bool, stream: TextIO | None = None) -> None:
    """Send mockapi's and uvicorn's log records to stderr in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    for name in _HOT_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO if name == "mockapi" else logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
    access.disabled = True  # mockapi writes its own access lines, below


class AccessLog:
    """Batched access lines: client, method, target, status, time; never a header."""

    def __init__(self, json_lines: bool, stream: TextIO | None = None) -> None:
        self.json_lines = json_lines
        self.stream = stream or sys.stdout
        self._pending: list[tuple[float, Any, str, str, bytes, int]] = []
        self._scheduled = False

    def request(self, scope: Scope, status: int) -> None:
        """Note one answered request; written with the next batch."""
        self._pending.append(
            (
                time.time(),
                scope.get("client"),
                scope["method"],
                scope["path"],
                scope.get("query_string", b""),
                status,
            )
        )
        if len(self._pending) >= FLUSH_AT_LINES:
            self.flush()
        elif not self._scheduled:
            try:
                asyncio.get_running_loop().call_later(FLUSH_AFTER_S, self.flush)
                self._scheduled = True
            except RuntimeError:  # no loop: write now
                self.flush()

    def flush(self) -> None:
        """Write every waiting line, in order, with one write."""
        self._scheduled = False
        pending, self._pending = self._pending, []
        if not pending:
            return
        lines = [self._line(*entry) for entry in pending]
        try:
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed stream must not break answering
            pass

    def _line(
        self, at: float, client: Any, method: str, path: str, query: bytes, status: int
    ) -> str:
        peer = f"{client[0]}:{client[1]}" if client else "-"
        target = f"{path}?{query.decode('latin-1')}" if query else path
        if len(target) > 2048:
            target = target[:2048] + "..."
        if self.json_lines:
            return orjson.dumps(
                {
                    "time": rfc3339(at),
                    "level": "info",
                    "logger": "mockapi.access",
                    "client": peer,
                    "method": method,
                    "target": target,
                    "status": status,
                }
            ).decode()
        shown = status if status else "dropped"
        return f'{rfc3339(at)} INFO mockapi.access: {peer} "{method} {target}" {shown}'
