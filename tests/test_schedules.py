"""Backup schedules: the system schedule every project has, user schedules, and the backups
the clock makes from them.

The table project has no schedule in its data, so it gets a derived system schedule; the
clock is frozen at 2026-01-30T12:00:00Z.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from mockapi.backups.dataset import Dataset, combine
from mockapi.data.fixtures import parse_document
from mockapi.data.loading import load_default_dataset
from tests.conftest import TABLE_PROJECT
from tests.support import SpecClient, backup_id

SCHEDULES = "/v2/projects/p-tbl001/backup-schedules"
BACKUPS = "/v2/projects/p-tbl001/backups"
DAY = 86_400
NIGHTLY_PARENT = "5e5e5e5e-1111-4222-8333-444455556666"


def one(schedule_id: str) -> str:
    return f"/v2/project-backup-schedules/{schedule_id}"


def schedules(api: SpecClient, url: str = SCHEDULES) -> list[dict[str, Any]]:
    response = api.get(url)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()
    return found


def system(api: SpecClient, url: str = SCHEDULES) -> dict[str, Any]:
    found = [s for s in schedules(api, url) if s["isSystemBackup"]]
    assert len(found) == 1
    return found[0]


def create(api: SpecClient, cron: str = "30 4 * * *", ttl: str = "7d", **fields: Any) -> Any:
    response = api.post(SCHEDULES, json={"schedule": cron, "ttl": ttl, **fields})
    assert response.status_code == 201, response.json()
    return response.json()


def backups(api: SpecClient, url: str = BACKUPS) -> list[dict[str, Any]]:
    response = api.get(url)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()
    return found


def made_by(api: SpecClient, schedule_id: str) -> list[dict[str, Any]]:
    return [b for b in backups(api) if b.get("parentId") == schedule_id]


def errors_of(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.status_code
    return [(e["path"], e["type"]) for e in response.json()["validationErrors"]]


def ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp() * 1000)


def dataset_with_nightly_backups() -> Dataset:
    """A project whose data has nightly backups (parentId, 03:17) and no schedule."""
    backups = [
        {
            "id": backup_id(n),
            "parentId": NIGHTLY_PARENT,
            "projectId": TABLE_PROJECT,
            "requestedAt": f"2026-01-{20 + n:02d}T03:17:00.000Z",
            "createdAt": f"2026-01-{20 + n:02d}T03:17:09.000Z",
            "status": "Completed",
            "deletable": n < 3,
        }
        for n in (1, 2, 3)
    ]
    document = {"projects": [{"id": TABLE_PROJECT, "shortId": "p-tbl001"}], "backups": backups}
    dataset, problems = parse_document("nightly", document)
    assert problems == []
    return combine([dataset])


# --- the system schedule ---------------------------------------------------------------------


@pytest.mark.parametrize("project", ["p-tbl001", "p-tbl002", "p-tbl003"])
def test_every_project_has_one_system_schedule(api: SpecClient, project: str) -> None:
    found = system(api, f"/v2/projects/{project}/backup-schedules")
    assert found["isSystemBackup"] is True
    assert "description" not in found


def test_the_system_schedule_is_taken_from_the_nightly_backups(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(dataset_with_nightly_backups())
    found = system(api)
    assert found["id"] == NIGHTLY_PARENT
    assert found["schedule"] == "17 3 * * *"
    api.advance(DAY)
    newest = backups(api)[-1]
    assert (newest["parentId"], newest["requestedAt"]) == (
        NIGHTLY_PARENT,
        "2026-01-31T03:17:00.000Z",
    )


def test_the_default_datasets_schedules_come_from_its_data(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(load_default_dataset())
    kbuygq = schedules(api, "/v2/projects/p-kbuygq/backup-schedules")
    assert [s["isSystemBackup"] for s in kbuygq] == [True, False]
    assert kbuygq[1]["description"] == "Weekly full backup"
    for project in ("p-4x9zt2", "p-n3wpr0"):
        system(api, f"/v2/projects/{project}/backup-schedules")


def test_a_schedule_is_the_same_by_get_and_in_the_list(api: SpecClient) -> None:
    create(api, description="extra")
    for item in schedules(api):
        response = api.get(one(item["id"]))
        assert response.status_code == 200
        assert response.json() == item
        assert api.get(one(item["id"].upper())).json() == item


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("schedule_id", ["not-a-uuid", "p-tbl001", backup_id(1)[:-1]])
def test_a_schedule_id_must_be_a_uuid(api: SpecClient, method: str, schedule_id: str) -> None:
    response = api.request(method, one(schedule_id), json={} if method == "PATCH" else None)
    assert errors_of(response) == [("projectBackupScheduleId", "format")]
    assert response.json()["validationErrors"][0]["context"] == {"format": "uuid"}


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    ("setting", "status", "error_type"),
    [({}, 403, "PermissionDenied"), ({"unknown_id": "not-found"}, 404, "NotFound")],
)
def test_an_unknown_schedule_is_denied_or_not_found_as_configured(
    make_api: Callable[..., SpecClient],
    method: str,
    setting: dict[str, str],
    status: int,
    error_type: str,
) -> None:
    api = make_api(**setting)
    response = api.request(method, one(backup_id(404)), json={} if method == "PATCH" else None)
    assert response.status_code == status
    assert response.json()["type"] == error_type


@pytest.mark.parametrize(
    ("method", "body"),
    [("GET", None), ("POST", {"schedule": "0 4 * * *", "ttl": "7d"})],
)
@pytest.mark.parametrize(
    ("setting", "status"), [({}, 403), ({"unknown_project": "not-found"}, 404)]
)
def test_schedules_of_an_unknown_project_are_denied_or_not_found_as_configured(
    make_api: Callable[..., SpecClient],
    method: str,
    body: Any,
    setting: dict[str, str],
    status: int,
) -> None:
    api = make_api(**setting)
    response = api.request(method, "/v2/projects/p-nope00/backup-schedules", json=body)
    assert response.status_code == status


# --- create ------------------------------------------------------------------------------------


def test_a_created_schedule_is_listed_with_created_and_updated_at(api: SpecClient) -> None:
    created = create(api, "5 4 * * *", "14d", description="Nightly extra")
    assert created == {
        "createdAt": "2026-01-30T12:00:00.000Z",
        "description": "Nightly extra",
        "id": created["id"],
        "isSystemBackup": False,
        "projectId": TABLE_PROJECT,
        "schedule": "5 4 * * *",
        "ttl": "14d",
        "updatedAt": "2026-01-30T12:00:00.000Z",
    }
    listed = schedules(api)
    assert listed[0]["isSystemBackup"] is True
    assert listed[1:] == [created]


def test_a_schedules_created_and_updated_at_are_whole_seconds(api: SpecClient) -> None:
    # As recorded (…T10:54:03.000Z): the milliseconds of now are dropped.
    api.control("POST", "clock", json={"now": "2026-01-30T12:00:03.250Z"})
    created = create(api)
    assert created["createdAt"] == created["updatedAt"] == "2026-01-30T12:00:03.000Z"
    api.control("POST", "clock", json={"now": "2026-01-30T12:00:04.999Z"})
    assert api.patch(one(created["id"]), json={"ttl": "8d"}).status_code == 204
    changed = api.get(one(created["id"])).json()
    assert (changed["createdAt"], changed["updatedAt"]) == (
        "2026-01-30T12:00:03.000Z",
        "2026-01-30T12:00:04.000Z",
    )


def test_a_schedules_backups_share_its_description_text(api: SpecClient) -> None:
    long_text = "Nightly Extra " * 250
    made = create(api, "0 * * * *", description=long_text)
    api.advance(DAY)
    record = api.app.mock.store.projects[TABLE_PROJECT]
    index = record.backups
    positions = [
        i
        for i, backup_id in enumerate(index.ids)
        if backup_id in {b["id"] for b in made_by(api, made["id"])}
    ]
    assert len(positions) == 24
    # One searchable copy for all of them, not one per backup.
    assert len({id(index.descriptions[i]) for i in positions}) == 1


@pytest.mark.parametrize(
    ("cron", "ttl"),
    [
        ("0 * * * *", "7d"),
        ("59 */6 * * 1-5", "365d"),
        ("15 3 1 * *", "168h"),
        ("0 0 * * 0", "8760h"),
        ("30 2 * * *", "30d"),
    ],
)
def test_create_accepts_at_most_hourly_schedules_and_ttls_from_7_to_365_days(
    api: SpecClient, cron: str, ttl: str
) -> None:
    assert api.post(SCHEDULES, json={"schedule": cron, "ttl": ttl}).status_code == 201


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, [("schedule", "required"), ("ttl", "required")]),
        ({"schedule": "0 4 * * *"}, [("ttl", "required")]),
        ({"schedule": 4, "ttl": "7d"}, [("schedule", "type")]),
        ({"schedule": "0 4 * * *", "ttl": 7}, [("ttl", "type")]),
        ({"schedule": "* * * * *", "ttl": "7d"}, [("schedule", "schedule")]),
        ({"schedule": "*/15 * * * *", "ttl": "7d"}, [("schedule", "schedule")]),
        ({"schedule": "0 4 * *", "ttl": "7d"}, [("schedule", "format")]),
        ({"schedule": "0 4 * * * *", "ttl": "7d"}, [("schedule", "format")]),
        ({"schedule": "61 4 * * *", "ttl": "7d"}, [("schedule", "format")]),
        ({"schedule": "0 4 * * *", "ttl": "6d"}, [("ttl", "minimum")]),
        ({"schedule": "0 4 * * *", "ttl": "167h"}, [("ttl", "minimum")]),
        ({"schedule": "0 4 * * *", "ttl": "366d"}, [("ttl", "maximum")]),
        ({"schedule": "0 4 * * *", "ttl": "8761h"}, [("ttl", "maximum")]),
        ({"schedule": "0 4 * * *", "ttl": "7 days"}, [("ttl", "pattern")]),
        ({"schedule": "0 4 * * *", "ttl": "1w"}, [("ttl", "pattern")]),
        ({"schedule": "0 4 * * *", "ttl": "7d", "description": 1}, [("description", "type")]),
        (
            {"schedule": "0 4 * * *", "ttl": "7d", "description": "x" * 4097},
            [("description", "maxLength")],
        ),
        (None, [("", "required")]),
    ],
)
def test_create_validates_the_body(
    api: SpecClient, body: Any, errors: list[tuple[str, str]]
) -> None:
    assert sorted(errors_of(api.post(SCHEDULES, json=body))) == sorted(errors)
    assert len(schedules(api)) == 1


@pytest.mark.parametrize(
    ("cron", "ttl", "context"),
    [
        ("0 4 * *", "7d", {"format": "crontab"}),
        ("61 4 * * *", "7d", {"format": "crontab"}),
        ("*/15 * * * *", "7d", {"schedule": "*/15 * * * *"}),
        ("0 4 * * *", "3d", {"limit": "7d"}),
        ("0 4 * * *", "366d", {"limit": "365d"}),
        ("0 4 * * *", "7 days", {"pattern": "^[0-9]{1,5}(d|h)$"}),
    ],
)
def test_a_schedule_or_ttl_error_names_what_would_be_accepted(
    api: SpecClient, cron: str, ttl: str, context: dict[str, str]
) -> None:
    [item] = api.post(SCHEDULES, json={"schedule": cron, "ttl": ttl}).json()["validationErrors"]
    assert item["context"] == context


# --- update ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "changed"),
    [
        ({"description": "renamed"}, {"description": "renamed"}),
        ({"description": ""}, {"description": None}),
        ({"ttl": "30d"}, {"ttl": "30d"}),
        ({"schedule": "0 */2 * * *"}, {"schedule": "0 */2 * * *"}),
        ({}, {}),
    ],
)
def test_patch_changes_a_user_schedule_and_its_updated_at(
    api: SpecClient, body: dict[str, Any], changed: dict[str, Any]
) -> None:
    created = create(api, description="extra")
    api.advance(60)
    assert api.patch(one(created["id"]), json=body).status_code == 204
    expected = {**created, **changed, "updatedAt": "2026-01-30T12:01:00.000Z"}
    expected = {k: v for k, v in expected.items() if v is not None}
    assert api.get(one(created["id"])).json() == expected


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"schedule": "* * * * *"}, [("schedule", "schedule")]),
        ({"ttl": "400d"}, [("ttl", "maximum")]),
        ({"ttl": None}, [("ttl", "type")]),
        ({"description": None}, [("description", "type")]),
    ],
)
def test_patch_validates_the_body(
    api: SpecClient, body: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    created = create(api)
    assert errors_of(api.patch(one(created["id"]), json=body)) == errors
    assert api.get(one(created["id"])).json() == created


@pytest.mark.parametrize(("raw", "status"), [(b"", 204), (b"null", 400), (b"  ", 400)])
def test_patch_takes_only_an_empty_body_for_no_body(
    api: SpecClient, raw: bytes, status: int
) -> None:
    created = create(api)
    headers = {"x-access-token": "t", "content-type": "application/json"}
    response = api.patch(one(created["id"]), content=raw, headers=headers)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("body", "status", "error_type"),
    [
        ({"ttl": "14d"}, 204, None),
        ({"schedule": "45 2 * * *"}, 204, None),
        ({"description": ""}, 204, None),  # no description: unchanged
        ({"description": "mine now"}, 412, "FailedPrecondition"),
        ({"schedule": "0 * * * *"}, 400, "ValidationError"),
        ({"schedule": "0 3 * * 1"}, 400, "ValidationError"),
        ({"schedule": "0 3 1 * *"}, 400, "ValidationError"),
        ({"schedule": "0 3,15 * * *"}, 400, "ValidationError"),
        ({"schedule": "0 3 * * 0-6"}, 204, None),
        # A bad input is answered before a refused change.
        ({"schedule": "0 * * * *", "description": "mine now"}, 400, "ValidationError"),
    ],
)
def test_a_system_schedule_keeps_its_description_and_runs_daily_once(
    api: SpecClient, body: dict[str, Any], status: int, error_type: str | None
) -> None:
    before = system(api)
    response = api.patch(one(before["id"]), json=body)
    assert response.status_code == status
    if error_type is not None:
        assert response.json()["type"] == error_type
        assert system(api) == before
    else:
        expected = {**before, **body, "updatedAt": "2026-01-30T12:00:00.000Z"}
        assert system(api) == {k: v for k, v in expected.items() if v != ""}


def test_a_changed_schedule_runs_at_its_new_time(api: SpecClient) -> None:
    created = create(api, "30 4 * * *")
    api.patch(one(created["id"]), json={"schedule": "45 5 * * *"})
    api.advance(DAY)
    assert [b["requestedAt"] for b in made_by(api, created["id"])] == ["2026-01-31T05:45:00.000Z"]


def test_a_changed_ttl_applies_to_the_next_backups(api: SpecClient) -> None:
    created = create(api, "30 4 * * *", "7d")
    api.patch(one(created["id"]), json={"ttl": "10d"})
    api.advance(DAY)
    [made] = made_by(api, created["id"])
    assert ms(made["expiresAt"]) - ms(made["createdAt"]) - 10 * DAY * 1000 in range(1, 41)


# --- delete ------------------------------------------------------------------------------------


def test_a_deleted_schedule_is_gone_and_its_backups_stay(api: SpecClient) -> None:
    created = create(api, "30 4 * * *", description="extra")
    api.advance(DAY)
    made = made_by(api, created["id"])
    assert len(made) == 1
    assert api.delete(one(created["id"])).status_code == 204
    assert [s["id"] for s in schedules(api)] == [system(api)["id"]]
    assert api.get(one(created["id"])).status_code == 403
    assert api.delete(one(created["id"])).status_code == 403
    api.advance(2 * DAY)
    assert [b["id"] for b in made_by(api, created["id"])] == [made[0]["id"]]


def test_the_system_schedule_cannot_be_deleted(api: SpecClient) -> None:
    found = system(api)
    response = api.delete(one(found["id"]))
    assert response.status_code == 412
    assert response.json()["type"] == "FailedPrecondition"
    assert system(api) == found


# --- what the clock makes of schedules -------------------------------------------------------


def test_a_schedule_makes_a_backup_on_the_minute_in_progress_then_completed(
    api: SpecClient,
) -> None:
    created = create(api, "30 13 * * *", "14d", description="lunch")
    api.advance(90 * 60)  # 13:30 exactly
    [made] = made_by(api, created["id"])
    assert made == {
        "deletable": made["deletable"],
        "description": "lunch",
        "id": made["id"],
        "parentId": created["id"],
        "projectId": TABLE_PROJECT,
        "requestedAt": "2026-01-30T13:30:00.000Z",
        "status": "InProgress",
    }
    api.advance(171)
    [done] = made_by(api, created["id"])
    assert done["status"] == "Completed"
    delay = ms(done["createdAt"]) - ms(done["requestedAt"])
    assert 6_000 <= delay <= 171_000
    assert done["createdAt"].endswith(".000Z")
    jitter = ms(done["expiresAt"]) - ms(done["createdAt"]) - 14 * DAY * 1000
    assert 1 <= jitter <= 40


def test_a_schedule_made_backup_without_description_has_none(api: SpecClient) -> None:
    created = create(api, "30 13 * * *")
    api.advance(2 * 3600)
    [made] = made_by(api, created["id"])
    assert "description" not in made


def test_the_newest_scheduled_backup_is_the_only_one_not_deletable(api: SpecClient) -> None:
    # Two schedules on the same minute: their backups share a requestedAt.
    create(api, "0 4 * * *")
    create(api, "0 4 * * *")
    api.advance(3 * DAY)
    listed = backups(api)
    deletable = [b["deletable"] for b in listed]
    assert deletable[-1] is False
    assert all(deletable[8:-1])


@pytest.mark.parametrize("days", [1, 3, 7])
def test_advancing_the_clock_makes_one_backup_a_day_per_daily_schedule(
    api: SpecClient, days: int
) -> None:
    first = create(api, "30 4 * * *", "14d")
    second = create(api, "15 23 * * *", "14d")
    api.advance(days * DAY)
    counts = Counter(b.get("parentId") for b in backups(api))
    assert counts[first["id"]] == days
    assert counts[second["id"]] == days
    assert counts[system(api)["id"]] == days
    for item in backups(api)[8:]:
        assert item["requestedAt"].endswith(":00.000Z")
        assert item["status"] == "Completed"


@pytest.mark.parametrize(
    ("cron", "requested"),
    [
        ("0 22 * * 0", ["2026-02-01T22:00:00.000Z"]),  # Sundays
        ("15 6 * * 1-5", [f"2026-02-0{d}T06:15:00.000Z" for d in (2, 3, 4, 5, 6)]),
        ("45 1 1 * *", ["2026-02-01T01:45:00.000Z"]),  # the first of the month
    ],
)
def test_a_schedule_runs_only_on_the_days_it_names(
    api: SpecClient, cron: str, requested: list[str]
) -> None:
    created = create(api, cron, "14d")
    api.advance(7 * DAY)
    assert [b["requestedAt"] for b in made_by(api, created["id"])] == requested


def test_a_schedules_backups_get_the_same_times_on_every_machine_and_day(
    make_api: Callable[..., SpecClient],
) -> None:
    # createdAt and the few ms of expiresAt depend only on the schedule and the run; the
    # first three backups are the loaded ones.
    api = make_api(dataset_with_nightly_backups())
    api.advance(3 * DAY)
    made = [(b["requestedAt"], b["createdAt"], b["expiresAt"]) for b in backups(api)[3:]]
    assert made == [
        ("2026-01-31T03:17:00.000Z", "2026-01-31T03:17:06.000Z", "2026-03-02T03:17:06.023Z"),
        ("2026-02-01T03:17:00.000Z", "2026-02-01T03:17:09.000Z", "2026-03-03T03:17:09.008Z"),
        ("2026-02-02T03:17:00.000Z", "2026-02-02T03:17:58.000Z", "2026-03-04T03:17:58.031Z"),
    ]


@pytest.mark.parametrize(
    ("now", "newest"),
    [
        # Seed 1's project has a system schedule at 00:48 and a user schedule at 00:44.
        ("2026-01-30T00:48:00.000Z", ("2026-01-30T00:48:00.000Z", "InProgress")),
        ("2026-01-30T00:47:59.999Z", ("2026-01-30T00:44:00.000Z", "Completed")),
    ],
)
def test_generated_data_holds_each_run_up_to_now_and_none_after(
    make_api: Callable[..., SpecClient], now: str, newest: tuple[str, str]
) -> None:
    api = make_api(None, seed=1, projects=1, backups_per_project=5, now=now)
    [project] = api.app.mock.projects()
    last = backups(api, f"/v2/projects/{project.short_id}/backups")[-1]
    assert (last["requestedAt"], last["status"]) == newest


def test_only_backups_within_their_ttl_remain_after_a_long_jump(api: SpecClient) -> None:
    created = create(api, "30 4 * * *", "7d")
    api.advance(30 * DAY)
    made = made_by(api, created["id"])
    assert len(made) == 7
    assert made[0]["requestedAt"] == "2026-02-23T04:30:00.000Z"


def _timeline(api: SpecClient) -> list[tuple[Any, ...]]:
    """The backups without their ids (ids come from the order they are made in)."""
    return [
        (
            b["requestedAt"],
            b.get("parentId"),
            b.get("description"),
            b["status"],
            b["deletable"],
            b.get("createdAt"),
            b.get("expiresAt"),
        )
        for b in backups(api)
    ]


def test_one_long_jump_of_the_clock_equals_many_small_steps(
    make_api: Callable[..., SpecClient],
) -> None:
    jump, steps = make_api(), make_api()
    for api in (jump, steps):
        create(api, "30 4 * * *", "7d", description="daily")
        create(api, "0 */6 * * *", "8d", description="six-hourly")
    jump.advance(20 * DAY)
    for _ in range(20 * 4):
        steps.advance(6 * 3600)
    assert _timeline(jump) == _timeline(steps)


def test_scheduled_backups_expire_when_their_ttl_passes(api: SpecClient) -> None:
    created = create(api, "30 13 * * *", "7d")
    api.advance(2 * 3600)
    [made] = made_by(api, created["id"])
    made = api.get(f"/v2/project-backups/{made['id']}").json()
    remaining = ms(made["expiresAt"]) - ms("2026-01-30T14:00:00.000Z")
    api.advance(remaining // 1000)
    assert api.get(f"/v2/project-backups/{made['id']}").status_code == 200
    api.advance(1)
    assert api.get(f"/v2/project-backups/{made['id']}").status_code == 403


@pytest.mark.parametrize(
    ("cron", "first"),
    [("0 12 * * *", "2026-01-31T12:00:00.000Z"), ("0 * * * *", "2026-01-30T13:00:00.000Z")],
)
def test_a_schedule_created_exactly_on_its_cron_minute_runs_at_the_next_cron_time(
    api: SpecClient, cron: str, first: str
) -> None:
    # The clock stands at 12:00:00.000, on both schedules' minute.
    made = create(api, cron)
    assert made_by(api, made["id"]) == []
    api.advance(1)
    assert made_by(api, made["id"]) == []
    api.advance(DAY)
    assert made_by(api, made["id"])[0]["requestedAt"] == first


def test_data_loaded_exactly_on_a_cron_minute_runs_at_the_next_cron_time(
    make_api: Callable[..., SpecClient],
) -> None:
    schedule = {
        "createdAt": "2025-01-01T00:00:00.000Z",
        "id": NIGHTLY_PARENT,
        "isSystemBackup": True,
        "projectId": TABLE_PROJECT,
        "schedule": "0 12 * * *",
        "ttl": "7d",
    }
    document = {"projects": [{"id": TABLE_PROJECT, "shortId": "p-tbl001"}]}
    dataset, problems = parse_document(
        "on the minute", {**document, "schedules": [schedule], "backups": []}
    )
    assert problems == []
    api = make_api(combine([dataset]))  # loaded at 12:00:00.000, the schedule's minute
    assert backups(api) == []
    api.advance(DAY - 1)
    assert backups(api) == []
    api.advance(1)
    assert [b["requestedAt"] for b in backups(api)] == ["2026-01-31T12:00:00.000Z"]
