"""The clock's modes and start: running for serve, frozen for code, recent dates for demos.

How the clock moves and what time does to the data: tests/test_clock_lifecycle.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mockapi import MockServer, Settings, create_app
from mockapi.backups.clock import DEFAULT_NOW
from mockapi.backups.lifecycle import runs_between
from mockapi.data.loading import load_default_dataset
from mockapi.timestamps import parse_ms as ms
from tests.support import InlineClient, SpecClient


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


PLAIN = Path(__file__).parent.parent / "fixtures" / "plain-array-p-4x9zt2.json"


def test_serve_runs_the_clock_and_code_freezes_it() -> None:
    assert Settings().clock == "running"
    with MockServer() as server:
        assert server.state.clock_state()["mode"] == "frozen"
    with MockServer(Settings(clock="running")) as server:
        assert server.state.clock_state()["mode"] == "running"


def test_the_date_header_follows_the_mock_clock(api: SpecClient) -> None:
    assert api.get("/v2/projects/p-tbl001/backups").headers["date"] == (
        "Fri, 30 Jan 2026 12:00:00 GMT"
    )
    api.control("POST", "clock", json={"now": "2026-02-01T01:00:00+01:00"})
    assert api.get("/v2/projects/p-tbl001/backups").headers["date"] == (
        "Sun, 01 Feb 2026 00:00:00 GMT"
    )


def test_now_today_moves_the_built_in_dataset_to_recent_dates(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, now="today")
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert api.control("GET", "clock").json()["now"] == today.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    newest = api.get("/v2/projects/p-kbuygq/backups?sortOrder=newestFirst&limit=1").json()[0]
    requested = datetime.fromisoformat(newest["requestedAt"])
    assert today - timedelta(days=1) < requested <= today


def test_now_now_starts_the_clock_at_the_current_time(make_api: Callable[..., SpecClient]) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    api = make_api(None, now="now")
    now = datetime.fromisoformat(api.control("GET", "clock").json()["now"])
    assert before <= now <= datetime.now(UTC)


def test_fixture_files_keep_their_dates_whatever_now_says() -> None:
    with InlineClient(create_app(Settings(fixtures=[PLAIN], now="today"))) as client:
        document = SpecClient(client).control("GET", "data").json()
    assert max(b["requestedAt"] for b in document["backups"]).startswith("2026-01-30")


LIMIT_9000 = {"limit": "9000-01-01T00:00:00.000Z"}
STOPS = ("maximum", "the clock stops at 9000-01-01T00:00:00Z", LIMIT_9000)
NOT_A_TIME = ("format", "Does not match format 'date-time'", {"format": "date-time"})


@pytest.mark.parametrize(
    ("start", "change", "item"),
    [
        (None, {"now": "tomorrow-ish"}, ("now", *NOT_A_TIME)),
        (None, {"now": "2026-01-30T12:00:00"}, ("now", *NOT_A_TIME)),
        (
            None,
            {"now": "2025-01-01T00:00:00Z"},
            (
                "now",
                "minimum",
                "time never moves backwards: 2025-01-01T00:00:00+00:00 is before the mock's now",
                {"limit": "2026-01-30T12:00:00.000Z"},
            ),
        ),
        (None, {"now": "9000-01-01T00:00:00.001Z"}, ("now", *STOPS)),
        ("8999-12-31T23:59:59Z", {"advanceSeconds": 2}, ("advanceSeconds", *STOPS)),
    ],
)
def test_a_refused_clock_change_names_what_is_wrong(
    api: SpecClient, start: str | None, change: dict[str, Any], item: tuple[Any, ...]
) -> None:
    if start is not None:
        assert api.control("POST", "clock", json={"now": start}).status_code == 200
    [found] = api.control("POST", "clock", json=change).json()["validationErrors"]
    assert (found["path"], found["type"], found["message"], found["context"]) == item


WALL_TIMES = ["2026-03-04T01:43:17.250Z", "2027-06-06T23:30:00Z", "2026-01-31T04:44:00Z"]


@pytest.mark.parametrize("wall", WALL_TIMES)
def test_the_default_datasets_story_holds_at_any_start(
    make_api: Callable[..., SpecClient], wall: str
) -> None:
    """`--now now` at a fixed fake wall time: seconds ago stays seconds ago, scheduled backups
    sit on their cron minutes up to now, nothing expired is served, the newest Completed
    backup is the one kept."""
    now = datetime.fromisoformat(wall)
    api = make_api(load_default_dataset(now), now=wall)
    items = api.control("GET", "data").json()
    schedules = {s["id"]: s for s in items["schedules"]}
    backups = items["backups"]
    # The manual backup asked for 3.796 s before 12:00 was asked for 3.796 s before now.
    [asked] = [b for b in backups if b.get("description") == "before the release 4.3 rollout"]
    assert (asked["status"], parse(asked["requestedAt"])) == (
        "InProgress",
        now - timedelta(seconds=3.796),
    )
    for backup in backups:
        assert parse(backup["requestedAt"]) <= now
        assert "expiresAt" not in backup or parse(backup["expiresAt"]) > now
        schedule = schedules.get(backup.get("parentId", ""))
        if schedule is not None:
            at = ms(backup["requestedAt"])
            assert runs_between(schedule["schedule"], at - 1, at) == [at], backup
    for project in {s["projectId"] for s in schedules.values()}:
        mine = [b for b in backups if b["projectId"] == project]
        # Each schedule with a history made its last run up to now.
        for schedule in (s for s in schedules.values() if s["projectId"] == project):
            made = sorted(ms(b["requestedAt"]) for b in mine if b.get("parentId") == schedule["id"])
            if made:
                due = runs_between(schedule["schedule"], made[0] - 1, ms(wall))
                assert made[-1] == due[-1], schedule
        done = sorted(
            (b for b in mine if b["status"] == "Completed"),
            key=lambda b: (b["requestedAt"], b["id"]),
        )
        assert [b["id"] for b in mine if not b["deletable"]] == [b["id"] for b in done[-1:]]
    # The project without backups yet has made at most the runs of the day since.
    empty = [b for b in backups if b["projectId"].startswith("0a2b4c6d")]
    assert len(empty) <= 1


def test_the_default_dataset_is_as_written_at_its_own_now() -> None:
    assert load_default_dataset(DEFAULT_NOW) == load_default_dataset()
    written = load_default_dataset()
    assert len(written.backups) == 25
