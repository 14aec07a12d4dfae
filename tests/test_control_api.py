"""The control API: reset, data at runtime, journal, switches and guards, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import TABLE_DOCUMENT, TABLE_PROJECT
from tests.support import TOKEN, SpecClient, numbers

NEW_BACKUP = {
    "id": "aaaaaaaa-0000-4000-8000-000000000001",
    "projectId": "bbbbbbbb-0000-4000-8000-000000000001",
    "requestedAt": "2026-01-01T03:00:00.000Z",
    "status": "Completed",
    "deletable": False,
}
NEW_PROJECT_URL = "/v2/projects/bbbbbbbb-0000-4000-8000-000000000001/backups"


def test_replace_then_reset(api: SpecClient) -> None:
    replaced = api.client.put("/_mockapi/data", json=[NEW_BACKUP])
    assert replaced.status_code == 200
    assert replaced.json() == {"projects": 1, "backups": 1, "schedules": 1}
    assert api.get("/v2/projects/p-tbl001/backups").status_code == 403
    assert [b["id"] for b in api.get(NEW_PROJECT_URL).json()] == [NEW_BACKUP["id"]]
    assert api.client.post("/_mockapi/reset").json() == {
        "projects": 3,
        "backups": 10,
        "schedules": 3,
    }
    assert numbers(api.get("/v2/projects/p-tbl001/backups?limit=2")) == [1, 2]
    assert api.get(NEW_PROJECT_URL).status_code == 403


def test_add_keeps_what_is_there(api: SpecClient) -> None:
    added = api.client.post("/_mockapi/data", json=[NEW_BACKUP])
    assert added.json() == {"projects": 4, "backups": 11, "schedules": 4}
    assert len(api.get(NEW_PROJECT_URL).json()) == 1
    assert len(api.get("/v2/projects/p-tbl001/backups").json()) == 8
    assert api.get("/v2/projects/p-tbl001/backups").json()[0]["createdAt"].endswith(".000Z")


def test_richer_document_names_short_ids(api: SpecClient) -> None:
    document = {
        "projects": [{"id": NEW_BACKUP["projectId"], "shortId": "p-new001"}],
        "backups": [NEW_BACKUP],
    }
    assert api.client.put("/_mockapi/data", json=document).status_code == 200
    assert len(api.get("/v2/projects/p-new001/backups").json()) == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ([{**NEW_BACKUP, "status": None}], "'status' is null"),
        ([{**NEW_BACKUP, "deletable": "no"}], "'deletable'"),
        ([NEW_BACKUP, NEW_BACKUP], "duplicate backup id"),
        ({"backups": [], "schedules": [{"id": 1}]}, "schedule item 0"),
        ({"nope": 1}, "expected a JSON array"),
    ],
)
def test_rejected_load_changes_nothing(api: SpecClient, body: object, fragment: str) -> None:
    before = api.client.get("/_mockapi/data").json()
    response = api.client.put("/_mockapi/data", json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["type"] == "ValidationError"
    assert any(fragment in e["message"] for e in payload["validationErrors"]), payload
    assert api.client.get("/_mockapi/data").json() == before


def test_adding_an_existing_id_is_rejected(api: SpecClient) -> None:
    existing = TABLE_DOCUMENT["backups"][0]
    response = api.client.post("/_mockapi/data", json=[existing])
    assert response.status_code == 400
    assert "duplicate id, already served" in response.text
    assert len(api.get("/v2/projects/p-tbl001/backups").json()) == 8


def test_broken_json_body_is_a_400(api: SpecClient) -> None:
    response = api.client.put(
        "/_mockapi/data", content=b"[{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "Invalid JSON" in response.json()["validationErrors"][0]["message"]


def test_oversized_body_is_a_413(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(max_body_bytes=100)
    response = api.client.put("/_mockapi/data", content=json.dumps([NEW_BACKUP]).encode())
    assert response.status_code == 413
    assert response.json()["type"] == "PayloadTooLarge"
    assert "100 bytes" in response.json()["message"]


def test_generate_and_default_dataset(api: SpecClient) -> None:
    generated = api.client.post(
        "/_mockapi/generate", json={"seed": 5, "projects": 2, "backupsPerProject": 12}
    )
    assert generated.json()["backups"] == 24
    short = api.client.get("/_mockapi/projects").json()[0]["shortId"]
    assert len(api.get(f"/v2/projects/{short}/backups").json()) == 12
    assert api.client.post("/_mockapi/default-dataset").json() == {
        "projects": 3,
        "backups": 25,
        "schedules": 4,
    }
    assert api.get("/v2/projects/p-kbuygq/backups").status_code == 200


def test_data_round_trips(api: SpecClient) -> None:
    document = api.client.get("/_mockapi/data").json()
    assert api.client.put("/_mockapi/data", json=document).status_code == 200
    assert api.client.get("/_mockapi/data").json() == document


def test_journal_records_requests_without_tokens(api: SpecClient) -> None:
    api.get("/v2/projects/p-tbl001/backups?limit=2", headers={"x-access-token": "s3cret"})
    api.get("/v2/projects/p-tbl001/backups?limit=-1", headers={"Authorization": "Bearer s3cret"})
    api.get("/v2/nowhere")
    journal = api.client.get("/_mockapi/journal")
    entries = journal.json()["entries"]
    assert [(e["method"], e["path"], e["query"], e["status"]) for e in entries] == [
        ("GET", "/v2/projects/p-tbl001/backups", "limit=2", 200),
        ("GET", "/v2/projects/p-tbl001/backups", "limit=-1", 400),
        ("GET", "/v2/nowhere", "", 404),
    ]
    assert all(e["time"].endswith("Z") for e in entries)
    assert "s3cret" not in journal.text
    assert api.client.delete("/_mockapi/journal").status_code == 204
    assert api.client.get("/_mockapi/journal").json()["entries"] == []


def test_journal_keeps_long_queries_short(api: SpecClient) -> None:
    api.get("/v2/projects/p-tbl001/backups?searchTerm=" + "x" * 5000)
    [entry] = api.client.get("/_mockapi/journal").json()["entries"]
    assert len(entry["query"]) < 2100 and entry["query"].endswith("...")


def test_journal_is_bounded_oldest_dropped(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(journal_size=3)
    for limit in range(1, 6):
        api.get(f"/v2/projects/p-tbl001/backups?limit={limit}")
    journal = api.client.get("/_mockapi/journal").json()
    assert [e["query"] for e in journal["entries"]] == ["limit=3", "limit=4", "limit=5"]
    assert journal["dropped"] == 2
    assert api.client.delete("/_mockapi/journal").status_code == 204
    assert api.client.get("/_mockapi/journal").json() == {"entries": [], "dropped": 0}


def test_control_api_can_be_switched_off(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(control_api=False)
    assert api.client.post("/_mockapi/reset").status_code == 404
    assert api.client.get("/_mockapi/journal").status_code == 404
    assert api.client.get("/_mockapi/health").status_code == 200
    assert "/_mockapi/reset" not in api.client.get("/openapi.json").json()["paths"]


def test_control_api_can_require_its_own_token(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(control_token="ctl")
    denied = api.client.post("/_mockapi/reset")
    assert denied.status_code == 403
    assert denied.json()["type"] == "PermissionDenied"
    assert "ctl" not in denied.text
    allowed = api.client.post("/_mockapi/reset", headers={"x-mockapi-control-token": "ctl"})
    assert allowed.status_code == 200


def test_runtime_changes_are_refused_with_several_workers(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(workers=2, clock="running")
    for method, path, body in [
        ("PUT", "/_mockapi/data", [NEW_BACKUP]),
        ("POST", "/_mockapi/reset", None),
        ("POST", "/_mockapi/faults", {"status": 503}),
        ("GET", "/_mockapi/journal", None),
        ("PUT", "/_mockapi/rate-limit", {"limit": 5}),
    ]:
        response = api.client.request(method, path, json=body)
        assert response.status_code == 409, (method, path)
        assert "--workers 2" in response.json()["message"]
    assert api.client.get("/_mockapi/projects").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/_mockapi/generate", {"seed": "x"}),
        ("POST", "/_mockapi/faults", {"status": 302}),
        ("PUT", "/_mockapi/rate-limit", {"limit": -1}),
    ],
)
def test_invalid_control_input_gets_the_api_error_shape(
    api: SpecClient, method: str, path: str, body: object
) -> None:
    response = api.client.request(method, path, json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["type"] == "ValidationError"
    assert payload["validationErrors"] and "detail" not in payload


# --- adding data beside what is served ---------------------------------------------------------

ADDED_PROJECT = "cccccccc-0000-4000-8000-000000000001"
ADDED_SCHEDULE = {
    "id": "cccccccc-5555-4000-8000-000000000001",
    "projectId": TABLE_PROJECT,
    "isSystemBackup": False,
    "schedule": "0 5 * * *",
    "ttl": "7d",
}


@pytest.mark.parametrize(
    ("document", "served"),
    [
        # A project with nothing else is served, empty.
        (
            {"projects": [{"id": ADDED_PROJECT, "shortId": "p-add001"}], "backups": []},
            "/v2/projects/p-add001",
        ),
        (
            {"backups": [], "schedules": [ADDED_SCHEDULE]},
            f"/v2/project-backup-schedules/{ADDED_SCHEDULE['id']}",
        ),
    ],
)
def test_what_is_added_is_served(api: SpecClient, document: dict[str, Any], served: str) -> None:
    assert api.client.post("/_mockapi/data", json=document).status_code == 200
    assert api.get(served).status_code == 200
    assert len(api.get("/v2/projects/p-tbl001/backups").json()) == 8


def _system_schedule(api: SpecClient) -> dict[str, Any]:
    (schedule,) = api.get("/v2/projects/p-tbl001/backup-schedules").json()
    found: dict[str, Any] = schedule
    return found


@pytest.mark.parametrize(
    ("addition", "fragment"),
    [
        ("a served schedule id", "duplicate id, already served"),
        ("a served short id", "short id p-tbl001 names both project"),
    ],
)
def test_adding_what_clashes_with_served_data_is_refused(
    api: SpecClient, addition: str, fragment: str
) -> None:
    if addition == "a served schedule id":
        document: dict[str, Any] = {"backups": [], "schedules": [_system_schedule(api)]}
    else:
        document = {"projects": [{"id": ADDED_PROJECT, "shortId": "p-tbl001"}], "backups": []}
    before = api.client.get("/_mockapi/data").json()
    response = api.client.post("/_mockapi/data", json=document)
    assert response.status_code == 400
    assert fragment in response.text
    assert api.client.get("/_mockapi/data").json() == before


def test_a_scheduled_backup_never_takes_an_id_already_served(api: SpecClient) -> None:
    api.advance(86_400)  # the system schedule makes one backup
    made = [b for b in api.get("/v2/projects/p-tbl001/backups").json() if "parentId" in b]
    assert len(made) == 1
    api.client.post("/_mockapi/reset")
    # The same backup, served before the run that made it comes round again.
    assert api.client.post("/_mockapi/data", json=made).status_code == 200
    api.advance(86_400)
    ids = [b["id"] for b in api.get("/v2/projects/p-tbl001/backups").json()]
    assert len(ids) == 10
    assert len(set(ids)) == 10


def test_one_long_clock_jump_and_many_short_ones_serve_the_same_backups(
    make_api: Callable[..., SpecClient],
) -> None:
    at_once, day_by_day = make_api(), make_api()
    at_once.advance(40 * 86_400)
    for _ in range(40):
        day_by_day.advance(86_400)
    url = "/v2/projects/p-tbl001/backups"
    assert at_once.get(url).json() == day_by_day.get(url).json()


def test_a_backup_served_again_after_its_deletion_is_not_changed_by_plans_for_the_old_one(
    api: SpecClient,
) -> None:
    # Backup 1's export was to expire on 2026-02-01; served again, its export has no expiry.
    first = TABLE_DOCUMENT["backups"][0]
    assert api.delete(f"/v2/project-backups/{first['id']}").status_code == 204
    export = {k: v for k, v in first["export"].items() if k != "expiresAt"}
    assert api.client.post("/_mockapi/data", json=[{**first, "export": export}]).status_code == 200
    api.advance(3 * 86_400)
    assert api.get(f"/v2/project-backups/{first['id']}").json()["export"] == export


def test_the_data_document_holds_every_backup_exactly_once(api: SpecClient) -> None:
    generated = {"seed": 1, "projects": 1, "backupsPerProject": 4001}
    assert api.client.post("/_mockapi/generate", json=generated).status_code == 200
    ids = [b["id"] for b in api.client.get("/_mockapi/data").json()["backups"]]
    assert len(ids) == 4001
    assert len(set(ids)) == 4001


EXPORT_2 = "/v2/project-backups/00000000-0000-4000-8000-000000000002/export"
LONG_SECRET = "é" * 2100  # 4,200 bytes of UTF-8: past the journal's 4,096


@pytest.mark.parametrize(
    ("content", "secret"),
    [
        # A valid export request with a long password.
        (json.dumps({"format": "zip", "password": LONG_SECRET}, ensure_ascii=False), LONG_SECRET),
        # Pretty-printed past 4 kB, the password after the cut.
        (
            json.dumps({"format": "zip", "pad": "x" * 5000, "password": "hunter2"}, indent=2),
            "hunter2",
        ),
        # Bodies that are not JSON: secret-looking values are masked in their text.
        ('{"format": "zip", "password": "hunter2",}', "hunter2"),
        ('{"format": "zip", "password": "hunter2', "hunter2"),
        ("password=hunter2&format=zip", "hunter2"),
        ("{'Secret': 'hunter2'}", "hunter2"),
        # Not even UTF-8.
        (b"\xff\xfe password=hunter2", "hunter2"),
    ],
)
def test_no_password_reaches_the_journal_however_long_or_malformed_the_body(
    api: SpecClient, content: str | bytes, secret: str
) -> None:
    headers = {**TOKEN, "content-type": "application/json"}
    raw = content if isinstance(content, bytes) else content.encode()
    api.post(EXPORT_2, content=raw, headers=headers)
    [entry] = api.client.get("/_mockapi/journal").json()["entries"]
    assert "body" in entry
    text = json.dumps(entry, ensure_ascii=False)
    assert secret not in text
    assert "hunter" not in text and "éé" not in text
