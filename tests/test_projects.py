"""Project look-up: one full Project by UUID or short id, and the paged project list.

The table dataset has three projects; by createdAt they are p-tbl002, p-tbl001, p-tbl003,
and only p-tbl001 (described "table project") sits on a server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockapi.backups.dataset import combine
from mockapi.backups.project_documents import LIST_ITEM_FIELDS
from mockapi.data.fixtures import parse_document
from mockapi.data.loading import load_default_dataset
from tests.conftest import EMPTY_PROJECT, OTHER_PROJECT, TABLE_PROJECT
from tests.support import SpecClient, pagination

PROJECTS = "/v2/projects"
SHORT = {TABLE_PROJECT: "p-tbl001", OTHER_PROJECT: "p-tbl002", EMPTY_PROJECT: "p-tbl003"}
BY_CREATED = ["p-tbl002", "p-tbl001", "p-tbl003"]


def project(api: SpecClient, key: str) -> dict[str, Any]:
    response = api.get(f"{PROJECTS}/{key}")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def short_ids(response: Any) -> list[str]:
    assert response.status_code == 200
    return [item["shortId"] for item in response.json()]


# --- get ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        TABLE_PROJECT,
        TABLE_PROJECT.upper(),
        "p-tbl001",
        "P-TBL001",
        "P-tbl001",
    ],
)
def test_a_project_is_found_by_uuid_or_short_id_in_any_case(api: SpecClient, key: str) -> None:
    found = project(api, key)
    assert (found["id"], found["shortId"], found["description"]) == (
        TABLE_PROJECT,
        "p-tbl001",
        "table project",
    )


def test_a_project_is_the_same_whichever_way_it_is_named(api: SpecClient) -> None:
    assert project(api, "p-tbl001") == project(api, TABLE_PROJECT) == project(api, "P-TBL001")


@pytest.mark.parametrize("dataset", ["table", "default"])
def test_project_documents_are_deterministic(
    make_api: Callable[..., SpecClient], dataset: str
) -> None:
    def build() -> SpecClient:
        return make_api("table" if dataset == "table" else load_default_dataset())

    first, second = build(), build()
    for item in first.get(PROJECTS).json():
        assert project(first, item["id"]) == project(second, item["id"])


def test_a_project_document_does_not_move_with_the_clock_or_a_reset(api: SpecClient) -> None:
    before = project(api, "p-tbl001")
    api.advance(3 * 86_400)
    assert project(api, "p-tbl001") == before
    api.control("POST", "reset")
    assert project(api, "p-tbl001") == before


def test_a_project_was_created_before_its_oldest_backup(
    make_api: Callable[..., SpecClient],
) -> None:
    old_backup = {
        "id": "00000000-0000-4000-8000-000000000001",
        "projectId": TABLE_PROJECT,
        "requestedAt": "2021-06-01T03:00:00.000Z",
        "status": "Failed",
        "deletable": False,
    }
    document = {"projects": [{"id": TABLE_PROJECT, "shortId": "p-tbl001"}], "backups": [old_backup]}
    dataset, problems = parse_document("old", document)
    assert problems == []
    api = make_api(combine([dataset]))
    assert project(api, "p-tbl001")["createdAt"] < old_backup["requestedAt"]


@pytest.mark.parametrize(
    ("setting", "status", "error_type"),
    [({}, 403, "PermissionDenied"), ({"unknown_project": "not-found"}, 404, "NotFound")],
)
@pytest.mark.parametrize("key", ["p-nope00", "44444444-4444-4444-8444-444444444444"])
def test_an_unknown_project_is_denied_or_not_found_as_configured(
    make_api: Callable[..., SpecClient],
    setting: dict[str, str],
    status: int,
    error_type: str,
    key: str,
) -> None:
    response = make_api(**setting).get(f"{PROJECTS}/{key}")
    assert response.status_code == status
    assert response.json()["type"] == error_type


def test_getting_a_project_needs_a_token(api: SpecClient) -> None:
    assert api.get(f"{PROJECTS}/p-tbl001", headers={}).status_code == 401


# --- list --------------------------------------------------------------------------------------


def test_a_list_item_is_the_project_in_the_list_shape(api: SpecClient) -> None:
    for item in api.get(PROJECTS).json():
        full = project(api, item["id"])
        expected = {k: full[k] for k in LIST_ITEM_FIELDS if k in full}
        expected["customerMeta"] = {"id": full["customerId"]}
        expected.setdefault("deletionRequested", False)
        assert item == expected
        # As recorded: the project's fields plus customerMeta, minus these.
        left_out = {"directories", "spec", "clusterDomain", "clusterID", "clusterId"}
        assert set(item) == (set(full) - left_out - {"statisticsBaseDomain"}) | {"customerMeta"}


def test_a_project_has_the_recorded_fields_and_shapes(api: SpecClient) -> None:
    for item in api.get(PROJECTS).json():
        full = project(api, item["id"])
        short = full["shortId"]
        assert full["deletionRequested"] is False
        assert full["directories"] == {
            "Home": f"/home/{short}",
            "Logs": f"/home/{short}/logs",
            "Web": f"/home/{short}/html",
        }
        assert "projectHostingId" not in full
        assert len(full["serverId"]) == 36
        assert full["serverShortId"].startswith("s-")
        assert list(full["spec"]) == ["storage"]
        assert full["spec"]["storage"].endswith("Gi")
        assert full["clusterDomain"] == "project.host"
        assert full["features"] == full["supportedFeatures"]
        assert set(full["features"]) <= {"redis", "container", "node"}


@pytest.mark.parametrize(
    ("query", "expected", "headers"),
    [
        # (limit, skip, page, total)
        ("", BY_CREATED, (10000, 0, 1, 3)),
        ("limit=0", BY_CREATED, (10000, 0, 1, 3)),
        ("sort=createdAt", BY_CREATED, (10000, 0, 1, 3)),
        ("order=asc", BY_CREATED, (10000, 0, 1, 3)),
        ("order=desc", BY_CREATED[::-1], (10000, 0, 1, 3)),
        # Undescribed projects sort first; the id breaks the tie.
        ("sort=description", ["p-tbl002", "p-tbl003", "p-tbl001"], (10000, 0, 1, 3)),
        ("sort=description&order=desc", ["p-tbl001", "p-tbl003", "p-tbl002"], (10000, 0, 1, 3)),
        ("limit=2", BY_CREATED[:2], (2, 0, 1, 3)),
        ("limit=2&page=2", BY_CREATED[2:], (2, 2, 2, 3)),
        ("limit=2&page=3", [], (2, 4, 3, 3)),
        ("limit=1&skip=1", BY_CREATED[1:2], (1, 1, 2, 3)),
        ("limit=1&skip=2&page=1", BY_CREATED[2:], (1, 2, 3, 3)),
        ("limit=1&skip=0&page=3", BY_CREATED[2:], (1, 2, 3, 3)),
        ("limit=2&order=desc&page=2", BY_CREATED[:1], (2, 2, 2, 3)),
        ("searchTerm=table", ["p-tbl001"], (10000, 0, 1, 1)),
        ("searchTerm=TABLE%20PROJECT", ["p-tbl001"], (10000, 0, 1, 1)),
        ("searchTerm=p-tbl00", BY_CREATED, (10000, 0, 1, 3)),
        ("searchTerm=P-TBL003", ["p-tbl003"], (10000, 0, 1, 1)),
        ("searchTerm=2222-4222", ["p-tbl002"], (10000, 0, 1, 1)),
        ("searchTerm=nothing", [], (10000, 0, 1, 0)),
        ("searchTerm=", BY_CREATED, (10000, 0, 1, 3)),
        ("unknown=1", BY_CREATED, (10000, 0, 1, 3)),
    ],
)
def test_list_sorts_filters_and_pages(
    api: SpecClient, query: str, expected: list[str], headers: tuple[int, int, int, int]
) -> None:
    response = api.get(f"{PROJECTS}?{query}")
    assert short_ids(response) == expected
    assert pagination(response) == headers


@pytest.mark.parametrize(
    ("term", "expected"),
    [("webshop", ["p-kbuygq"]), ("GMBH", ["p-kbuygq"]), ("company BLOG", ["p-4x9zt2"])],
)
def test_search_ignores_the_case_of_descriptions(
    make_api: Callable[..., SpecClient], term: str, expected: list[str]
) -> None:
    api = make_api(load_default_dataset())
    assert short_ids(api.get(PROJECTS, params={"searchTerm": term})) == expected


@pytest.mark.parametrize(
    ("descriptions", "expected"),
    [
        # Case does not count: "apple" before "Zed".
        (("Zed", "apple"), ["p-desc02", "p-desc01"]),
        # Lower case is compared, so "_" sorts before letters: "a_b" before "ab".
        (("ab", "A_B"), ["p-desc02", "p-desc01"]),
        (("a_b", "AB"), ["p-desc01", "p-desc02"]),
    ],
)
def test_sorting_by_description_compares_lower_case_text(
    api: SpecClient, descriptions: tuple[str, str], expected: list[str]
) -> None:
    projects = [
        {
            "id": f"dddddddd-0000-4000-8000-00000000000{n}",
            "shortId": f"p-desc0{n}",
            "description": d,
        }
        for n, d in enumerate(descriptions, start=1)
    ]
    data = {"projects": projects, "backups": []}
    assert api.client.put("/_mockapi/data", json=data).status_code == 200
    assert short_ids(api.get(f"{PROJECTS}?sort=description")) == expected


def test_list_filters_by_customer_and_server(api: SpecClient) -> None:
    table = project(api, "p-tbl001")
    customer = short_ids(api.get(f"{PROJECTS}?customerId={table['customerId']}"))
    assert customer == ["p-tbl001"]
    server = short_ids(api.get(f"{PROJECTS}?serverId={table['serverId'].upper()}"))
    assert server == ["p-tbl001"]
    other = project(api, "p-tbl002")
    both = f"customerId={other['customerId']}&serverId={table['serverId']}"
    assert short_ids(api.get(f"{PROJECTS}?{both}")) == []
    assert short_ids(api.get(f"{PROJECTS}?customerId=not-a-customer")) == []
    assert short_ids(api.get(f"{PROJECTS}?customerId=")) == BY_CREATED


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("serverId=s-abc123", [("serverId", "format", {"format": "uuid"})]),
        ("serverId=", [("serverId", "format", {"format": "uuid"})]),
        ("sort=name", [("sort", "enum", {"allowedValues": "createdAt, description"})]),
        ("order=up", [("order", "enum", {"allowedValues": "asc, desc"})]),
        ("limit=-1", [("limit", "minimum", None)]),
        ("limit=ten", [("limit", "type", None)]),
        ("page=-1", [("page", "minimum", None)]),
        (
            "serverId=x&order=up",
            [("serverId", "format", {"format": "uuid"}), ("order", "enum", None)],
        ),
    ],
)
def test_list_validates_its_query(
    api: SpecClient, query: str, errors: list[tuple[str, str, dict[str, str] | None]]
) -> None:
    response = api.get(f"{PROJECTS}?{query}")
    assert response.status_code == 400
    items = response.json()["validationErrors"]
    assert [(i["path"], i["type"]) for i in items] == [(p, t) for p, t, _ in errors]
    for item, (_, _, context) in zip(items, errors, strict=True):
        if context is not None:
            assert item["context"] == context


def test_the_default_datasets_projects_are_listed_and_found(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(load_default_dataset())
    listed = short_ids(api.get(PROJECTS))
    assert sorted(listed) == ["p-4x9zt2", "p-kbuygq", "p-n3wpr0"]
    for short_id in listed:
        assert project(api, short_id)["shortId"] == short_id
