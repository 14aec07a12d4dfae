"""Invalid query values: 400 in the API's ValidationErrors dialect, one item per parameter.

Items carry the bare parameter name as `path` and a JSON-schema keyword as `type`, with the
keyword's context, as the real API reports validation failures.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import SpecClient, numbers

URL = "/v2/projects/p-tbl001/backups"


@pytest.mark.parametrize(
    ("query", "parameter", "kind", "message", "context"),
    [
        ("limit=-1", "limit", "minimum", "Must be greater than or equal to 0", {"limit": "0"}),
        ("page=-2", "page", "minimum", "Must be greater than or equal to 0", {"limit": "0"}),
        ("limit=abc", "limit", "type", "Expected: integer", {"type": "integer"}),
        ("limit=1.5", "limit", "type", "Expected: integer", {"type": "integer"}),
        ("limit=1e3", "limit", "type", "Expected: integer", {"type": "integer"}),
        ("limit=" + "9" * 1001, "limit", "type", "Expected: integer", {"type": "integer"}),
        ("page=two", "page", "type", "Expected: integer", {"type": "integer"}),
        ("skip=abc", "skip", "type", "Expected: integer", {"type": "integer"}),
        ("skip=%20", "skip", "type", "Expected: integer", {"type": "integer"}),
        ("limit=", "limit", "type", "Expected: integer", {"type": "integer"}),
        ("page=", "page", "type", "Expected: integer", {"type": "integer"}),
        ("skip=", "skip", "type", "Expected: integer", {"type": "integer"}),
        (
            "sortOrder=sideways",
            "sortOrder",
            "enum",
            'sortOrder must be one of the following: "oldestFirst", "newestFirst"',
            {"allowedValues": "oldestFirst, newestFirst"},
        ),
        (
            "sortOrder=NEWESTFIRST",
            "sortOrder",
            "enum",
            "must be one of the following",
            {"allowedValues": "oldestFirst, newestFirst"},
        ),
        (
            "sortOrder=",
            "sortOrder",
            "enum",
            "must be one of the following",
            {"allowedValues": "oldestFirst, newestFirst"},
        ),
        ("withExportsOnly=maybe", "withExportsOnly", "type", "boolean", {"type": "boolean"}),
        ("withExportsOnly=2", "withExportsOnly", "type", "boolean", {"type": "boolean"}),
        ("withExportsOnly=", "withExportsOnly", "type", "boolean", {"type": "boolean"}),
        ("runningRestoresOnly=yes", "runningRestoresOnly", "type", "boolean", {"type": "boolean"}),
        ("runningBackupsOnly=TRUE", "runningBackupsOnly", "type", "boolean", {"type": "boolean"}),
        ("limit=1&limit=2", "limit", "type", "given: array", {"type": "integer"}),
        ("searchTerm=a&searchTerm=b", "searchTerm", "type", "given: array", {"type": "string"}),
    ],
)
def test_invalid_value_gets_400_naming_the_parameter(
    api: SpecClient,
    query: str,
    parameter: str,
    kind: str,
    message: str,
    context: dict[str, str],
) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["type", "message", "validationErrors", "params"]
    assert body["type"] == "ValidationError"
    assert body["message"].startswith("3 INVALID_ARGUMENT: validation failed with ['")
    assert f"'{parameter}: " in body["message"]
    [entry] = body["validationErrors"]
    assert entry["path"] == parameter  # the bare name, never query.<name>
    assert entry["type"] == kind
    assert message in entry["message"]
    assert entry["context"] == context


def test_validation_message_is_the_recorded_grpc_form(api: SpecClient) -> None:
    body = api.get(f"{URL}?limit=-1").json()
    assert body["message"] == (
        "3 INVALID_ARGUMENT: validation failed with ['limit: Must be greater than or equal to 0']"
    )


def test_every_bad_parameter_is_reported_at_once_in_spec_order(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=-1&sortOrder=sideways&withExportsOnly=maybe&skip=x&page=-2")
    assert response.status_code == 400
    paths = [entry["path"] for entry in response.json()["validationErrors"]]
    assert paths == ["withExportsOnly", "sortOrder", "limit", "skip", "page"]


def test_prefixed_paths_are_switchable(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(validation_paths="prefixed")
    body = api.get(f"{URL}?limit=-1").json()
    assert body["validationErrors"][0]["path"] == "query.limit"
    assert "'query.limit: " in body["message"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("withExportsOnly=1", [1, 3, 8]),
        ("withExportsOnly=0", [1, 2, 3, 4, 5, 6, 7, 8]),
        ("runningBackupsOnly=1", [7, 8]),
        ("runningRestoresOnly=1&withExportsOnly=1", [3]),
    ],
)
def test_php_booleans_one_and_zero_are_accepted(
    api: SpecClient, query: str, expected: list[int]
) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert numbers(response) == expected


def test_validation_comes_before_the_project_lookup(api: SpecClient) -> None:
    assert api.get("/v2/projects/p-nope00/backups?limit=-1").status_code == 400


def test_invalid_query_is_never_fastapi_422(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=abc")
    assert response.status_code != 422
    assert "detail" not in response.json()


def test_query_longer_than_the_cap_gets_414(api: SpecClient) -> None:
    response = api.get(f"{URL}?searchTerm={'x' * 8200}")
    assert response.status_code == 414
    assert response.json()["type"] == "URITooLong"


def test_query_just_under_the_cap_is_answered(api: SpecClient) -> None:
    query = "searchTerm=" + "x" * (8192 - len("searchTerm="))
    assert api.get(f"{URL}?{query}").status_code == 200
