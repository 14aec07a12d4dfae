"""Time and state: the mock clock, the lifecycle rules it drives, one state for every
operation, reset, the read-only API of several workers, and the journal's mock-clock times.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from mockapi.backups import lifecycle as life
from mockapi.backups.clock import Clock, ClockError, ClockMode
from tests.support import TOKEN, SpecClient, backup_id

START = "2026-01-30T12:00:00.000Z"
BACKUPS = "/v2/projects/p-tbl001/backups"
SCHEDULES = "/v2/projects/p-tbl001/backup-schedules"
DAY = 86_400


def one(n: int | str) -> str:
    return f"/v2/project-backups/{backup_id(n) if isinstance(n, int) else n}"


def clock(api: SpecClient) -> dict[str, Any]:
    response = api.control("GET", "clock")
    assert response.status_code == 200
    state: dict[str, Any] = response.json()
    return state


def listed(api: SpecClient, url: str = BACKUPS) -> list[dict[str, Any]]:
    response = api.get(url)
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()
    return items


# --- the clock over the control API ------------------------------------------------------------


def test_the_clock_starts_frozen_at_the_default_now(api: SpecClient) -> None:
    assert clock(api) == {"now": START, "mode": "frozen"}
    assert api.get(BACKUPS).headers["date"] == "Fri, 30 Jan 2026 12:00:00 GMT"


@pytest.mark.parametrize(
    ("changes", "now"),
    [
        ([{"advanceSeconds": 0}], START),
        ([{"advanceSeconds": 90}], "2026-01-30T12:01:30.000Z"),
        ([{"advanceSeconds": 2 * DAY}], "2026-02-01T12:00:00.000Z"),
        ([{"now": "2026-01-30T12:00:00.500Z"}], "2026-01-30T12:00:00.500Z"),
        ([{"now": "2026-03-01T10:00:00+02:00"}], "2026-03-01T08:00:00.000Z"),
        ([{"now": START}], START),
        ([{"advanceSeconds": 60}, {"now": "2026-01-30T13:00:00Z"}], "2026-01-30T13:00:00.000Z"),
        ([{"now": "9000-01-01T00:00:00Z"}], "9000-01-01T00:00:00.000Z"),
        ([{"now": "8999-12-31T23:59:59Z"}, {"advanceSeconds": 1}], "9000-01-01T00:00:00.000Z"),
    ],
)
def test_the_clock_moves_forward_when_told_up_to_the_year_9000(
    api: SpecClient, changes: list[dict[str, Any]], now: str
) -> None:
    for change in changes:
        response = api.control("POST", "clock", json=change)
        assert response.status_code == 200
    assert response.json() == {"now": now, "mode": "frozen"}
    assert clock(api)["now"] == now


@pytest.mark.parametrize(
    "change",
    [
        {"advanceSeconds": -1},
        {"now": "2026-01-30T11:59:59.999Z"},
        {"now": "yesterday"},
        {},
        {"advanceSeconds": 1, "now": START},
        {"advanceSeconds": "10"},
    ],
)
def test_the_clock_never_moves_backwards_or_on_bad_input(
    api: SpecClient, change: dict[str, Any]
) -> None:
    response = api.control("POST", "clock", json=change)
    assert response.status_code == 400
    assert response.json()["type"] == "ValidationError"
    assert clock(api)["now"] == START


@pytest.mark.parametrize(
    "now",
    [
        "2026-01-30T12:00:01.000Z",  # nothing falls due on the way
        "2026-02-14T09:30:15.250Z",  # much does
    ],
)
def test_api_timestamps_follow_the_mock_clock(api: SpecClient, now: str) -> None:
    api.control("POST", "clock", json={"now": now})
    created = api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"}).json()
    assert created["requestedAt"] == now


def test_a_running_clock_moves_with_its_monotonic_source() -> None:
    ticks = [0]
    running = Clock(datetime(2026, 1, 30, 12, tzinfo=UTC), ClockMode.RUNNING, lambda: ticks[0])
    ticks[0] = 2_500_000_000  # 2.5 s of the injected monotonic time
    assert running.now_ms() - running.start_ms == 2500
    running.advance(10)
    assert running.now_ms() - running.start_ms == 12_500
    running.restart()
    assert running.now_ms() == running.start_ms
    frozen = Clock(datetime(2026, 1, 30, 12, tzinfo=UTC), ClockMode.FROZEN, lambda: ticks[0])
    ticks[0] = 9_000_000_000
    assert frozen.now_ms() == frozen.start_ms
    with pytest.raises(ClockError):
        frozen.set_now(datetime(2026, 1, 1, tzinfo=UTC))


# --- what one jump of the clock does, in order ---------------------------------------------------


def test_one_jump_runs_what_earlier_events_plan(api: SpecClient) -> None:
    # Completion plans the expiry; a jump past both makes the backup come and go.
    first = api.post(BACKUPS, json={"expirationTime": "2026-02-08T00:00:00Z"}).json()
    api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"})
    api.advance(10 * DAY)
    assert api.get(one(first["id"])).status_code == 403


def test_one_jump_runs_an_export_through_all_its_phases(api: SpecClient) -> None:
    api.post(one(2) + "/export", json={"format": "tar"})
    api.advance(8 * DAY)
    assert api.get(one(2)).json()["export"]["phase"] == "Expired"


def test_a_read_sees_what_fell_due_without_a_clock_call(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(backup_seconds=0)
    created = api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"}).json()
    # Zero seconds: due at once, so the very next read already sees it completed.
    assert api.get(one(created["id"])).json()["status"] == "Completed"


# --- lifecycle rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "expected"),
    [(0, 0), (1, 1000), (999, 1000), (1000, 1000), (1001, 2000), (10_250, 11_000)],
)
def test_created_at_is_rounded_up_to_a_whole_second(ms: int, expected: int) -> None:
    assert life.whole_second_after(ms) == expected


def test_creation_delays_span_6_to_170_seconds_with_a_median_near_8_5() -> None:
    delays = sorted(life.creation_delay_s(f"schedule:{n}") for n in range(2000))
    assert (delays[0], delays[-1]) == (6, 170)  # the recorded shortest; the long tail
    assert 8 <= delays[len(delays) // 2] <= 9


def test_expiry_jitter_spans_1_to_40_ms_and_repeats_for_the_same_key() -> None:
    jitters = [life.expiry_jitter_ms(f"k{n}") for n in range(500)]
    assert (min(jitters), max(jitters)) == (1, 40)
    assert [life.expiry_jitter_ms(f"k{n}") for n in range(500)] == jitters


@pytest.mark.parametrize(
    ("ttl", "days"),
    [("7d", 7), ("365d", 365), ("168h", 7), ("8760h", 365), ("30d", 30), ("720h", 30)],
)
def test_a_ttl_is_days_or_hours(ttl: str, days: int) -> None:
    assert life.ttl_ms(ttl) == days * life.DAY_MS


@pytest.mark.parametrize(
    ("ttl", "kind"),
    [("6d", "minimum"), ("167h", "minimum"), ("366d", "maximum"), ("8761h", "maximum")]
    + [(bad, "pattern") for bad in ("", "7", "d", "7w", "7D", " 7d", "1.5d", "-7d")],
)
def test_a_ttl_outside_7_to_365_days_is_refused(ttl: str, kind: str) -> None:
    with pytest.raises(ValueError) as refused:
        life.ttl_ms(ttl)
    assert getattr(refused.value, "kind", None) == kind


@pytest.mark.parametrize(
    ("cron", "daily_once"),
    [
        ("0 3 * * *", True),
        ("59 23 * * *", True),
        ("0 3 * * 0-6", True),
        ("0 3 * * 0-7", True),
        ("0 3 */1 * *", True),
        ("0 * * * *", False),
        ("0 3,15 * * *", False),
        ("0 3 * * 1", False),
        ("0 3 * * 1-5", False),
        ("0 3 1 * *", False),
        ("0 3 * 1 *", False),
        ("0,30 3 * * *", False),
    ],
)
def test_a_system_schedule_must_run_once_a_day(cron: str, daily_once: bool) -> None:
    assert life.is_daily_once(cron) is daily_once


@pytest.mark.parametrize(
    ("cron", "accepted"),
    [
        ("0 * * * *", True),
        ("5 4 * * *", True),
        ("59 */2 * * 1-5", True),
        ("* * * * *", False),
        ("*/30 * * * *", False),
        ("0,30 * * * *", False),
        ("0 4 * *", False),
        ("70 4 * * *", False),
        ("0 4 * * * *", False),
    ],
)
def test_a_user_schedule_runs_at_most_hourly(cron: str, accepted: bool) -> None:
    if accepted:
        assert life.check_cron(cron) == cron
    else:
        with pytest.raises(ValueError):
            life.check_cron(cron)


@pytest.mark.parametrize(
    ("cron", "after", "expected"),
    [
        ("30 4 * * *", "2026-01-30T12:00:00", "2026-01-31T04:30:00"),
        ("30 4 * * *", "2026-01-31T04:30:00", "2026-02-01T04:30:00"),  # strictly after
        ("30 4 * * *", "2026-01-31T04:29:59.999", "2026-01-31T04:30:00"),
        ("0 * * * *", "2026-01-30T12:00:00.001", "2026-01-30T13:00:00"),
        ("0 22 * * 0", "2026-01-30T12:00:00", "2026-02-01T22:00:00"),
    ],
)
def test_the_next_run_is_the_first_cron_time_strictly_after(
    cron: str, after: str, expected: str
) -> None:
    def ms(text: str) -> int:
        return int(datetime.fromisoformat(text + "+00:00").timestamp() * 1000)

    assert life.next_run_ms(cron, ms(after)) == ms(expected)


@pytest.mark.parametrize(
    ("cron", "after", "until", "expected"),
    [
        (
            "30 4 * * *",
            "2026-01-30T04:30:00",
            "2026-02-01T04:30:00",
            ["2026-01-31T04:30:00", "2026-02-01T04:30:00"],
        ),
        (
            "15 * * * *",
            "2026-01-30T12:00:00",
            "2026-01-30T14:15:00",
            ["2026-01-30T12:15:00", "2026-01-30T13:15:00", "2026-01-30T14:15:00"],
        ),
        # Weekdays only (Friday to Tuesday): the general path, not the fixed-step one.
        (
            "30 2 * * 1-5",
            "2026-01-30T12:00:00",
            "2026-02-03T02:30:00",
            ["2026-02-02T02:30:00", "2026-02-03T02:30:00"],
        ),
    ],
)
def test_the_runs_between_two_times_are_strictly_after_the_first_and_up_to_the_second(
    cron: str, after: str, until: str, expected: list[str]
) -> None:
    def ms(text: str) -> int:
        return int(datetime.fromisoformat(text + "+00:00").timestamp() * 1000)

    assert life.runs_between(cron, ms(after), ms(until)) == [ms(e) for e in expected]


@pytest.fixture
def machine_in_kolkata(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # +05:30: not a whole hour away from UTC
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_kolkata")
def test_cron_times_are_utc_whatever_the_machines_time_zone() -> None:
    monday = int(datetime(2026, 2, 2, tzinfo=UTC).timestamp() * 1000)
    runs = life.runs_between("30 2 * * 1-5", monday, monday + 86_400_000)
    assert runs == [monday + (2 * 60 + 30) * 60_000]


# --- one state, reset ---------------------------------------------------------------------------


def test_a_reset_brings_back_the_startup_data_and_clock(api: SpecClient) -> None:
    backups_before = listed(api)
    schedules_before = listed(api, SCHEDULES)
    api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"})
    api.delete(one(1))
    api.patch(one(2), json={"description": "changed"})
    api.post(one(2) + "/export", json={"format": "zip"})
    api.post(SCHEDULES, json={"schedule": "0 4 * * *", "ttl": "7d"})
    api.advance(3 * DAY)
    assert listed(api) != backups_before
    response = api.control("POST", "reset")
    assert response.status_code == 200
    assert api.control("GET", "journal").json()["entries"] == []
    assert clock(api)["now"] == START
    assert listed(api) == backups_before
    assert listed(api, SCHEDULES) == schedules_before
    assert api.get(one(1)).status_code == 200


def test_after_a_reset_writes_happen_at_the_clocks_start_again(api: SpecClient) -> None:
    api.advance(1)  # nothing falls due: the startup store itself is told the time
    api.get(BACKUPS)
    api.control("POST", "reset")
    assert clock(api)["now"] == START
    created = api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"}).json()
    assert created["requestedAt"] == START


def test_the_same_requests_after_a_reset_give_the_same_answers(api: SpecClient) -> None:
    def session() -> list[Any]:
        answers = []
        created = api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"})
        answers.append(created.json())
        schedule = api.post(SCHEDULES, json={"schedule": "0 4 * * *", "ttl": "7d"})
        answers.append(schedule.json())
        api.advance(2 * DAY)
        answers.append(listed(api))
        return answers

    first = session()
    api.control("POST", "reset")
    assert session() == first


def test_a_reset_undoes_changes_the_clock_made_to_loaded_data(api: SpecClient) -> None:
    before = api.get(one(3)).json()
    api.advance(60)
    assert api.get(one(3)).json() != before
    api.control("POST", "reset")
    assert api.get(one(3)).json() == before
    api.advance(60)  # and time works on it again from the start
    assert api.get(one(3)).json()["restore"]["phase"] == "completed"


WRITES = [
    ("POST", BACKUPS, {"expirationTime": "2026-03-01T00:00:00Z"}),
    ("PATCH", one(1), {"description": "x"}),
    ("DELETE", one(1), None),
    ("PATCH", one(1) + "/description", {"description": "x"}),
    ("PUT", one(1) + "/expiration-time", {"expirationTime": "2026-03-01T00:00:00Z"}),
    ("POST", one(2) + "/export", {"format": "tar"}),
    ("DELETE", one(1) + "/export", None),
    ("POST", one(2) + "/restore", {"pathRestore": {"sourcePaths": ["/html"]}}),
    ("POST", one(2) + "/restore-path", {"sourcePath": "/html"}),
    ("POST", SCHEDULES, {"schedule": "0 4 * * *", "ttl": "7d"}),
    ("PATCH", "/v2/project-backup-schedules/" + backup_id(5), {"ttl": "7d"}),
    ("DELETE", "/v2/project-backup-schedules/" + backup_id(5), None),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_with_several_workers_every_api_write_is_a_409_saying_read_only(
    make_api: Callable[..., SpecClient], method: str, path: str, body: Any
) -> None:
    api = make_api(workers=2, clock="running")
    before = listed(api)
    response = api.request(method, path, json=body)
    assert response.status_code == 409
    assert response.json()["type"] == "Conflict"
    assert "read-only" in response.json()["message"]
    assert [b["id"] for b in listed(api)] == [b["id"] for b in before]


def test_with_several_workers_reads_still_answer(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(workers=2, clock="running")
    assert api.get(one(1)).status_code == 200
    assert api.get(SCHEDULES).status_code == 200
    assert api.get("/v2/projects/p-tbl001").status_code == 200


# --- the journal -------------------------------------------------------------------------------


def test_the_journal_records_requests_at_mock_clock_times_with_write_bodies(
    api: SpecClient,
) -> None:
    api.get(BACKUPS + "?limit=2&searchTerm=x")
    api.advance(90)
    api.post(one(2) + "/export", json={"format": "zip", "password": "hunter2"})
    api.post(
        one(2) + "/restore",
        json={"databaseRestores": [{"databaseBackupDump": "nope", "targetDatabaseId": "x"}]},
    )
    api.delete(one(8))
    entries = api.control("GET", "journal").json()["entries"]
    assert entries == [
        {
            "method": "GET",
            "path": BACKUPS,
            "query": "limit=2&searchTerm=x",
            "status": 200,
            "time": START,
            "operationId": "backup-list-project-backups",
        },
        {
            "method": "POST",
            "path": one(2) + "/export",
            "query": "",
            "status": 204,
            "time": "2026-01-30T12:01:30.000Z",
            "operationId": "backup-create-project-backup-export",
            "body": {"format": "zip", "password": "***"},
        },
        {
            "method": "POST",
            "path": one(2) + "/restore",
            "query": "",
            "status": 400,
            "time": "2026-01-30T12:01:30.000Z",
            "operationId": "backup-request-project-backup-restore",
            "body": {"databaseRestores": [{"databaseBackupDump": "nope", "targetDatabaseId": "x"}]},
        },
        {
            "method": "DELETE",
            "path": one(8),
            "query": "",
            "status": 412,
            "time": "2026-01-30T12:01:30.000Z",
            "operationId": "backup-delete-project-backup",
        },
    ]


def test_the_journal_never_holds_a_token(api: SpecClient) -> None:
    api.get(BACKUPS)
    api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"})
    api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z", "password": "pw"})
    api.get(BACKUPS, headers={"Authorization": "Bearer other-secret"})
    text = json.dumps(api.control("GET", "journal").json())
    assert TOKEN["x-access-token"] not in text
    assert "other-secret" not in text
    assert '"pw"' not in text
