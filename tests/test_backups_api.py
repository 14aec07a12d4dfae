"""Backups: the order of checks, create, get, update (current and deprecated), delete, expiry.

Every answer goes through SpecClient, so each row is also checked against the official spec.
The table dataset's clock is frozen at 2026-01-30T12:00:00Z; time moves only when a test
advances it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import TABLE_PROJECT
from tests.support import SpecClient, backup_id, numbers

NOW = datetime(2026, 1, 30, 12, tzinfo=UTC)
LIST = "/v2/projects/p-tbl001/backups"
UNKNOWN_PROJECT = "/v2/projects/p-nope00/backups"
UNKNOWN = "/v2/project-backups/" + backup_id(404)
NO_ROUTE = {"type": "NotFound", "message": "The requested resource was not found."}
DENIED = {"type": "PermissionDenied", "message": "access denied; verdict: abstain"}


def at(days: float = 0, seconds: float = 0) -> str:
    """NOW plus an offset, as an RFC 3339 UTC time."""
    return (NOW + timedelta(days=days, seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def one(n: int | str) -> str:
    """The URL of one backup, by table number or id."""
    return f"/v2/project-backups/{backup_id(n) if isinstance(n, int) else n}"


def listed(api: SpecClient, query: str = "") -> list[dict[str, Any]]:
    """The table project's backups (oldestFirst unless asked otherwise)."""
    response = api.get(f"{LIST}?{query}")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()
    return items


def create(api: SpecClient, days: float = 30, **fields: Any) -> dict[str, Any]:
    """Create a backup expiring `days` from now; the 201's body."""
    response = api.post(LIST, json={"expirationTime": at(days), **fields})
    assert response.status_code == 201, response.json()
    created: dict[str, Any] = response.json()
    return created


def without_trace(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "params"}


def errors_of(response: Any) -> list[tuple[str, str]]:
    """(path, type) of every validation error item."""
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["type"] == "ValidationError"
    for item in body["validationErrors"]:
        assert set(item) == {"type", "message", "path", "context"}, item
    return [(item["path"], item["type"]) for item in body["validationErrors"]]


# --- the order of checks ---------------------------------------------------------------------

GOOD = {"expirationTime": "2026-03-01T00:00:00Z"}
BAD = {"expirationTime": "soon"}
NO_TOKEN: dict[str, str] = {}
TOKEN = {"x-access-token": "t"}


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "error_type"),
    [
        # No route: the gateway's 404, before any token is looked at.
        ("GET", "/v2/nothing-here", NO_TOKEN, None, 404, "NotFound"),
        ("POST", one(1) + "/unknown-action", NO_TOKEN, GOOD, 404, "NotFound"),
        # A route, but not this method: 405, still before the token.
        ("PUT", LIST, NO_TOKEN, GOOD, 405, "MethodNotAllowed"),
        ("POST", one(1), NO_TOKEN, GOOD, 405, "MethodNotAllowed"),
        # A bad Prefer header is refused before the token.
        ("POST", LIST, {"Prefer": "code=abc"}, BAD, 400, "ValidationError"),
        # A provoked answer comes before the token (Prism's convention) and the body.
        ("POST", LIST, {"Prefer": "code=503"}, BAD, 503, "ServiceUnavailable"),
        ("POST", LIST, {**TOKEN, "Prefer": "code=503"}, BAD, 503, "ServiceUnavailable"),
        # The token comes before the body.
        ("POST", LIST, NO_TOKEN, BAD, 401, "Unauthenticated"),
        ("POST", UNKNOWN_PROJECT, NO_TOKEN, BAD, 401, "Unauthenticated"),
        # The body and the query come before the resource.
        ("POST", UNKNOWN_PROJECT, TOKEN, BAD, 400, "ValidationError"),
        ("GET", UNKNOWN_PROJECT + "?limit=-1", TOKEN, None, 400, "ValidationError"),
        ("PATCH", UNKNOWN, TOKEN, BAD, 400, "ValidationError"),
        ("POST", UNKNOWN + "/export", TOKEN, {"format": "rar"}, 400, "ValidationError"),
        # The resource comes before the business rule.
        ("POST", UNKNOWN_PROJECT, TOKEN, GOOD, 403, "PermissionDenied"),
        ("DELETE", UNKNOWN, TOKEN, None, 403, "PermissionDenied"),
        ("POST", UNKNOWN + "/export", TOKEN, {"format": "tar"}, 403, "PermissionDenied"),
        # The body comes before the business rule (7 is InProgress: not exportable).
        ("POST", one(7) + "/export", TOKEN, {"format": "rar"}, 400, "ValidationError"),
        ("POST", one(7) + "/export", TOKEN, {"format": "tar"}, 412, "FailedPrecondition"),
        # Backup 6 is the newest Completed one: not deletable.
        ("DELETE", one(6), TOKEN, None, 412, "FailedPrecondition"),
    ],
)
def test_checks_run_in_the_real_apis_order(
    api: SpecClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: Any,
    status: int,
    error_type: str,
) -> None:
    response = api.request(method, path, headers=headers, json=body)
    assert response.status_code == status, response.json()
    assert response.json()["type"] == error_type


def test_a_path_without_route_gets_the_gateways_bare_404(api: SpecClient) -> None:
    response = api.get("/v2/nothing-here", headers={})
    assert response.status_code == 404
    assert response.json() == NO_ROUTE


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", LIST, {"GET", "HEAD", "POST"}),
        ("POST", one(1), {"GET", "HEAD", "PATCH", "DELETE"}),
        ("GET", one(1) + "/export", {"POST", "DELETE"}),
        ("GET", one(1) + "/restore", {"POST"}),
        ("PUT", "/v2/projects/p-tbl001", {"GET", "HEAD", "PATCH", "DELETE"}),
        ("PUT", "/v2/projects/p-tbl001/backup-schedules", {"GET", "HEAD", "POST"}),
        ("POST", "/v2/project-backup-schedules/x", {"GET", "HEAD", "PATCH", "DELETE"}),
        ("POST", one(1) + "/database-dumps", {"GET", "HEAD"}),
    ],
)
def test_a_method_not_served_gets_405_naming_the_allowed_ones(
    api: SpecClient, method: str, path: str, allowed: set[str]
) -> None:
    response = api.request(method, path, headers={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed


def test_rate_limit_comes_after_the_token_and_before_the_body(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(rate_limit=1)
    assert api.get(LIST).status_code == 200
    assert api.post(LIST, json=BAD, headers={}).status_code == 401
    assert api.post(LIST, json=BAD).status_code == 429


@pytest.mark.parametrize(
    ("setting", "status", "body"),
    [({}, 403, DENIED), ({"unknown_project": "not-found"}, 404, NO_ROUTE)],
)
def test_an_unknown_project_is_denied_or_not_found_as_configured(
    make_api: Callable[..., SpecClient],
    setting: dict[str, str],
    status: int,
    body: dict[str, str],
) -> None:
    api = make_api(**setting)
    response = api.post(UNKNOWN_PROJECT, json=GOOD)
    assert response.status_code == status
    assert without_trace(response.json()) == body


BACKUP_OPERATIONS = [
    ("GET", "", None),
    ("PATCH", "", {"description": "x"}),
    ("DELETE", "", None),
    ("PATCH", "/description", {"description": "x"}),
    ("PUT", "/expiration-time", {"expirationTime": "2026-03-01T00:00:00Z"}),
    ("POST", "/export", {"format": "tar"}),
    ("DELETE", "/export", None),
    ("POST", "/restore", {"pathRestore": {"sourcePaths": ["/html"]}}),
    ("POST", "/restore-path", {"sourcePath": "/html"}),
    ("GET", "/database-dumps", None),
    ("GET", "/path?directory=/html", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), BACKUP_OPERATIONS)
@pytest.mark.parametrize(
    ("setting", "status", "expected"),
    [({}, 403, DENIED), ({"unknown_id": "not-found"}, 404, NO_ROUTE)],
)
def test_an_unknown_backup_id_is_denied_or_not_found_as_configured(
    make_api: Callable[..., SpecClient],
    method: str,
    suffix: str,
    body: Any,
    setting: dict[str, str],
    status: int,
    expected: dict[str, str],
) -> None:
    api = make_api(**setting)
    response = api.request(method, UNKNOWN + suffix, json=body)
    assert response.status_code == status
    assert without_trace(response.json()) == expected


# --- create ----------------------------------------------------------------------------------


def test_a_created_backup_is_in_progress_requested_now_and_deletable_while_it_runs(
    api: SpecClient,
) -> None:
    created = create(api, description="before the update")
    assert created == {
        "deletable": True,
        "description": "before the update",
        "id": created["id"],
        "projectId": TABLE_PROJECT,
        "requestedAt": "2026-01-30T12:00:00.000Z",
        "status": "InProgress",
    }


def test_a_created_backup_without_description_has_no_description_field(
    api: SpecClient,
) -> None:
    assert "description" not in create(api)
    assert "description" not in create(api, description="")


@pytest.mark.parametrize("backup_seconds", [10, 3])
def test_a_created_backup_completes_after_backup_seconds(
    make_api: Callable[..., SpecClient], backup_seconds: int
) -> None:
    api = make_api(backup_seconds=backup_seconds)
    created = create(api, days=30)
    api.advance(backup_seconds - 1)
    assert api.get(one(created["id"])).json()["status"] == "InProgress"
    api.advance(1)
    done = api.get(one(created["id"])).json()
    assert done["status"] == "Completed"
    assert done["createdAt"] == at(seconds=backup_seconds)
    assert done["expiresAt"] == at(days=30)


@pytest.mark.parametrize("n", [7, 8])
def test_loaded_running_backups_complete_after_backup_seconds_from_loading(
    api: SpecClient, n: int
) -> None:
    api.advance(9)
    assert api.get(one(n)).json()["status"] in ("InProgress", "Pending")
    api.advance(1)
    done = api.get(one(n)).json()
    assert done["status"] == "Completed"
    assert done["createdAt"] == at(seconds=10)
    # No schedule names a retention for them: they are kept the default 30 days.
    assert done["expiresAt"] == at(days=30, seconds=10)


def test_a_backup_completes_exactly_backup_seconds_after_its_request(api: SpecClient) -> None:
    # Requested at .307: "ten seconds later" is ten seconds, not the next whole second.
    api.control("POST", "clock", json={"now": "2026-01-30T12:05:05.307Z"})
    created = create(api, days=30)
    api.control("POST", "clock", json={"now": "2026-01-30T12:05:15.306Z"})
    assert api.get(one(created["id"])).json()["status"] == "InProgress"
    api.control("POST", "clock", json={"now": "2026-01-30T12:05:15.307Z"})
    assert api.get(one(created["id"])).json()["status"] == "Completed"


def test_created_at_is_the_whole_second_it_completed_in_never_after(api: SpecClient) -> None:
    api.control("POST", "clock", json={"now": "2026-01-30T12:00:00.250Z"})
    created = create(api, days=30)
    assert created["requestedAt"] == "2026-01-30T12:00:00.250Z"
    api.advance(10)
    done = api.get(one(created["id"])).json()
    assert done["createdAt"] == "2026-01-30T12:00:10.000Z"


@pytest.mark.parametrize(
    ("given", "served"),
    [
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00.000Z"),
        # Whole seconds, as recorded: milliseconds sent are dropped.
        ("2026-03-01T10:00:00.5+02:00", "2026-03-01T08:00:00.000Z"),
        ("2026-03-01t10:00:19.123z", "2026-03-01T10:00:19.000Z"),
    ],
)
def test_expires_at_is_the_given_expiration_time_in_utc_in_whole_seconds(
    api: SpecClient, given: str, served: str
) -> None:
    response = api.post(LIST, json={"expirationTime": given})
    assert response.status_code == 201
    api.advance(10)
    assert api.get(one(response.json()["id"])).json()["expiresAt"] == served


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("expirationTime", "required")]),
        ({"description": "no expiry"}, [("expirationTime", "required")]),
        ({"expirationTime": 1767225600}, [("expirationTime", "type")]),
        ({"expirationTime": None}, [("expirationTime", "type")]),
        ({"expirationTime": "next week"}, [("expirationTime", "format")]),
        ({"expirationTime": "2026-03-01"}, [("expirationTime", "format")]),
        ({"expirationTime": "2026-03-01T00:00:00"}, [("expirationTime", "format")]),
        ({"expirationTime": at(days=6)}, [("expirationTime", "minimum")]),
        ({"expirationTime": at(days=7, seconds=-120)}, [("expirationTime", "minimum")]),
        ({"expirationTime": at(days=-1)}, [("expirationTime", "minimum")]),
        ({"expirationTime": at(days=366)}, [("expirationTime", "maximum")]),
        ({"expirationTime": at(30), "description": 5}, [("description", "type")]),
        ({"expirationTime": at(30), "description": "x" * 4097}, [("description", "maxLength")]),
        (
            {"expirationTime": 5, "description": 5},
            [("description", "type"), ("expirationTime", "type")],
        ),
        ([], [("", "type")]),
        ("2026-03-01T00:00:00Z", [("", "type")]),
        (None, [("", "required")]),
    ],
)
def test_create_validates_the_body(
    api: SpecClient, body: Any, errors: list[tuple[str, str]]
) -> None:
    response = api.post(LIST, json=body)
    assert sorted(errors_of(response)) == sorted(errors)
    assert len(listed(api)) == 8


@pytest.mark.parametrize(
    "expiration",
    [
        at(days=7),
        at(days=7, seconds=-30),  # a client's "7 days from now", computed a moment earlier
        at(days=365),
        at(days=90),
    ],
)
def test_create_accepts_expiration_from_seven_days_to_a_year(
    api: SpecClient, expiration: str
) -> None:
    assert api.post(LIST, json={"expirationTime": expiration}).status_code == 201


def test_a_bad_json_body_is_a_validation_error(api: SpecClient) -> None:
    response = api.post(
        LIST, content=b"{not json", headers={**TOKEN, "content-type": "application/json"}
    )
    assert errors_of(response) == [("", "json")]


@pytest.mark.parametrize(
    ("method", "path", "raw", "status", "errors"),
    [
        # Only an empty body is no body; PATCH's body is optional, POST's is required.
        ("PATCH", one(1), b"", 204, None),
        ("PATCH", one(1), b"null", 400, [("", "type")]),
        ("PATCH", one(1), b" \r\n", 400, [("", "json")]),
        ("PATCH", one(1), b"[]", 400, [("", "type")]),
        ("POST", LIST, b"", 400, [("", "required")]),
        ("POST", LIST, b"null", 400, [("", "type")]),
        ("POST", LIST, b"\t", 400, [("", "json")]),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    api: SpecClient,
    method: str,
    path: str,
    raw: bytes,
    status: int,
    errors: list[tuple[str, str]] | None,
) -> None:
    headers = {**TOKEN, "content-type": "application/json"}
    response = api.request(method, path, content=raw, headers=headers)
    assert response.status_code == status
    if errors is not None:
        assert errors_of(response) == errors


def test_the_expiration_window_moves_with_the_mock_clock(api: SpecClient) -> None:
    eight_days = at(days=8)
    api.advance(2 * 86_400)
    response = api.post(LIST, json={"expirationTime": eight_days})
    assert errors_of(response) == [("expirationTime", "minimum")]


def test_a_created_backup_is_listed_at_once_as_the_newest_and_kept_once_it_completes(
    api: SpecClient,
) -> None:
    before = {b["id"]: b["deletable"] for b in listed(api)}
    assert [k for k, v in before.items() if not v] == [backup_id(6)]
    created = create(api, description="Fresh Start")
    after = listed(api)
    assert [b["id"] for b in after] == [*before, created["id"]]
    assert after[-1] == created
    assert listed(api, "sortOrder=newestFirst")[0] == created
    # Running: deletable, and the newest Completed one (6) is still the one kept.
    assert {b["id"]: b["deletable"] for b in after} == {**before, created["id"]: True}
    api.advance(10)
    kept = [b["id"] for b in listed(api) if not b["deletable"]]
    assert kept == [created["id"]]


# Past 1,000 the old rule broke; those sizes run in CI's long run (MOCKAPI_BURST_SIZES).
BURSTS = [5, *(int(n) for n in os.environ.get("MOCKAPI_BURST_SIZES", "").split(",") if n)]


@pytest.mark.parametrize("count", BURSTS)
def test_backups_created_at_one_frozen_instant_are_newest_in_the_order_they_were_made(
    api: SpecClient, count: int
) -> None:
    made = [create(api, description=f"burst {n}")["id"] for n in range(count)]
    after = listed(api, "limit=5000")
    assert [b["id"] for b in after[-count:]] == made
    assert listed(api, "sortOrder=newestFirst&limit=1")[0]["id"] == made[-1]
    requested = [b["requestedAt"] for b in after[-count:]]
    assert requested == sorted(set(requested))  # strictly ordered
    assert requested[:2] == ["2026-01-30T12:00:00.000Z", "2026-01-30T12:00:00.001Z"]
    assert all(b["deletable"] for b in after[-count:])  # running
    assert api.delete(one(made[0])).status_code == 204
    api.advance(10)
    kept = [b["id"] for b in listed(api, "limit=5000") if not b["deletable"]]
    assert kept == [made[-1]]


def test_a_backup_created_on_a_scheduled_minute_is_the_newest(api: SpecClient) -> None:
    api.post("/v2/projects/p-tbl001/backup-schedules", json={"schedule": "0 13 * * *", "ttl": "7d"})
    api.advance(3600)
    scheduled = listed(api)[-1]
    assert scheduled["requestedAt"] == "2026-01-30T13:00:00.000Z"
    created = create(api)
    assert created["requestedAt"] == "2026-01-30T13:00:00.001Z"
    assert listed(api)[-1]["id"] == created["id"]
    assert api.delete(one(scheduled["id"])).status_code == 204


@pytest.mark.parametrize("term", ["fresh", "FRESH START", "START"])
def test_a_created_backup_is_found_by_search_at_once(api: SpecClient, term: str) -> None:
    create(api, description="other")
    listed(api, f"searchTerm={term}")  # a cached search must not hide the new backup
    created = create(api, description="Fresh Start")
    assert listed(api, f"searchTerm={term}") == [created]


def test_a_created_backup_is_found_by_its_id(api: SpecClient) -> None:
    created = create(api)
    assert listed(api, f"searchTerm={created['id']}") == [created]


def test_a_created_backup_is_listed_as_running(api: SpecClient) -> None:
    created = create(api)
    assert created["id"] in [b["id"] for b in listed(api, "runningBackupsOnly=true")]
    api.advance(10)
    assert created["id"] not in [b["id"] for b in listed(api, "runningBackupsOnly=true")]


# --- get ---------------------------------------------------------------------------------------


def test_get_answers_the_same_object_as_the_list(api: SpecClient) -> None:
    create(api, description="new")
    for item in listed(api):
        response = api.get(one(item["id"]))
        assert response.status_code == 200
        assert response.json() == item


def test_get_finds_a_backup_by_its_id_in_upper_case(api: SpecClient) -> None:
    created = create(api)
    assert created["id"].upper() != created["id"]
    response = api.get(one(created["id"].upper()))
    assert response.status_code == 200
    assert response.json() == api.get(one(created["id"])).json()


# --- update ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"description": "renamed"}, {"description": "renamed"}),
        ({"description": ""}, {}),
        ({}, {"description": "before plugin update"}),
        (None, {"description": "before plugin update"}),
        (
            {"expirationTime": "2026-05-01T00:00:00Z"},
            {"description": "before plugin update", "expiresAt": "2026-05-01T00:00:00.000Z"},
        ),
        (
            {"description": "both", "expirationTime": "2026-05-01T00:00:00.7Z"},
            {"description": "both", "expiresAt": "2026-05-01T00:00:00.000Z"},
        ),
        # Updates need only a future time (a week ahead is a create rule).
        (
            {"expirationTime": at(seconds=60)},
            {"description": "before plugin update", "expiresAt": at(seconds=60)},
        ),
        # Unknown fields are ignored, as the API does.
        ({"status": "Failed"}, {"description": "before plugin update"}),
    ],
)
def test_patch_changes_description_and_expiration(
    api: SpecClient, body: Any, expected: dict[str, str]
) -> None:
    before = api.get(one(1)).json()
    assert api.patch(one(1), json=body).status_code == 204
    after = api.get(one(1)).json()
    unchanged = {k: v for k, v in before.items() if k not in ("description", "expiresAt")}
    assert after == {**unchanged, **expected}
    assert "description" not in after or after["description"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"description": None}, [("description", "type")]),
        ({"description": 1}, [("description", "type")]),
        ({"expirationTime": "tomorrow"}, [("expirationTime", "format")]),
        ({"expirationTime": at(seconds=-1)}, [("expirationTime", "minimum")]),
        ({"expirationTime": at(days=366)}, [("expirationTime", "maximum")]),
        ([], [("", "type")]),
    ],
)
def test_patch_validates_the_body_and_changes_nothing(
    api: SpecClient, body: Any, errors: list[tuple[str, str]]
) -> None:
    before = api.get(one(1)).json()
    assert errors_of(api.patch(one(1), json=body)) == errors
    assert api.get(one(1)).json() == before


def test_a_changed_description_is_searchable_at_once(api: SpecClient) -> None:
    assert numbers(api.get(f"{LIST}?searchTerm=plugin")) == [1]
    assert api.patch(one(2), json={"description": "After PLUGIN rollback"}).status_code == 204
    assert numbers(api.get(f"{LIST}?searchTerm=plugin")) == [1, 2]
    assert api.patch(one(1), json={"description": ""}).status_code == 204
    assert numbers(api.get(f"{LIST}?searchTerm=plugin")) == [2]
    assert numbers(api.get(f"{LIST}?searchTerm=before")) == [5]


def test_patching_expiration_of_a_running_backup_applies_when_it_completes(
    api: SpecClient,
) -> None:
    created = create(api, days=30)
    assert api.patch(one(created["id"]), json={"expirationTime": at(days=40)}).status_code == 204
    assert "expiresAt" not in api.get(one(created["id"])).json()
    api.advance(10)
    assert api.get(one(created["id"])).json()["expiresAt"] == at(days=40)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"description": "renamed"}, "renamed"),
        ({"description": ""}, None),
        # Fields of other operations are not this operation's: ignored, never validated.
        ({"description": "kept", "expirationTime": "garbage"}, "kept"),
    ],
)
def test_deprecated_patch_description_sets_only_the_description(
    api: SpecClient, body: dict[str, Any], expected: str | None
) -> None:
    before = api.get(one(1)).json()
    assert api.patch(one(1) + "/description", json=body).status_code == 204
    after = api.get(one(1)).json()
    assert after.get("description") == expected
    assert after.get("expiresAt") == before.get("expiresAt")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"expirationTime": "2026-05-01T00:00:00Z"}, "2026-05-01T00:00:00.000Z"),
        ({"expirationTime": "2026-05-01T00:00:00Z", "description": 7}, "2026-05-01T00:00:00.000Z"),
    ],
)
def test_deprecated_put_expiration_time_sets_only_the_expiration(
    api: SpecClient, body: dict[str, Any], expected: str
) -> None:
    assert api.put(one(1) + "/expiration-time", json=body).status_code == 204
    after = api.get(one(1)).json()
    assert after["expiresAt"] == expected
    assert after["description"] == "before plugin update"


@pytest.mark.parametrize(
    ("suffix", "method", "body", "errors"),
    [
        ("/description", "PATCH", {"description": 1}, [("description", "type")]),
        ("/description", "PATCH", None, [("", "required")]),
        ("/expiration-time", "PUT", {"expirationTime": "x"}, [("expirationTime", "format")]),
        ("/expiration-time", "PUT", {"expirationTime": at(-1)}, [("expirationTime", "minimum")]),
        ("/expiration-time", "PUT", {"expirationTime": at(400)}, [("expirationTime", "maximum")]),
        ("/expiration-time", "PUT", None, [("", "required")]),
    ],
)
def test_deprecated_updates_validate_their_field(
    api: SpecClient, suffix: str, method: str, body: Any, errors: list[tuple[str, str]]
) -> None:
    assert errors_of(api.request(method, one(1) + suffix, json=body)) == errors


# --- delete ------------------------------------------------------------------------------------


def test_a_deleted_backup_is_gone_from_list_and_get(api: SpecClient) -> None:
    assert api.delete(one(1)).status_code == 204
    assert backup_id(1) not in [b["id"] for b in listed(api)]
    assert api.get(one(1)).status_code == 403
    assert api.delete(one(1)).status_code == 403


@pytest.mark.parametrize(
    ("n", "status", "answer"),
    [
        (6, "Completed", 412),  # the newest Completed one is kept
        (5, "Completed", 204),
        (4, "Failed", 204),
        (7, "InProgress", 204),  # newer and still running: deletable, as recorded
        (8, "Pending", 204),
    ],
)
def test_only_the_newest_completed_backup_is_kept(
    api: SpecClient, n: int, status: str, answer: int
) -> None:
    backup = api.get(one(n)).json()
    assert (backup["status"], backup["deletable"]) == (status, answer == 204)
    response = api.delete(one(n))
    assert response.status_code == answer
    if answer == 412:
        assert response.json()["type"] == "FailedPrecondition"
        assert backup_id(6) in [b["id"] for b in listed(api)]


def test_a_created_backup_is_deletable_while_it_runs_and_kept_once_completed(
    api: SpecClient,
) -> None:
    first = create(api)
    api.advance(10)
    assert api.delete(one(first["id"])).status_code == 412
    assert api.delete(one(6)).status_code == 204  # no longer the newest Completed one
    second = create(api)
    assert api.delete(one(first["id"])).status_code == 412  # second still runs
    api.advance(10)
    assert api.delete(one(first["id"])).status_code == 204
    assert api.delete(one(second["id"])).status_code == 412


def test_a_backup_loaded_as_not_deletable_stays_so_until_it_stops_being_the_newest(
    api: SpecClient,
) -> None:
    # Loaded flags are served as given: 22 is loaded not deletable and stays so.
    assert api.delete(one(22)).status_code == 412


# --- expiry ------------------------------------------------------------------------------------


def test_a_backup_disappears_when_its_expiry_passes(api: SpecClient) -> None:
    created = create(api, days=8)
    create(api, days=30)  # so the first is not the newest
    api.advance(8 * 86_400 - 1)
    assert api.get(one(created["id"])).status_code == 200
    api.advance(1)
    assert api.get(one(created["id"])).status_code == 403
    assert created["id"] not in [b["id"] for b in listed(api)]


def test_a_moved_expiry_decides_when_a_backup_disappears(api: SpecClient) -> None:
    api.put(one(1) + "/expiration-time", json={"expirationTime": at(days=2)})
    api.put(one(1) + "/expiration-time", json={"expirationTime": at(days=3)})
    api.advance(2 * 86_400)
    assert api.get(one(1)).status_code == 200
    api.advance(86_400)
    assert api.get(one(1)).status_code == 403


def test_loaded_backups_already_expired_stay_until_the_clock_passes_an_expiry(
    make_api: Callable[..., SpecClient],
) -> None:
    from mockapi.backups.dataset import combine
    from mockapi.data.fixtures import parse_document

    backups = [
        {
            "id": backup_id(n),
            "projectId": TABLE_PROJECT,
            "requestedAt": f"2026-01-0{n}T03:00:00.000Z",
            "createdAt": f"2026-01-0{n}T03:01:00.000Z",
            "expiresAt": expires,
            "status": "Completed",
            "deletable": n == 1,
        }
        for n, expires in ((1, "2026-01-10T00:00:00.000Z"), (2, "2026-01-31T00:00:00.000Z"))
    ]
    dataset, problems = parse_document(
        "expired", {"projects": [{"id": TABLE_PROJECT, "shortId": "p-tbl001"}], "backups": backups}
    )
    assert problems == []
    api = make_api(combine([dataset]))
    assert [b["id"] for b in listed(api)] == [backup_id(1), backup_id(2)]
    api.advance(12 * 3600)
    assert [b["id"] for b in listed(api)][:1] == [backup_id(1)]
    assert backup_id(2) not in [b["id"] for b in listed(api)]


def _serve(api: SpecClient, backups: list[dict[str, Any]], **document: Any) -> None:
    """Serve exactly these table-project backups (through the control API)."""
    project = {"id": TABLE_PROJECT, "shortId": "p-tbl001"}
    body = {"projects": [project], "backups": backups, **document}
    assert api.client.put("/_mockapi/data", json=body).status_code == 200


def _loaded(n: int, requested: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": backup_id(n),
        "projectId": TABLE_PROJECT,
        "requestedAt": requested,
        "status": "Completed",
        "deletable": True,
        **fields,
    }


@pytest.mark.parametrize(
    ("expiring", "kept"),
    [
        (3, 2),
        (70, 2),  # more than are taken out one by one
        (3, 0),  # the project is left without backups
        (70, 0),
    ],
)
def test_backups_expiring_together_leave_exactly_the_others(
    api: SpecClient, expiring: int, kept: int
) -> None:
    gone = [
        _loaded(n, "2026-01-10T03:00:00.000Z", expiresAt=at(seconds=1800))
        for n in range(1, expiring + 1)
    ]
    staying = [_loaded(100 + n, f"2026-01-2{n}T03:00:00.000Z") for n in range(kept)]
    _serve(api, gone + staying)
    api.advance(3600)
    assert [b["id"] for b in listed(api)] == [b["id"] for b in staying]


def test_when_the_newest_backup_expires_the_next_newest_is_kept(api: SpecClient) -> None:
    older = _loaded(1, "2026-01-20T03:00:00.000Z")
    newest = _loaded(2, "2026-01-21T03:00:00.000Z", deletable=False, expiresAt=at(seconds=1800))
    _serve(api, [older, newest])
    api.advance(3600)
    assert [(b["id"], b["deletable"]) for b in listed(api)] == [(backup_id(1), False)]
    assert api.delete(one(1)).status_code == 412


@pytest.mark.parametrize(
    ("ahead_ms", "requested"),
    [
        (0, at(seconds=0.001)),
        (999, at(seconds=1)),
        # Data dated a second or more ahead is not overtaken: the new backup is requested now.
        (1000, at()),
        (60_000, at()),
    ],
)
def test_a_created_backup_overtakes_only_a_newest_backup_less_than_a_second_ahead(
    api: SpecClient, ahead_ms: int, requested: str
) -> None:
    _serve(api, [_loaded(1, at(seconds=ahead_ms / 1000), deletable=False)])
    created = create(api)
    assert created["requestedAt"] == requested
    ahead = ahead_ms >= 1000
    expected = [created["id"], backup_id(1)] if ahead else [backup_id(1), created["id"]]
    assert [b["id"] for b in listed(api)] == expected


def test_backups_created_after_a_newest_backup_just_under_a_second_ahead_stay_in_order(
    api: SpecClient,
) -> None:
    # The newest is 999 ms ahead: the first created goes a millisecond after it, and each
    # next one after the last created, though that lies a second or more ahead of now.
    _serve(api, [_loaded(1, at(seconds=0.999), deletable=False)])
    made = [create(api)["id"] for _ in range(3)]
    after = listed(api)
    assert [b["id"] for b in after] == [backup_id(1), *made]
    assert [b["requestedAt"] for b in after[1:]] == [
        "2026-01-30T12:00:01.000Z",
        "2026-01-30T12:00:01.001Z",
        "2026-01-30T12:00:01.002Z",
    ]


def test_answers_are_compact_json(api: SpecClient) -> None:
    for response in (api.get(LIST), api.get(one(1))):
        assert b"\n" not in response.content
        assert b'": ' not in response.content


@pytest.mark.parametrize("change", ["nothing", "a patched expiry", "completed backups"])
def test_a_term_in_no_id_and_no_description_finds_nothing(api: SpecClient, change: str) -> None:
    if change == "a patched expiry":
        assert api.patch(one(2), json={"expirationTime": at(days=40)}).status_code == 204
    elif change == "completed backups":
        api.advance(3600)
    assert numbers(api.get(f"{LIST}?searchTerm=x")) == []


@pytest.mark.parametrize(
    ("suffix", "body"), [("", {"description": ""}), ("/description", {"description": ""})]
)
def test_clearing_a_description_that_is_not_there_changes_nothing(
    api: SpecClient, suffix: str, body: dict[str, Any]
) -> None:
    before = api.get(one(2)).json()
    assert "description" not in before
    assert api.patch(one(2) + suffix, json=body).status_code == 204
    assert api.get(one(2)).json() == before


# --- business rules say which rule refused -----------------------------------------------------

SYSTEM = "/v2/project-backup-schedules/{system}"
A_PATH = {"pathRestore": {"sourcePaths": ["/html/"]}}
REFUSED = {
    "delete the newest": ("DELETE", one(6), None),
    "export a Failed": ("POST", one(4) + "/export", {"format": "tar"}),
    "export again": ("POST", one(3) + "/export", {"format": "tar"}),
    "delete no export": ("DELETE", one(2) + "/export", None),
    "restore a Failed": ("POST", one(4) + "/restore", A_PATH),
    "restore again": ("POST", one(3) + "/restore", A_PATH),
    "delete the system schedule": ("DELETE", SYSTEM, None),
    "describe the system schedule": ("PATCH", SYSTEM, {"description": "mine"}),
}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        (
            "delete the newest",
            412,
            "backup is not deletable: the newest Completed backup of a project is kept",
        ),
        ("export a Failed", 412, "backup is Failed: only a Completed backup can be exported"),
        ("export again", 412, "an export of this backup is already running"),
        ("delete no export", 404, "this backup has no export"),
        ("restore a Failed", 412, "backup is Failed: only a Completed backup can be restored"),
        ("restore again", 412, "a restore of this backup is already running"),
        ("delete the system schedule", 412, "the system backup schedule cannot be deleted"),
        (
            "describe the system schedule",
            412,
            "the description of a system backup schedule cannot be changed",
        ),
    ],
)
def test_a_refusal_names_the_rule_that_refused(
    api: SpecClient, change: str, status: int, message: str
) -> None:
    method, path, body = REFUSED[change]
    (system,) = api.get("/v2/projects/p-tbl001/backup-schedules").json()
    response = api.request(method, path.format(system=system["id"]), json=body)
    assert response.status_code == status
    assert without_trace(response.json()) == {
        "type": "FailedPrecondition" if status == 412 else "NotFound",
        "message": message,
    }


def test_a_system_schedule_takes_its_own_description_unchanged(api: SpecClient) -> None:
    schedule = {
        "id": backup_id(500),
        "projectId": TABLE_PROJECT,
        "isSystemBackup": True,
        "schedule": "14 3 * * *",
        "ttl": "30d",
        "description": "nightly",
    }
    _serve(api, [], schedules=[schedule])
    changed = {"description": "nightly", "schedule": "20 3 * * *"}
    assert api.patch(SYSTEM.format(system=backup_id(500)), json=changed).status_code == 204
    found = api.get(SYSTEM.format(system=backup_id(500))).json()
    assert (found["description"], found["schedule"]) == ("nightly", "20 3 * * *")


def test_a_loaded_running_backup_dated_ahead_completes_backup_seconds_after_its_request(
    api: SpecClient,
) -> None:
    _serve(api, [_loaded(1, at(seconds=60), status="InProgress", deletable=False)])
    api.advance(69)
    assert api.get(one(1)).json()["status"] == "InProgress"
    api.advance(1)
    done = api.get(one(1)).json()
    assert (done["status"], done["createdAt"]) == ("Completed", at(seconds=70))


@pytest.mark.parametrize("expires", [at(), at(days=-1)])
def test_a_loaded_backup_whose_expiry_was_reached_at_loading_stays(
    api: SpecClient, expires: str
) -> None:
    _serve(api, [_loaded(1, "2026-01-20T03:00:00.000Z", expiresAt=expires), _loaded(2, at())])
    api.advance(86_400)
    assert api.get(one(1)).status_code == 200


@pytest.mark.parametrize(("term", "found"), [("nightly", 35), ("NIGHTLY RUN", 35), ("x", 0)])
def test_search_in_a_project_loaded_with_many_backups(
    api: SpecClient, term: str, found: int
) -> None:
    described = {"description": "Nightly run"}
    backups = [
        _loaded(n, f"2026-01-{1 + n % 28:02d}T03:00:00.000Z", **(described if n % 2 else {}))
        for n in range(1, 71)
    ]
    _serve(api, backups)
    assert len(api.get(LIST, params={"searchTerm": term}).json()) == found
