"""Stubs: a given answer for matching requests, ahead of the model (WireMock's stubs).

A stub names a method, a path (exact, or a template with `{name}` segments), query values
and headers that must all be present, and the answer: a status, headers and a JSON body.
Without a body, an error status gets the API's own error body for that status. `times`
counts how many matches it answers; without it, every one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from mockapi.http.stubs import Stub, StubResponse

MAX_STUBS = 1000
_SEGMENT = re.compile(r"\{(\w+)\}")


@dataclass
class _Active:
    id: int
    stub: Stub
    pattern: re.Pattern[str]
    remaining: int | None
    matched: int = 0


class StubsFull(ValueError):
    """More stubs than the mock keeps."""


class Stubs:
    """The active stubs, first added first matched."""

    def __init__(self) -> None:
        self._active: list[_Active] = []
        self._next_id = 1

    def __bool__(self) -> bool:
        return bool(self._active)

    def add(self, stub: Stub) -> int:
        """Activate a stub; returns its id."""
        if len(self._active) >= MAX_STUBS:
            raise StubsFull(f"at most {MAX_STUBS} stubs are kept; delete some first")
        template = re.escape(stub.request.path.rstrip("/") or "/")
        regex = _SEGMENT.sub(r"[^/]+", template.replace(r"\{", "{").replace(r"\}", "}"))
        active = _Active(self._next_id, stub, re.compile(regex + "/?"), stub.times)
        self._next_id += 1
        self._active.append(active)
        return active.id

    def remove(self, stub_id: int) -> bool:
        """Deactivate one stub; False if there was none with that id."""
        before = len(self._active)
        self._active = [a for a in self._active if a.id != stub_id]
        return len(self._active) != before

    def clear(self) -> None:
        """Deactivate every stub."""
        self._active = []

    def listing(self) -> list[dict[str, Any]]:
        """The active stubs with ids, remaining counts and how often each answered."""
        return [
            {
                "id": a.id,
                **a.stub.model_dump(exclude_none=True),
                "remaining": a.remaining,
                "matched": a.matched,
            }
            for a in list(self._active)
        ]

    def match(
        self, method: str, path: str, query: str, headers: Sequence[tuple[bytes, bytes]]
    ) -> StubResponse | None:
        """The answer of the first stub matching a request (its count used up), or None."""
        given_query: Mapping[str, str] | None = None
        given_headers: dict[str, str] | None = None
        for active in list(self._active):
            wanted = active.stub.request
            if wanted.method is not None and wanted.method != method:
                continue
            if active.pattern.fullmatch(path) is None:
                continue
            if wanted.query:
                if given_query is None:
                    given_query = dict(parse_qsl(query, keep_blank_values=True))
                if any(given_query.get(k) != v for k, v in wanted.query.items()):
                    continue
            if wanted.headers:
                if given_headers is None:
                    given_headers = {
                        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers
                    }
                if any(given_headers.get(k) != v for k, v in wanted.headers.items()):
                    continue
            active.matched += 1
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining == 0:
                    self._active.remove(active)
            return active.stub.response
        return None

    def dump(self) -> list[dict[str, Any]]:
        """The active stubs as they were added (with what remains of their counts)."""
        return [
            a.stub.model_copy(update={"times": a.remaining}).model_dump(exclude_none=True)
            for a in self._active
        ]
