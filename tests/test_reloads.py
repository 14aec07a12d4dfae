"""Replacing all data while readers and writers use a real server: every answer is wholly
from one dataset.

PUT /_mockapi/data validates and builds the new store in a worker thread while the event
loop keeps answering from the old one, then swaps it in. Readers (real HTTP, several
threads) list one project all the while; a writer keeps creating backups in it. Each load is
a new generation: its own id prefix, its own size. Every answer must come from exactly one
generation, be exactly that generation's slice, and agree with its X-Pagination-TotalCount.
A swap in two steps (say projects first and backups after, or a store filled in place by the
worker thread) shows up as an answer with fewer items than its generation, a total that
matches no generation, or ids of two generations in one page.

No sleeps: after each load the main thread waits until a reader has seen the new generation,
so every generation is read while the next one is being built and swapped in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx2
import orjson
import pytest

from mockapi import MockServer, Settings
from mockapi.timestamps import format_epoch_ms

PROJECT = "cccccccc-0000-4000-8000-000000000001"
SHORT = "p-reload"
SETTINGS = Settings(clock="frozen", access_log=False)
START_MS = int((SETTINGS.now - timedelta(days=20)).timestamp()) * 1000
ROUNDS = 12
READERS = 3
PAGE = 40
# Written backups carry this description; generation backups carry "gen <n>".
WRITTEN = "written during reloads"
EXPIRES = (SETTINGS.now + timedelta(days=8)).isoformat().replace("+00:00", "Z")


def size(generation: int) -> int:
    """Each generation has its own size, so a total names its generation."""
    return 400 + 57 * generation


def backup_id(generation: int, n: int) -> str:
    return f"{generation:08x}-0000-4000-8000-{n:012x}"


def document(generation: int) -> dict[str, Any]:
    """A fixture document for one generation: the same project, new backups."""
    backups = [
        {
            "id": backup_id(generation, n),
            "projectId": PROJECT,
            # Few instants (ties), all before now, so backups written now sort after them.
            "requestedAt": format_epoch_ms(START_MS + (n % 17) * 3_600_000),
            "status": "Completed",
            "deletable": True,
            "description": f"gen {generation}",
        }
        for n in range(size(generation))
    ]
    return {"projects": [{"id": PROJECT, "shortId": SHORT}], "backups": backups}


def oldest_first(generation: int) -> list[str]:
    """A generation's ids in oldestFirst order (requestedAt, then id)."""
    order = sorted(range(size(generation)), key=lambda n: (n % 17, backup_id(generation, n)))
    return [backup_id(generation, n) for n in order]


ORDERS = {g: oldest_first(g) for g in range(ROUNDS)}


def generation_of(item: dict[str, Any]) -> int | None:
    """The generation a listed backup was loaded with, or None for a written one."""
    if item.get("description") == WRITTEN:
        return None
    return int(item["id"][:8], 16)


@dataclass
class Observations:
    """What readers saw, shared between threads."""

    seen: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    answers: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def saw(self, generation: int) -> None:
        with self.changed:
            self.answers += 1
            self.seen.add(generation)
            self.changed.notify_all()

    def wait_for(self, generation: int, stop: threading.Event) -> bool:
        with self.changed:
            return self.changed.wait_for(
                lambda: generation in self.seen or stop.is_set() or bool(self.problems), 60
            )


UNKNOWN = -2


def check_generation_page(page: int, response: httpx2.Response) -> tuple[int, str | None]:
    """`searchTerm=gen`: only loaded backups, so the page is exactly its generation's slice."""
    items = response.json()
    total = int(response.headers["x-pagination-totalcount"])
    generations = {generation_of(item) for item in items}
    if len(generations) != 1 or None in generations:
        return -1, f"page {page}: {len(items)} items of generations {generations}, total {total}"
    [generation] = generations
    assert generation is not None
    if total != size(generation):
        return generation, f"total {total} for generation {generation} of {size(generation)}"
    expected = ORDERS[generation][(page - 1) * PAGE : page * PAGE]
    if [item["id"] for item in items] != expected:
        return generation, f"page {page} of generation {generation} is not its slice"
    return generation, None


def check_newest_page(response: httpx2.Response) -> tuple[int, str | None]:
    """Newest first, unfiltered: the written backups (requested now), then the generation's
    newest, as many of each as the total says."""
    items = response.json()
    total = int(response.headers["x-pagination-totalcount"])
    written = [item for item in items if generation_of(item) is None]
    loaded = [item for item in items if generation_of(item) is not None]
    if items[: len(written)] != written:
        return -1, "a written backup listed after a loaded one under newestFirst"
    if not loaded and len(written) == PAGE:
        return UNKNOWN, None  # a whole page of writes: it names no generation
    generations = {generation_of(item) for item in loaded}
    if len(generations) != 1:
        return -1, f"{len(loaded)} loaded items of generations {generations}, total {total}"
    [generation] = generations
    assert generation is not None
    writes = total - size(generation)
    if writes < 0 or len(written) != min(PAGE, writes):
        return generation, f"total {total} with {len(written)} written for gen {generation}"
    newest = ORDERS[generation][::-1][: PAGE - len(written)]
    if [item["id"] for item in loaded] != newest:
        return generation, f"generation {generation}'s newest are not its newest"
    return generation, None


def reader(url: str, stop: threading.Event, seen: Observations, offset: int) -> Callable[[], None]:
    """A thread body: list the project in turn by generation pages and newest first."""

    def read() -> None:
        with httpx2.Client(base_url=url, headers={"x-access-token": "t"}) as client:
            turn = offset
            while not stop.is_set():
                turn += 1
                page = turn % 3 + 1
                if turn % 4:
                    query = f"searchTerm=gen&limit={PAGE}&page={page}"
                else:
                    query = f"sortOrder=newestFirst&limit={PAGE}"
                response = client.get(f"/v2/projects/{SHORT}/backups?{query}")
                if response.status_code != 200:
                    seen.problems.append(f"{query}: {response.status_code} {response.text}")
                    return
                if turn % 4:
                    generation, problem = check_generation_page(page, response)
                else:
                    generation, problem = check_newest_page(response)
                if problem is not None:
                    seen.problems.append(f"{query}: {problem}")
                    return
                if generation != UNKNOWN:
                    seen.saw(generation)

    return read


def writer(url: str, stop: threading.Event, seen: Observations) -> Callable[[], None]:
    """A thread body: create backups in the project, whichever generation is served."""

    def write() -> None:
        body = {"expirationTime": EXPIRES, "description": WRITTEN}
        with httpx2.Client(base_url=url, headers={"x-access-token": "t"}) as client:
            while not stop.is_set():
                response = client.post(f"/v2/projects/{PROJECT}/backups", json=body)
                if response.status_code != 201:
                    seen.problems.append(f"create: {response.status_code} {response.text}")
                    return

    return write


def test_every_answer_is_wholly_from_one_generation_while_data_is_replaced() -> None:
    bodies = [orjson.dumps(document(g)) for g in range(ROUNDS)]
    seen = Observations()
    stop = threading.Event()
    with MockServer(SETTINGS, None) as server:
        control = httpx2.Client(base_url=server.url, timeout=60)
        assert control.put("/_mockapi/data", content=bodies[0]).status_code == 200
        threads = [
            threading.Thread(target=reader(server.url, stop, seen, n)) for n in range(READERS)
        ]
        threads.append(threading.Thread(target=writer(server.url, stop, seen)))
        for thread in threads:
            thread.start()
        try:
            assert seen.wait_for(0, stop), "no reader answered"
            for generation in range(1, ROUNDS):
                response = control.put("/_mockapi/data", content=bodies[generation])
                assert response.status_code == 200, response.text
                # A rejected document changes nothing: readers keep seeing this generation.
                broken = control.put("/_mockapi/data", json=[{"id": "broken"}])
                assert broken.status_code == 400, broken.text
                assert seen.wait_for(generation, stop), f"generation {generation} never read"
                if seen.problems:
                    break
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)
            control.close()
    assert seen.problems == []
    assert seen.seen == set(range(ROUNDS))


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda b: [b], id="plain array"),
        pytest.param(lambda b: {"backups": [b]}, id="backups only"),
        pytest.param(lambda b: {"projects": [{"id": PROJECT}], "backups": [b]}, id="no short id"),
    ],
)
def test_backups_can_be_added_to_a_served_project_by_its_uuid_alone(
    shape: Callable[[Any], Any],
) -> None:
    added = {**document(0)["backups"][0], "id": backup_id(99, 1), "description": "added"}
    with MockServer(SETTINGS, None) as server, httpx2.Client(base_url=server.url) as client:
        assert client.put("/_mockapi/data", json=document(0)).status_code == 200
        response = client.post("/_mockapi/data", json=shape(added))
        assert response.status_code == 200, response.text
        listed = client.get(
            f"/v2/projects/{SHORT}/backups?searchTerm=added", headers={"x-access-token": "t"}
        )
        assert [b["id"] for b in listed.json()] == [added["id"]]
