"""The pytest handle (MockServer's methods) used from the test's thread while a real server
answers requests on its own thread.

HTTP requests are answered one at a time between awaits on the server's event loop, so they
cannot race each other. The handle is called from the test's thread; a change it made there
would race the requests being answered (both once did: advance_clock and add_backups tore
the store's indexes), so it must hand its changes to the server's loop. Each test drives one
handle method from the test thread while reader threads list over real HTTP, and checks
every answer for the damage a race does. Nothing sleeps: the test thread keeps calling until
the readers have answered enough times, or a problem shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx2

from mockapi import MockServer, Settings
from mockapi.timestamps import format_epoch_ms

ANSWERS = 1500
TOKEN = {"x-access-token": "t"}


@dataclass
class Readers:
    """Three threads listing backups until the block ends; `check` judges each answer."""

    url: str
    queries: list[str]
    check: Callable[[httpx2.Response], str | None]
    answers: int = 0
    problems: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Readers:
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(3)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def read(self, offset: int) -> None:
        with httpx2.Client(base_url=self.url, headers=TOKEN) as client:
            turn = offset
            while not self.stop.is_set():
                turn += 1
                query = self.queries[turn % len(self.queries)]
                response = client.get(query)
                problem = (
                    f"{response.status_code} {response.text[:200]}"
                    if response.status_code != 200
                    else self.check(response)
                )
                if problem is not None:
                    self.problems.append(f"{query}: {problem}")
                    return
                self.answers += 1

    def busy(self) -> bool:
        """True while the readers should be kept company: not enough answers, no problem."""
        return self.answers < ANSWERS and not self.problems


def page_of(limit: int, newest_first: bool = False) -> Callable[[httpx2.Response], str | None]:
    """A page agrees with its total and is in order: what a torn index would break."""

    def check(response: httpx2.Response) -> str | None:
        items = response.json()
        total = int(response.headers["x-pagination-totalcount"])
        if len(items) != min(limit, total):
            return f"{len(items)} items on a page of {limit} with total {total}"
        keys = [(item["requestedAt"], item["id"]) for item in items]
        if keys != sorted(keys, reverse=newest_first) or len(set(keys)) != len(keys):
            return "items out of order or repeated"
        return None

    return check


def test_advancing_the_clock_from_the_test_thread_while_requests_are_served() -> None:
    settings = Settings(seed=3, projects=3, backups_per_project=200, access_log=False)
    handle_errors: list[str] = []
    with MockServer(settings) as server:
        queries = [
            f"/v2/projects/{p.short_id}/backups?limit=5&sortOrder=newestFirst"
            for p in server.projects()
        ]
        with Readers(server.url, queries, page_of(5, newest_first=True)) as group:
            while group.busy() and not handle_errors:
                try:
                    server.advance_clock(7 * 3600)  # schedules run, backups complete, expire
                except Exception as error:  # any failure of the handle is the finding
                    handle_errors.append(repr(error))
    assert handle_errors == []
    assert group.problems == []


def test_adding_backups_from_the_test_thread_while_requests_are_served() -> None:
    project = {"id": "dddddddd-0000-4000-8000-000000000001", "shortId": "p-addadd"}
    settings = Settings(clock="frozen", access_log=False)
    start = int((settings.now - timedelta(days=40)).timestamp()) * 1000

    def batch(k: int) -> dict[str, Any]:
        backups = [
            {
                "id": f"{k:08x}-0000-4000-8000-{n:012x}",
                "projectId": project["id"],
                "requestedAt": format_epoch_ms(start + n % 30 * 86_400_000),
                "status": "Completed",
                "deletable": True,
                **({"export": {"format": "tar", "withPassword": False}} if n % 2 else {}),
            }
            for n in range(100)  # over 64: the index is rebuilt, not inserted into
        ]
        return {"projects": [project], "backups": backups}

    def only_exports(response: httpx2.Response) -> str | None:
        missing = sum("export" not in item for item in response.json())
        return f"{missing} backups without an export" if missing else None

    query = "/v2/projects/p-addadd/backups?withExportsOnly=true&limit=200&sortOrder=newestFirst"
    empty = {"projects": [project], "backups": []}
    with MockServer(settings, None) as server:
        server.put_backups(empty)
        with Readers(server.url, [query], only_exports) as group:
            k = 0
            while group.busy():
                k += 1
                if k % 20:
                    server.add_backups(batch(k))
                else:  # start over now and then, so each add rebuilds at most ~2000 backups
                    server.put_backups(empty)
    assert group.problems == []
