"""Tokens, unknown projects, and the API's error shape on every non-200 answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import SpecClient, numbers

URL = "/v2/projects/p-tbl001/backups?limit=2"


@pytest.mark.parametrize(
    "headers",
    [
        {"x-access-token": "anything"},
        {"Authorization": "Bearer anything"},
        {"Authorization": "bearer anything"},
        {"Authorization": "anything"},
    ],
)
def test_default_auth_accepts_any_token_in_either_header(
    api: SpecClient, headers: dict[str, str]
) -> None:
    response = api.get(URL, headers=headers)
    assert response.status_code == 200
    assert numbers(response) == [1, 2]


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-access-token": ""}, {"Authorization": "Bearer "}, {"Authorization": ""}],
)
def test_missing_token_gets_401(api: SpecClient, headers: dict[str, str]) -> None:
    response = api.get(URL, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["type"] == "UnauthorizedError"
    assert "x-access-token" in body["message"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x-access-token": "good"}, 200),
        ({"Authorization": "Bearer other-good"}, 200),
        ({"x-access-token": "bad"}, 403),
        ({"Authorization": "Bearer bad"}, 403),
        ({}, 401),
    ],
)
def test_token_list_accepts_only_listed_tokens(
    make_api: Callable[..., SpecClient], headers: dict[str, str], status: int
) -> None:
    api = make_api(tokens=["good", "other-good"])
    response = api.get(URL, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert response.json()["type"] == "ForbiddenError"
        assert "bad" not in response.json()["message"]


def test_auth_none_needs_no_token(make_api: Callable[..., SpecClient]) -> None:
    assert make_api(auth="none").get(URL, headers={}).status_code == 200


def test_auth_is_checked_before_the_query(api: SpecClient) -> None:
    assert api.get("/v2/projects/p-tbl001/backups?limit=-1", headers={}).status_code == 401


@pytest.mark.parametrize(
    ("mode", "status"), [(None, 403), ("forbidden", 403), ("not-found", 404), ("empty", 200)]
)
@pytest.mark.parametrize(
    "project", ["p-zzzzzz", "99999999-9999-4999-8999-999999999999", "not-a-project"]
)
def test_unknown_project_answer_is_selectable(
    make_api: Callable[..., SpecClient], mode: str | None, status: int, project: str
) -> None:
    api = make_api(**({} if mode is None else {"unknown_project": mode}))
    response = api.get(f"/v2/projects/{project}/backups?limit=5&page=2")
    assert response.status_code == status
    if status == 200:
        assert response.json() == []
        assert response.headers["x-pagination-totalcount"] == "0"
        assert response.headers["x-pagination-skip"] == "5"
    else:
        body = response.json()
        assert set(body) == {"type", "message"}
        assert project in body["message"]


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [
        ("GET", "/v2/projects/p-tbl001", 404, "NotFoundError"),
        ("GET", "/", 404, "NotFoundError"),
        ("GET", "/v2/projects/p-tbl001/backups/extra", 404, "NotFoundError"),
        ("POST", "/v2/projects/p-tbl001/backups", 405, "MethodNotAllowedError"),
        ("DELETE", "/v2/projects/p-tbl001/backups/", 405, "MethodNotAllowedError"),
    ],
)
def test_other_routes_answer_in_the_api_error_shape(
    api: SpecClient, method: str, path: str, status: int, kind: str
) -> None:
    response = api.client.request(method, path, headers={"x-access-token": "t"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["type"] == kind
    assert isinstance(body["message"], str) and body["message"]
