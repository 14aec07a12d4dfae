"""Invalid query values: 400 in the API's ValidationErrors shape, one entry per parameter."""

from __future__ import annotations

import pytest

from tests.support import SpecClient

URL = "/v2/projects/p-tbl001/backups"


@pytest.mark.parametrize(
    ("query", "parameter", "kind", "accepted"),
    [
        ("limit=-1", "limit", "minimum", ">= 0"),
        ("limit=abc", "limit", "type", "integer"),
        ("limit=1.5", "limit", "type", "integer"),
        ("limit=1e3", "limit", "type", "integer"),
        ("limit=" + "9" * 1001, "limit", "type", "at most 1000 digits"),
        ("page=-2", "page", "minimum", ">= 0"),
        ("page=two", "page", "type", "integer"),
        ("skip=abc", "skip", "type", "integer"),
        ("skip=%20", "skip", "type", "integer"),
        ("sortOrder=sideways", "sortOrder", "enum", "oldestFirst, newestFirst"),
        ("sortOrder=NEWESTFIRST", "sortOrder", "enum", "oldestFirst, newestFirst"),
        ("withExportsOnly=maybe", "withExportsOnly", "type", "true or false"),
        ("withExportsOnly=1", "withExportsOnly", "type", "true or false"),
        ("runningRestoresOnly=yes", "runningRestoresOnly", "type", "true or false"),
        ("runningBackupsOnly=TRUE", "runningBackupsOnly", "type", "true or false"),
        ("limit=1&limit=2", "limit", "type", "at most once"),
        ("limit=", "limit", "type", "integer"),
        ("page=", "page", "type", "integer"),
        ("skip=", "skip", "type", "integer"),
        ("sortOrder=", "sortOrder", "enum", "oldestFirst, newestFirst"),
        ("withExportsOnly=", "withExportsOnly", "type", "true or false"),
    ],
)
def test_invalid_value_gets_400_naming_the_parameter(
    api: SpecClient, query: str, parameter: str, kind: str, accepted: str
) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["type"] == "ValidationError"
    assert parameter in body["message"]
    [entry] = body["validationErrors"]
    assert entry["path"] == f"query.{parameter}"
    assert entry["type"] == kind
    assert parameter in entry["message"]
    assert accepted in entry["message"]
    assert all(isinstance(value, str) for value in entry["context"].values())


def test_every_bad_parameter_is_reported_at_once(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=-1&sortOrder=sideways&withExportsOnly=maybe&skip=x&page=-2")
    assert response.status_code == 400
    paths = [entry["path"] for entry in response.json()["validationErrors"]]
    assert paths == [
        "query.withExportsOnly",
        "query.sortOrder",
        "query.limit",
        "query.skip",
        "query.page",
    ]


def test_validation_comes_before_the_project_lookup(api: SpecClient) -> None:
    assert api.get("/v2/projects/p-nope00/backups?limit=-1").status_code == 400


def test_invalid_query_is_never_fastapi_422(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=abc")
    assert response.status_code != 422
    assert "detail" not in response.json()
