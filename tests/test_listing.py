"""The behaviour table: filters, sort order and paging, as (query, ids, headers) rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import TABLE_PROJECT
from tests.support import SpecClient, numbers, pagination

URL = "/v2/projects/p-tbl001/backups"
ALL = [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("sortOrder=oldestFirst", ALL),
        ("sortOrder=newestFirst", ALL[::-1]),
        # 5 and 6 share requestedAt: the id breaks the tie, and newestFirst is the exact reverse.
        ("searchTerm=0000000000&sortOrder=newestFirst", [8, 7, 6, 5, 4, 3, 2, 1]),
        ("withExportsOnly=true", [1, 3, 8]),
        ("withExportsOnly=false", ALL),
        ("runningRestoresOnly=true", [3, 5]),
        ("runningRestoresOnly=false", ALL),
        ("runningBackupsOnly=true", [7, 8]),
        ("runningBackupsOnly=false", ALL),
        ("withExportsOnly=true&runningRestoresOnly=true", [3]),
        ("withExportsOnly=true&runningBackupsOnly=true", [8]),
        ("searchTerm=plugin", [1]),
        ("searchTerm=BEFORE", [1, 5]),
        ("searchTerm=before%20php", [5]),
        ("searchTerm=before+plugin", [1]),
        ("searchTerm=000000000003", [3]),
        ("searchTerm=00000000-0000-4000-8000-000000000006", [6]),
        ("searchTerm=", ALL),
        ("searchTerm=nothing-matches", []),
        ("searchTerm=before&withExportsOnly=true", [1]),
        ("searchTerm=t&sortOrder=newestFirst", [8, 1]),
        ("unknownParameter=1&another=x", ALL),
    ],
)
def test_filters_and_sort_order(api: SpecClient, query: str, expected: list[int]) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert numbers(response) == expected
    assert pagination(response)[3] == len(expected)


@pytest.mark.parametrize(
    ("query", "expected", "headers"),
    [
        # (limit, skip, page, total)
        ("", ALL, (1000, 0, 1, 8)),
        ("limit=0", ALL, (1000, 0, 1, 8)),
        ("limit=3", [1, 2, 3], (3, 0, 1, 8)),
        ("limit=3&page=1", [1, 2, 3], (3, 0, 1, 8)),
        ("limit=3&page=0", [1, 2, 3], (3, 0, 1, 8)),
        ("limit=3&page=2", [4, 5, 6], (3, 3, 2, 8)),
        ("limit=3&page=3", [7, 8], (3, 6, 3, 8)),
        ("limit=3&page=4", [], (3, 9, 4, 8)),
        ("limit=3&page=1000", [], (3, 2997, 1000, 8)),
        ("limit=3&skip=3", [4, 5, 6], (3, 3, 2, 8)),
        ("limit=3&skip=2", [3, 4, 5], (3, 2, 1, 8)),
        ("limit=3&skip=8", [], (3, 8, 3, 8)),
        ("limit=3&skip=6&page=1", [7, 8], (3, 6, 3, 8)),
        ("limit=3&skip=0&page=2", [4, 5, 6], (3, 3, 2, 8)),
        ("limit=3&skip=-5", [1, 2, 3], (3, 0, 1, 8)),
        ("skip=-1&page=2&limit=3", [4, 5, 6], (3, 3, 2, 8)),
        ("page=2", [], (1000, 1000, 2, 8)),
        ("limit=1&page=8", [8], (1, 7, 8, 8)),
        ("limit=8", ALL, (8, 0, 1, 8)),
        ("limit=100", ALL, (100, 0, 1, 8)),
        ("limit=3&page=2&sortOrder=newestFirst", [5, 4, 3], (3, 3, 2, 8)),
        ("limit=3&page=3&sortOrder=newestFirst", [2, 1], (3, 6, 3, 8)),
        ("limit=3&page=4&sortOrder=newestFirst", [], (3, 9, 4, 8)),
        ("limit=2&skip=1&sortOrder=newestFirst", [7, 6], (2, 1, 1, 8)),
        ("withExportsOnly=true&sortOrder=newestFirst&limit=2", [8, 3], (2, 0, 1, 3)),
        ("withExportsOnly=true&sortOrder=newestFirst&limit=2&page=2", [1], (2, 2, 2, 3)),
        ("runningRestoresOnly=true&limit=1&page=2", [5], (1, 1, 2, 2)),
        ("searchTerm=before&limit=1&skip=1", [5], (1, 1, 2, 2)),
        ("limit=%2B2", [1, 2], (2, 0, 1, 8)),
        ("unknownParameter=1&limit=2", [1, 2], (2, 0, 1, 8)),
        ("limit=9223372036854775807", ALL, (9223372036854775807, 0, 1, 8)),
        ("limit=" + "9" * 40, ALL, (10**40 - 1, 0, 1, 8)),
        ("page=" + "9" * 30 + "&limit=2", [], (2, 2 * (10**30 - 2), 10**30 - 1, 8)),
    ],
)
def test_paging(
    api: SpecClient, query: str, expected: list[int], headers: tuple[int, int, int, int]
) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert numbers(response) == expected
    assert pagination(response) == headers


@pytest.mark.parametrize(
    "path",
    [
        "/v2/projects/p-tbl001/backups",
        "/v2/projects/p-tbl001/backups/",
        f"/v2/projects/{TABLE_PROJECT}/backups",
        f"/v2/projects/{TABLE_PROJECT}/backups/",
        f"/v2/projects/{TABLE_PROJECT.upper()}/backups",
    ],
)
def test_short_id_uuid_and_trailing_slash_answer_the_same(api: SpecClient, path: str) -> None:
    response = api.get(f"{path}?limit=3&page=2", follow_redirects=False)
    assert response.status_code == 200
    assert numbers(response) == [4, 5, 6]
    assert pagination(response) == (3, 3, 2, 8)
    assert {item["projectId"] for item in response.json()} == {TABLE_PROJECT}


def test_projects_are_kept_apart(api: SpecClient) -> None:
    assert numbers(api.get("/v2/projects/p-tbl002/backups")) == [21, 22]


def test_a_known_project_without_backups_lists_nothing(api: SpecClient) -> None:
    response = api.get("/v2/projects/p-tbl003/backups?limit=5")
    assert response.status_code == 200
    assert response.json() == []
    assert pagination(response) == (5, 0, 1, 0)


def test_all_four_headers_are_decimal_integer_strings(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=2&page=3")
    for name in ("Limit", "Skip", "Page", "TotalCount"):
        assert response.headers[f"X-Pagination-{name}"].isdigit()


def test_head_answers_like_get_without_a_body(api: SpecClient) -> None:
    response = api.client.head(f"{URL}?limit=2", headers={"x-access-token": "t"})
    assert response.status_code == 200
    assert response.headers["x-pagination-totalcount"] == "8"
    assert response.content == b""


@pytest.mark.parametrize(
    ("query", "expected", "headers"),
    [
        ("limit=3&skip=0&page=2", [1, 2, 3], (3, 0, 1, 8)),
        ("limit=3&skip=-2&page=2", [1, 2, 3], (3, 0, 1, 8)),
        ("limit=3&skip=6&page=1", [7, 8], (3, 6, 3, 8)),
        ("limit=3&page=2", [4, 5, 6], (3, 3, 2, 8)),
    ],
)
def test_given_skip_precedence_reads_the_spec_literally(
    make_api: Callable[..., SpecClient],
    query: str,
    expected: list[int],
    headers: tuple[int, int, int, int],
) -> None:
    response = make_api(skip_precedence="given").get(f"{URL}?{query}")
    assert numbers(response) == expected
    assert pagination(response) == headers
