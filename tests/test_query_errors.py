"""Invalid query values: 400 in the API's ValidationErrors dialect, one item per parameter.

Items carry the bare parameter name as `path` and a JSON-schema keyword as `type`, with the
keyword's context, as the real API reports validation failures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support import SpecClient, numbers

URL = "/v2/projects/p-tbl001/backups"


NOT_AN_INTEGER = "Invalid type. Expected: integer, given: string"
NOT_A_BOOLEAN = "Invalid type. Expected: boolean, given: string"
NOT_A_SORT_ORDER = 'sortOrder must be one of the following: "oldestFirst", "newestFirst"'
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NOT_A_UUID = "Does not match format 'uuid'"
SORT_ORDERS = {"allowedValues": "oldestFirst, newestFirst"}


def assert_one_invalid_parameter(
    response: Any, parameter: str, kind: str, message: str, context: dict[str, str]
) -> None:
    """The answer is a 400 naming exactly this parameter, in the recorded gRPC wording."""
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["type", "message", "validationErrors", "params"]
    assert body["type"] == "ValidationError"
    assert body["message"] == (
        f"3 INVALID_ARGUMENT: validation failed with ['{parameter}: {message}']"
    )
    # The bare name as path, never query.<name>.
    assert body["validationErrors"] == [
        {"type": kind, "message": message, "path": parameter, "context": context}
    ]


@pytest.mark.parametrize(
    ("query", "parameter", "kind", "message", "context"),
    [
        ("limit=-1", "limit", "minimum", "Must be greater than or equal to 0", {"limit": "0"}),
        ("page=-2", "page", "minimum", "Must be greater than or equal to 0", {"limit": "0"}),
        ("limit=abc", "limit", "type", NOT_AN_INTEGER, INTEGER),
        ("limit=1.5", "limit", "type", NOT_AN_INTEGER, INTEGER),
        ("limit=1e3", "limit", "type", NOT_AN_INTEGER, INTEGER),
        ("limit=" + "9" * 1001, "limit", "type", NOT_AN_INTEGER, INTEGER),
        ("page=two", "page", "type", NOT_AN_INTEGER, INTEGER),
        ("skip=abc", "skip", "type", NOT_AN_INTEGER, INTEGER),
        ("skip=%20", "skip", "type", NOT_AN_INTEGER, INTEGER),
        ("limit=", "limit", "type", NOT_AN_INTEGER, INTEGER),
        ("page=", "page", "type", NOT_AN_INTEGER, INTEGER),
        ("skip=", "skip", "type", NOT_AN_INTEGER, INTEGER),
        ("sortOrder=sideways", "sortOrder", "enum", NOT_A_SORT_ORDER, SORT_ORDERS),
        ("sortOrder=NEWESTFIRST", "sortOrder", "enum", NOT_A_SORT_ORDER, SORT_ORDERS),
        ("sortOrder=", "sortOrder", "enum", NOT_A_SORT_ORDER, SORT_ORDERS),
        ("withExportsOnly=maybe", "withExportsOnly", "type", NOT_A_BOOLEAN, BOOLEAN),
        ("withExportsOnly=2", "withExportsOnly", "type", NOT_A_BOOLEAN, BOOLEAN),
        ("withExportsOnly=", "withExportsOnly", "type", NOT_A_BOOLEAN, BOOLEAN),
        ("runningRestoresOnly=yes", "runningRestoresOnly", "type", NOT_A_BOOLEAN, BOOLEAN),
        ("runningBackupsOnly=TRUE", "runningBackupsOnly", "type", NOT_A_BOOLEAN, BOOLEAN),
        (
            "limit=1&limit=2",
            "limit",
            "type",
            "Invalid type. Expected: integer, given: array",
            INTEGER,
        ),
        (
            "searchTerm=a&searchTerm=b",
            "searchTerm",
            "type",
            "Invalid type. Expected: string, given: array",
            {"type": "string"},
        ),
        # An unknown parameter is skipped; the ones after it are still read.
        (
            "unknownParameter=1&limit=-1",
            "limit",
            "minimum",
            "Must be greater than or equal to 0",
            {"limit": "0"},
        ),
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
    assert_one_invalid_parameter(api.get(f"{URL}?{query}"), parameter, kind, message, context)


@pytest.mark.parametrize(
    ("query", "parameter", "kind", "message", "context"),
    [
        ("serverId=s-abc123", "serverId", "format", NOT_A_UUID, {"format": "uuid"}),
        ("serverId=", "serverId", "format", NOT_A_UUID, {"format": "uuid"}),
        (
            "sort=name",
            "sort",
            "enum",
            'sort must be one of the following: "createdAt", "description"',
            {"allowedValues": "createdAt, description"},
        ),
        (
            "order=up",
            "order",
            "enum",
            'order must be one of the following: "asc", "desc"',
            {"allowedValues": "asc, desc"},
        ),
        ("limit=ten", "limit", "type", NOT_AN_INTEGER, INTEGER),
    ],
)
def test_invalid_project_list_value_gets_400_naming_the_parameter(
    api: SpecClient,
    query: str,
    parameter: str,
    kind: str,
    message: str,
    context: dict[str, str],
) -> None:
    assert_one_invalid_parameter(
        api.get(f"/v2/projects?{query}"), parameter, kind, message, context
    )


def test_validation_message_is_the_recorded_grpc_form(api: SpecClient) -> None:
    body = api.get(f"{URL}?limit=-1").json()
    assert body["message"] == (
        "3 INVALID_ARGUMENT: validation failed with ['limit: Must be greater than or equal to 0']"
    )


def test_every_bad_parameter_is_reported_at_once_in_spec_order(api: SpecClient) -> None:
    response = api.get(f"{URL}?limit=-1&sortOrder=sideways&withExportsOnly=maybe&skip=x&page=-2")
    assert response.status_code == 400
    body = response.json()
    paths = [entry["path"] for entry in body["validationErrors"]]
    assert paths == ["withExportsOnly", "sortOrder", "limit", "skip", "page"]
    assert body["message"] == (
        "3 INVALID_ARGUMENT: validation failed with ["
        f"'withExportsOnly: {NOT_A_BOOLEAN}', 'sortOrder: {NOT_A_SORT_ORDER}', "
        "'limit: Must be greater than or equal to 0', "
        f"'skip: {NOT_AN_INTEGER}', 'page: Must be greater than or equal to 0']"
    )


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
    body = response.json()
    assert body["type"] == "URITooLong"
    assert body["message"] == "the query string has 8211 characters; at most 8192 are accepted"


def test_query_just_under_the_cap_is_answered(api: SpecClient) -> None:
    query = "searchTerm=" + "x" * (8192 - len("searchTerm="))
    assert api.get(f"{URL}?{query}").status_code == 200
