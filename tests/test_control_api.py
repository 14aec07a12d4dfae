"""The control API: reset, data at runtime, journal, switches and guards, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import TABLE_DOCUMENT
from tests.support import SpecClient, numbers

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
