"""Stubs (a given answer ahead of the model) and the journal by operation (issue 20, parts 2
and 3): over the control API, and through the pytest handle as a user meets it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from mockapi import MockServer, Settings
from tests.support import SpecClient, check_answer

TOKEN = {"x-access-token": "t"}
LIST = "/v2/projects/p-tbl001/backups"
BACKUP = "/v2/project-backups/00000000-0000-4000-8000-000000000001"


def stub(api: SpecClient, **fields: Any) -> Any:
    return api.control("POST", "stubs", json=fields)


# --- stubs -----------------------------------------------------------------------------------


def test_a_stub_answers_before_the_model_and_the_journal_marks_it(api: SpecClient) -> None:
    made = stub(
        api,
        request={"method": "GET", "path": LIST},
        response={"status": 200, "body": [], "headers": {"X-Pagination-TotalCount": "0"}},
    )
    assert made.status_code == 201
    answer = api.get(LIST)
    assert (answer.status_code, answer.json()) == (200, [])
    assert answer.headers["x-pagination-totalcount"] == "0"
    entry = api.control("GET", "journal").json()["entries"][-1]
    assert entry["stubbed"] is True
    assert entry["operationId"] == "backup-list-project-backups"


@pytest.mark.parametrize(
    ("request_", "url", "headers", "answered"),
    [
        ({"path": "/v2/project-backups/{id}"}, BACKUP, TOKEN, True),
        ({"path": "/v2/project-backups/{id}", "method": "DELETE"}, BACKUP, TOKEN, False),
        ({"path": LIST, "query": {"limit": "5"}}, LIST + "?limit=5&page=2", TOKEN, True),
        ({"path": LIST, "query": {"limit": "5"}}, LIST + "?limit=6", TOKEN, False),
        ({"path": LIST, "headers": {"X-Client": "cli"}}, LIST, {**TOKEN, "x-client": "cli"}, True),
        ({"path": LIST, "headers": {"X-Client": "cli"}}, LIST, TOKEN, False),
        ({"path": "/v2/nothing-here"}, "/v2/nothing-here", {}, True),
    ],
)
def test_a_stub_matches_method_path_template_query_and_headers(
    api: SpecClient,
    request_: dict[str, Any],
    url: str,
    headers: dict[str, str],
    answered: bool,
) -> None:
    stub(api, request=request_, response={"status": 418})
    # A stub's answer is the stub's, not the document's: not held against the spec.
    assert (api.client.get(url, headers=headers).status_code == 418) is answered


def test_times_counts_the_answers_then_the_model_answers_again(api: SpecClient) -> None:
    stub(api, request={"method": "GET", "path": LIST}, response={"status": 503}, times=2)
    assert [api.get(LIST).status_code for _ in range(3)] == [503, 503, 200]
    assert api.control("GET", "stubs").json() == []


def test_an_error_status_without_a_body_gets_the_api_dialect_with_its_trace_id(
    api: SpecClient,
) -> None:
    stub(api, request={"path": BACKUP}, response={"status": 403})
    answer = api.get(BACKUP)
    assert answer.status_code == 403
    assert answer.json() == {
        "params": {"traceId": answer.headers["x-traceid"]},
        "message": "access denied; verdict: abstain",
        "type": "PermissionDenied",
    }


def test_stubs_answer_first_added_first(api: SpecClient) -> None:
    stub(api, request={"path": "/v2/project-backups/{id}"}, response={"status": 410})
    stub(api, request={"path": BACKUP}, response={"status": 418})
    assert api.get(BACKUP).status_code == 410


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"request": {"path": LIST}, "reply": {}}, "reply"),
        ({"request": {"path": LIST}, "response": {"status": 700}}, "response.status"),
        ({"request": {"path": LIST}, "response": {"status": "503"}}, "response.status"),
        ({"request": {"path": "/_mockapi/reset"}}, "request.path"),
        ({"request": {"path": "https://api.mittwald.de/v2/x"}}, "request.path"),
        ({"request": {"path": LIST, "method": "BREW"}}, "request.method"),
        ({"request": {"path": LIST}, "times": 0}, "times"),
        ({"response": {"status": 200}}, "request"),
    ],
)
def test_a_bad_stub_is_a_400_naming_the_field(
    api: SpecClient, body: dict[str, Any], named: str
) -> None:
    answer = api.control("POST", "stubs", json=body)
    assert answer.status_code == 400, answer.text
    assert named in {e["path"] for e in answer.json()["validationErrors"]}


def test_stubs_are_listed_deleted_one_by_one_or_all_and_reset_clears_them(
    api: SpecClient,
) -> None:
    first = stub(api, request={"path": LIST}, response={"status": 418}).json()["id"]
    stub(api, request={"path": BACKUP}, response={"status": 418})
    listed = api.control("GET", "stubs").json()
    assert [s["id"] for s in listed] == [first, first + 1]
    assert listed[0]["request"]["path"] == LIST and listed[0]["matched"] == 0
    assert api.control("DELETE", f"stubs/{first}").status_code == 204
    assert api.control("DELETE", f"stubs/{first}").status_code == 404
    assert api.get(LIST).status_code == 200
    assert api.control("DELETE", "stubs").status_code == 204
    assert api.get(BACKUP).status_code == 200
    stub(api, request={"path": LIST}, response={"status": 418})
    api.control("POST", "reset")
    assert api.get(LIST).status_code == 200


def test_stubs_are_capped(make_api: Callable[..., SpecClient]) -> None:
    api = make_api()
    for _ in range(1000):
        assert stub(api, request={"path": LIST}).status_code == 201
    refused = stub(api, request={"path": LIST})
    assert refused.status_code == 400
    assert "at most 1000 stubs" in refused.json()["message"]


# --- the journal by operation ----------------------------------------------------------------


def test_every_journal_entry_names_its_operation(api: SpecClient) -> None:
    api.get(LIST)
    api.get(BACKUP)
    api.get("/v2/nothing")
    entries = api.control("GET", "journal").json()["entries"]
    assert [e.get("operationId") for e in entries] == [
        "backup-list-project-backups",
        "backup-get-project-backup",
        None,
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("operationId=backup-get-project-backup", [BACKUP]),
        ("method=delete", [BACKUP]),
        ("status=404", ["/v2/nothing"]),
        ("path=/v2/project-backups/{id}", [BACKUP, BACKUP]),
        ("path=" + LIST, [LIST]),
        ("method=GET&status=200", [LIST, BACKUP]),
    ],
)
def test_the_journal_filters_by_operation_method_path_and_status(
    api: SpecClient, query: str, expected: list[str]
) -> None:
    api.get(LIST)
    api.get(BACKUP)
    api.request("DELETE", BACKUP)
    api.get("/v2/nothing")
    entries = api.control("GET", f"journal?{query}").json()["entries"]
    assert [e["path"] for e in entries] == expected


def test_a_bad_journal_filter_is_a_400_naming_it(api: SpecClient) -> None:
    answer = api.control("GET", "journal?status=abc")
    assert answer.status_code == 400
    assert [e["path"] for e in answer.json()["validationErrors"]] == ["status"]


# --- the pytest handle -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(Settings()) as running:
        yield running


def get(server: MockServer, method: str, path: str, body: Any = None) -> httpx2.Response:
    url = server.url_for(path)
    response = httpx2.request(method, url, headers=TOKEN, json=body)
    check_answer(method, url, response.status_code, response.headers, response.content)
    return response


def test_the_handle_stubs_a_once_seen_403_on_deleting_a_schedule(server: MockServer) -> None:
    server.reset()
    schedules = get(server, "GET", "/v2/projects/p-kbuygq/backup-schedules").json()
    user = next(s for s in schedules if not s["isSystemBackup"])
    path = "/v2/project-backup-schedules/{id}"
    server.add_stub(path, "DELETE", 403, times=1)
    assert get(server, "DELETE", f"/v2/project-backup-schedules/{user['id']}").status_code == 403
    assert get(server, "DELETE", f"/v2/project-backup-schedules/{user['id']}").status_code == 204
    server.add_stub("/v2/projects/p-kbuygq", body={"note": "stubbed"})
    stubbed = httpx2.get(server.url_for("/v2/projects/p-kbuygq"), headers=TOKEN)  # the stub's
    assert stubbed.json() == {"note": "stubbed"}
    server.clear_stubs()
    assert "shortId" in get(server, "GET", "/v2/projects/p-kbuygq").json()


def test_the_handle_finds_requests_and_asserts_calls(server: MockServer) -> None:
    server.reset()
    get(
        server,
        "POST",
        "/v2/projects/p-kbuygq/backups",
        {"description": "nightly import", "expirationTime": "2026-03-01T00:00:00Z"},
    )
    get(server, "GET", "/v2/projects/p-kbuygq/backups")
    created = server.requests(operation_id="backup-create-project-backup")
    assert [(r["method"], r["status"]) for r in created] == [("POST", 201)]
    assert len(server.requests(method="GET", status=200)) == 1
    server.assert_called("backup-create-project-backup", times=1)
    server.assert_called(
        "backup-create-project-backup", body_contains={"description": "nightly import"}
    )
    server.assert_called("backup-create-project-backup", body_contains="nightly")


def test_a_failed_assertion_lists_what_was_called_nearest_first(server: MockServer) -> None:
    server.reset()
    get(server, "GET", "/v2/projects/p-kbuygq/backups")
    get(server, "GET", "/v2/projects/p-kbuygq")
    with pytest.raises(AssertionError) as failed:
        server.assert_called("backup-list-project-backup-schedules")
    message = str(failed.value)
    assert "called 0 time(s)" in message
    lines = message.splitlines()
    assert lines[1] == "called, nearest first:"
    assert lines[2].startswith("  backup-list-project-backups x1 (last: GET ")
    assert lines[3].startswith("  project-get-project x1")
    with pytest.raises(AssertionError, match="2 time"):
        server.assert_called("backup-list-project-backups", times=2)
