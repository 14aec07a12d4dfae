"""Answers of the API: pages with their X-Pagination-* headers, single objects, nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from mockapi.backups.store import Page


@dataclass(frozen=True, slots=True)
class Reply:
    """An operation's answer: status, JSON body bytes (None: no body) and extra headers."""

    status: int
    body: bytes | None = None
    headers: tuple[tuple[bytes, bytes], ...] = ()
    content_type: bytes = b"application/json"


def page_reply(page: Page) -> Reply:
    """A list's 200: a JSON array joined from ready items, and the four pagination headers."""
    paging = page.paging
    return Reply(
        200,
        b"[" + b",".join(page.items) + b"]",
        (
            (b"x-pagination-limit", str(paging.limit).encode()),
            (b"x-pagination-skip", str(paging.skip).encode()),
            (b"x-pagination-page", str(paging.page).encode()),
            (b"x-pagination-totalcount", str(page.total).encode()),
        ),
    )


def object_reply(value: dict[str, Any] | bytes, status: int = 200) -> Reply:
    """One object as JSON (ready bytes are sent as they are)."""
    return Reply(status, value if isinstance(value, bytes) else orjson.dumps(value))


NO_CONTENT = Reply(204)
