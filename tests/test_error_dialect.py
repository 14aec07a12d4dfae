"""Tokens, unknown resources and routes, in the real API's error dialect.

Each recorded body is matched exactly (apart from its trace id), and every answer's
`x-traceid` equals the body's `params.traceId` (checked for every answer by SpecClient).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support import SpecClient, numbers

URL = "/v2/projects/p-tbl001/backups?limit=2"


def without_trace(body: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in body.items() if k != "params"}


@pytest.mark.parametrize(
    "headers",
    [
        {"x-access-token": "anything"},
        {"Authorization": "Bearer anything"},
        {"Authorization": "bearer anything"},
        {"Authorization": "anything"},
        {"x-access-token": "same", "Authorization": "Bearer same"},
        {"x-access-token": "", "Authorization": "Bearer other"},
    ],
)
def test_any_token_in_either_header_passes(api: SpecClient, headers: dict[str, str]) -> None:
    response = api.get(URL, headers=headers)
    assert response.status_code == 200
    assert numbers(response) == [1, 2]


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-access-token": ""}, {"Authorization": "Bearer "}, {"Authorization": ""}],
)
def test_no_token_gets_the_recorded_401(api: SpecClient, headers: dict[str, str]) -> None:
    response = api.get(URL, headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert list(body) == ["params", "message", "type"]
    assert without_trace(body) == {"message": "unauthenticated", "type": "Unauthenticated"}


def test_two_different_tokens_are_ambiguous_and_refused(api: SpecClient) -> None:
    response = api.get(URL, headers={"x-access-token": "one", "Authorization": "Bearer two"})
    assert response.status_code == 401
    assert response.json()["type"] == "Unauthenticated"
    assert "two different access tokens" in response.json()["message"]


def test_two_token_headers_with_different_values_are_refused(api: SpecClient) -> None:
    response = api.client.get(URL, headers=[("x-access-token", "a"), ("x-access-token", "b")])
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"x-access-token": "good"}, 200),
        ({"Authorization": "Bearer other-good"}, 200),
        ({"x-access-token": "stale"}, 401),
        ({"Authorization": "Bearer stale"}, 401),
        ({}, 401),
    ],
)
def test_token_list_accepts_only_listed_tokens_and_a_stale_one_is_401(
    make_api: Callable[..., SpecClient], headers: dict[str, str], status: int
) -> None:
    api = make_api(tokens=["good", "other-good"])
    response = api.get(URL, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert without_trace(response.json()) == {
            "message": "unauthenticated",
            "type": "Unauthenticated",
        }


def test_auth_none_needs_no_token(make_api: Callable[..., SpecClient]) -> None:
    assert make_api(auth="none").get(URL, headers={}).status_code == 200


def test_auth_is_checked_before_the_query(api: SpecClient) -> None:
    assert api.get("/v2/projects/p-tbl001/backups?limit=-1", headers={}).status_code == 401


@pytest.mark.parametrize(
    "project", ["p-zzzzzz", "p-12345", "99999999-9999-4999-8999-999999999999", "not-a-project"]
)
def test_unknown_project_gets_the_recorded_403(api: SpecClient, project: str) -> None:
    response = api.get(f"/v2/projects/{project}/backups")
    assert response.status_code == 403
    body = response.json()
    assert list(body) == ["params", "message", "type"]
    assert without_trace(body) == {
        "message": "access denied; verdict: abstain",
        "type": "PermissionDenied",
    }


@pytest.mark.parametrize(("mode", "status"), [("not-found", 404), ("empty", 200)])
def test_unknown_project_answer_is_switchable(
    make_api: Callable[..., SpecClient], mode: str, status: int
) -> None:
    api = make_api(unknown_project=mode)
    response = api.get("/v2/projects/p-zzzzzz/backups?limit=5&page=2")
    assert response.status_code == status
    if status == 200:
        assert response.json() == []
        assert response.headers["x-pagination-totalcount"] == "0"
        assert response.headers["x-pagination-skip"] == "5"
    else:
        assert response.json()["type"] == "NotFound"


@pytest.mark.parametrize(
    "path",
    ["/v2/nothing", "/v2/projects/p-tbl001/backups/extra", "/v2/", "/", "/v3/projects"],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer "}, {"x-access-token": "t"}])
def test_a_path_with_no_route_gets_the_recorded_404_before_any_token_check(
    api: SpecClient, path: str, headers: dict[str, str]
) -> None:
    response = api.get(path, headers=headers)
    assert response.status_code == 404
    assert response.json() == {
        "type": "NotFound",
        "message": "The requested resource was not found.",
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v2/projects/p-tbl001/backups", "GET, HEAD, POST"),
        ("DELETE", "/v2/projects/p-tbl001/backups/", "GET, HEAD, POST"),
        ("POST", "/v2/project-backups/x", "GET, HEAD, PATCH, DELETE"),
    ],
)
def test_a_method_the_path_does_not_serve_gets_405_with_allow(
    api: SpecClient, method: str, path: str, allowed: str
) -> None:
    response = api.request(method, path)
    assert response.status_code == 405
    assert response.json()["type"] == "MethodNotAllowed"
    assert response.headers["allow"] == allowed


def test_every_answer_carries_a_trace_id_and_errors_repeat_it(api: SpecClient) -> None:
    ok = api.get(URL)
    denied = api.get("/v2/projects/p-zzzzzz/backups")
    assert ok.headers["x-traceid"] != denied.headers["x-traceid"]
    assert denied.json()["params"]["traceId"] == denied.headers["x-traceid"]


def test_trace_ids_repeat_with_the_same_options(make_api: Callable[..., SpecClient]) -> None:
    first, second = make_api(), make_api()
    paths = [URL, "/v2/projects/p-zzzzzz/backups", URL + "&limit=-1", "/v2/nothing"]
    answers = [
        [(a.get(p).headers["x-traceid"], a.get(p).content) for p in paths] for a in (first, second)
    ]
    assert answers[0] == answers[1]


def test_if_event_reached_is_accepted_and_ignored(api: SpecClient) -> None:
    plain = api.get(URL)
    waited = api.get(URL, headers={"x-access-token": "t", "If-Event-Reached": "abc:123"})
    assert waited.status_code == 200
    assert waited.content == plain.content


def test_trace_ids_after_a_reset_repeat_those_of_a_fresh_start(
    make_api: Callable[..., SpecClient],
) -> None:
    paths = [URL, "/v2/projects/p-zzzzzz/backups", URL + "&limit=-1", "/v2/nothing"]
    used, fresh = make_api(), make_api()
    for path in paths:
        used.get(path)
    assert used.control("POST", "reset").status_code == 200
    after_reset = [used.get(path).headers["x-traceid"] for path in paths]
    assert after_reset == [fresh.get(path).headers["x-traceid"] for path in paths]
