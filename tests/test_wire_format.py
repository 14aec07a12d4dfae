"""Wire format and the built-in default dataset: every shape a client must survive."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from mockapi.backups.dataset import combine
from mockapi.data.fixtures import parse_document
from tests.support import SpecClient

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_FIELDS = {"createdAt", "expiresAt", "requestedAt"}
UUID_FIELDS = {"id", "projectId", "parentId", "targetDatabaseId"}


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair in a JSON document, depth first."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


@pytest.fixture
def default_api(make_api: Callable[..., SpecClient]) -> SpecClient:
    from mockapi.data.loading import load_default_dataset

    return make_api(load_default_dataset())


def all_default_backups(api: SpecClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for project in ("p-kbuygq", "p-4x9zt2", "p-n3wpr0"):
        response = api.get(f"/v2/projects/{project}/backups")
        assert response.status_code == 200
        items += response.json()
    return items


def test_default_dataset_holds_every_shape(default_api: SpecClient) -> None:
    items = all_default_backups(default_api)
    exports = [b["export"] for b in items if "export" in b]
    assert {e.get("phase") for e in exports} == {
        "Pending",
        "Exporting",
        "Failed",
        "Completed",
        "Expired",
    }
    for export in exports:
        done = export.get("phase") == "Completed"
        assert ("downloadURL" in export) is done
        assert ("sha256Checksum" in export) is done
    assert {e["format"] for e in exports} == {"tar", "zip"}
    assert {e["withPassword"] for e in exports} == {True, False}
    restores = [b["restore"] for b in items if "restore" in b]
    assert {r["phase"] for r in restores} == {"running", "completed"}
    assert any("databaseRestores" in r and "pathRestore" in r for r in restores)
    only_deprecated = [b for b in items if "restorePath" in b and "restore" not in b]
    assert {b["restorePath"]["phase"] for b in only_deprecated} == {"running", "completed"}
    in_progress = [b for b in items if b["status"] == "InProgress"]
    assert in_progress and all("createdAt" not in b and "expiresAt" not in b for b in in_progress)
    assert {b["deletable"] for b in items} == {True, False}
    assert {b["status"] for b in items} >= {"Completed", "InProgress", "Failed"}
    manual = [b for b in items if "parentId" not in b]
    assert {"description" in b for b in manual} == {True, False}


def test_default_dataset_scheduled_backups_follow_the_recorded_figures(
    default_api: SpecClient,
) -> None:
    schedules = {
        s["id"]: s
        for project in ("p-kbuygq", "p-4x9zt2", "p-n3wpr0")
        for s in default_api.get(f"/v2/projects/{project}/backup-schedules").json()
    }
    items = all_default_backups(default_api)
    scheduled = [b for b in items if "parentId" in b]
    assert {schedules[b["parentId"]]["isSystemBackup"] for b in scheduled} == {True, False}
    for backup in scheduled:
        schedule = schedules[backup["parentId"]]
        assert backup.get("description") == schedule.get("description")
        assert backup["requestedAt"][14:] == schedule["schedule"].split()[0].zfill(2) + ":00.000Z"
        if "createdAt" in backup:
            delay = parse(backup["createdAt"]) - parse(backup["requestedAt"])
            assert timedelta(seconds=6) <= delay <= timedelta(seconds=171)
            assert backup["expiresAt"][20:23] != "000"
    for project in ("p-kbuygq", "p-4x9zt2"):
        mine = [
            b
            for b in items
            if b["projectId"] == default_api.get(f"/v2/projects/{project}").json()["id"]
        ]
        # As recorded: the newest Completed backup is kept; a newer running one is deletable.
        done = [b for b in mine if b["status"] == "Completed"]
        newest = max(done, key=lambda b: (b["requestedAt"], b["id"]))
        assert [b["id"] for b in mine if not b["deletable"]] == [newest["id"]]
        assert any(b["status"] == "InProgress" and b["deletable"] for b in mine)


def test_default_dataset_has_an_empty_project(default_api: SpecClient) -> None:
    response = default_api.get("/v2/projects/p-n3wpr0/backups")
    assert response.json() == []


def test_no_null_and_wire_formats_everywhere(default_api: SpecClient) -> None:
    for key, value in walk(all_default_backups(default_api)):
        assert value is not None, key
        if key in TIME_FIELDS:
            assert TIMESTAMP.match(value), (key, value)
        if key in UUID_FIELDS:
            assert UUID.match(value), (key, value)


def test_content_type_is_plain_application_json(default_api: SpecClient) -> None:
    response = default_api.get("/v2/projects/p-kbuygq/backups?limit=1")
    assert response.headers["content-type"] == "application/json"


def test_fixture_values_are_normalised_to_the_wire_format(
    make_api: Callable[..., SpecClient],
) -> None:
    document = [
        {
            "id": "AAAAAAAA-0000-4000-8000-000000000001",
            "projectId": "BBBBBBBB-0000-4000-8000-000000000001",
            "requestedAt": "2026-01-01T05:00:00+02:00",
            "createdAt": "2026-01-01T03:01:00Z",
            "expiresAt": "2026-01-31T03:01:00.123456Z",
            "status": "Completed",
            "deletable": True,
        }
    ]
    dataset, problems = parse_document("inline", document)
    assert problems == []
    api = make_api(combine([dataset]))
    [item] = api.get("/v2/projects/bbbbbbbb-0000-4000-8000-000000000001/backups").json()
    assert item == {
        "createdAt": "2026-01-01T03:01:00.000Z",
        "deletable": True,
        "expiresAt": "2026-01-31T03:01:00.123Z",
        "id": "aaaaaaaa-0000-4000-8000-000000000001",
        "projectId": "bbbbbbbb-0000-4000-8000-000000000001",
        "requestedAt": "2026-01-01T03:00:00.000Z",
        "status": "Completed",
    }
