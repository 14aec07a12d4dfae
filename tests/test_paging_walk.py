"""Walking every page returns each match exactly once, in order: by page, by skip, and with
skip=0 beside page (as the official Python client sends it), in both orders, with filters.

The expectation is computed here from the dataset that was loaded (filter a plain list, sort
by parsed requestedAt then id), never from the server's own unpaged answer. The dataset is
generated data plus a block of backups that share four instants, so page boundaries fall
inside runs of equal requestedAt, where only the id decides the order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest

from mockapi import Settings, create_app
from mockapi.backups.dataset import Dataset, combine
from mockapi.data.generate import GenerationOptions, generate
from mockapi.timestamps import format_epoch_ms
from tests.support import InlineClient, SpecClient, pagination

SETTINGS = Settings(clock="frozen", access_log=False)
GENERATED = generate(
    GenerationOptions(seed=8, projects=2, backups_per_project=120, now=SETTINGS.now)
)
PROJECT = GENERATED.projects[0]


def tie_block() -> list[dict[str, Any]]:
    """48 backups of PROJECT on 4 instants (12 each), every filter's case among them."""
    start = int((SETTINGS.now - timedelta(days=3)).timestamp()) * 1000
    block = []
    for n in range(48):
        backup: dict[str, Any] = {
            # Ids in an order unrelated to n, so the id (not the insertion) breaks ties.
            "id": f"7e57{(n * 37) % 48:04x}-0000-4000-8000-{n:012x}",
            "projectId": PROJECT.id,
            "requestedAt": format_epoch_ms(start + (n % 4) * 3_600_000),
            "status": ("Completed", "InProgress", "Failed", "Pending")[n % 4 if n % 5 else 0],
            "deletable": True,
        }
        if n % 3 == 0:
            backup["description"] = ("Before the update", "nightly", "BEFORE go-live")[n % 9 // 3]
        if n % 2 == 0:
            backup["export"] = {"format": "tar", "withPassword": False}
        if n % 7 == 0:
            backup["restore"] = {"phase": "running" if n % 14 else "completed"}
        block.append(backup)
    return block


BLOCK = tie_block()
DATASET = combine([GENERATED, Dataset(backups=tuple(BLOCK), source="tie block")])


def expected(query: str) -> list[str]:
    """The ids a query matches, in its order: the rules, applied to the loaded data."""
    params = dict(parse_qsl(query))
    items = [b for b in DATASET.backups if b["projectId"] == PROJECT.id]
    term = params.get("searchTerm", "").lower()
    if term:
        items = [b for b in items if term in b["id"] or term in b.get("description", "").lower()]
    if params.get("withExportsOnly") in ("true", "1"):
        items = [b for b in items if "export" in b]
    if params.get("runningRestoresOnly") in ("true", "1"):
        items = [b for b in items if b.get("restore", {}).get("phase") == "running"]
    if params.get("runningBackupsOnly") in ("true", "1"):
        items = [b for b in items if b["status"] not in ("Completed", "Failed")]
    newest = params.get("sortOrder") == "newestFirst"
    items.sort(key=lambda b: (datetime.fromisoformat(b["requestedAt"]), b["id"]), reverse=newest)
    return [b["id"] for b in items]


@pytest.fixture(scope="module")
def api() -> Iterator[SpecClient]:
    """A spec-checked client over the dataset, on a frozen clock."""
    with InlineClient(create_app(SETTINGS, DATASET)) as client:
        yield SpecClient(client)


def page_query(style: str, limit: int, page: int) -> str:
    """The paging part of a query for page `page` (1-based) in one of three styles."""
    if style == "page":
        return f"limit={limit}&page={page}"
    if style == "skip":
        return f"limit={limit}&skip={(page - 1) * limit}"
    return f"limit={limit}&skip=0&page={page}"  # the official Python client's form


def walk(api: SpecClient, filters: str, style: str, limit: int) -> list[str]:
    """Every page until the first empty one; each page's headers checked on the way."""
    total = len(expected(filters))
    seen: list[str] = []
    page = 1
    while True:
        query = f"{filters}&{page_query(style, limit, page)}"
        response = api.get(f"/v2/projects/{PROJECT.short_id}/backups?{query}")
        assert response.status_code == 200, response.text
        assert pagination(response) == (limit, (page - 1) * limit, page, total), query
        ids = [item["id"] for item in response.json()]
        assert len(ids) == min(limit, max(total - (page - 1) * limit, 0)), query
        if not ids:
            return seen
        seen += ids
        page += 1


FILTERS = [
    "",
    "sortOrder=newestFirst",
    "withExportsOnly=true",
    "withExportsOnly=1&sortOrder=newestFirst",
    "runningBackupsOnly=true&sortOrder=newestFirst",
    "runningRestoresOnly=1",
    "searchTerm=before",
    "searchTerm=BEFORE&sortOrder=newestFirst&withExportsOnly=true",
    "searchTerm=7e57&sortOrder=oldestFirst",
    "searchTerm=7e57&runningBackupsOnly=0&sortOrder=newestFirst",
]


@pytest.mark.parametrize("limit", [5, 12, 50])
@pytest.mark.parametrize("style", ["page", "skip", "skip=0&page"])
@pytest.mark.parametrize("filters", FILTERS)
def test_walking_all_pages_returns_each_match_once_in_order(
    api: SpecClient, filters: str, style: str, limit: int
) -> None:
    matches = expected(filters)
    assert matches, f"{filters!r} matches nothing: the walk would prove nothing"
    assert walk(api, filters, style, limit) == matches


@pytest.mark.parametrize("filters", ["searchTerm=7e57", "searchTerm=7e57&sortOrder=newestFirst"])
def test_one_item_pages_step_through_every_tie(api: SpecClient, filters: str) -> None:
    assert walk(api, filters, "page", 1) == expected(filters)


def test_the_dataset_puts_page_boundaries_inside_ties() -> None:
    # Guards the proof above: 12 backups share each instant, and limits 5 and 50 cut them.
    by_instant = [
        sum(1 for b in BLOCK if b["requestedAt"] == t) for t in {b["requestedAt"] for b in BLOCK}
    ]
    assert by_instant == [12, 12, 12, 12]
    assert len(expected("")) > 150
