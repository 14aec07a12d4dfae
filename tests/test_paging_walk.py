"""Walking every page returns every matching item exactly once, in order."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import SpecClient

FILTERS = [
    "",
    "sortOrder=newestFirst",
    "withExportsOnly=true",
    "runningBackupsOnly=true&sortOrder=newestFirst",
    "searchTerm=before",
    "searchTerm=a&sortOrder=newestFirst",
]


@pytest.fixture(scope="module")
def generated(request: pytest.FixtureRequest) -> SpecClient:
    from fastapi.testclient import TestClient

    from mockapi import Settings, create_app

    client = TestClient(create_app(Settings(seed=8, projects=2, backups_per_project=120)))
    request.addfinalizer(client.close)
    return SpecClient(client)


def short_ids(api: SpecClient) -> list[str]:
    store = api.client.app.state.mockapi.store  # type: ignore[attr-defined]
    return [p.info.short_id for p in store.projects.values()]


@pytest.mark.parametrize("limit", [1, 7, 50])
@pytest.mark.parametrize("filters", FILTERS)
def test_walking_all_pages_returns_each_match_once_in_order(
    generated: SpecClient, filters: str, limit: int
) -> None:
    project = short_ids(generated)[0]
    everything = generated.get(f"/v2/projects/{project}/backups?{filters}")
    expected = [item["id"] for item in everything.json()]
    assert int(everything.headers["x-pagination-totalcount"]) == len(expected)
    seen: list[str] = []
    page = 1
    while True:
        response = generated.get(
            f"/v2/projects/{project}/backups?{filters}&limit={limit}&page={page}"
        )
        assert int(response.headers["x-pagination-totalcount"]) == len(expected)
        assert int(response.headers["x-pagination-page"]) == page
        items = [item["id"] for item in response.json()]
        if not items:
            break
        assert len(items) <= limit
        seen += items
        page += 1
    assert seen == expected
    assert len(set(seen)) == len(seen)
    assert page - 1 == -(-len(expected) // limit)


def test_sort_orders_are_exact_reverses(generated: SpecClient) -> None:
    for project in short_ids(generated):
        oldest = generated.get(f"/v2/projects/{project}/backups").json()
        newest = generated.get(f"/v2/projects/{project}/backups?sortOrder=newestFirst").json()
        assert newest == oldest[::-1]
        keys = [(b["requestedAt"], b["id"]) for b in oldest]
        assert keys == sorted(keys)


def test_pages_over_http_cover_the_filtered_set(make_api: Callable[..., SpecClient]) -> None:
    api = make_api()
    walked = [
        item["id"]
        for page in (1, 2, 3)
        for item in api.get(f"/v2/projects/p-tbl001/backups?limit=3&page={page}").json()
    ]
    assert len(walked) == len(set(walked)) == 8
