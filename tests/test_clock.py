"""The mock's clock: running or frozen, moved only forwards, and demo dates that are recent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from mockapi import Settings, create_app
from tests.support import SpecClient


def test_the_default_now_is_fixed_so_tests_never_drift(api: SpecClient) -> None:
    assert api.control("GET", "clock").json() == {
        "now": "2026-01-30T12:00:00.000Z",
        "mode": "frozen",
    }


def test_serve_runs_the_clock_and_code_freezes_it() -> None:
    assert Settings().clock == "running"
    from mockapi import MockServer

    with MockServer() as server:
        assert server.state.clock_state()["mode"] == "frozen"


@pytest.mark.parametrize(
    ("body", "now"),
    [
        ({"advanceSeconds": 90}, "2026-01-30T12:01:30.000Z"),
        ({"now": "2026-02-01T00:00:00Z"}, "2026-02-01T00:00:00.000Z"),
        ({"now": "2026-02-01T01:00:00+01:00"}, "2026-02-01T00:00:00.000Z"),
    ],
)
def test_the_clock_moves_forward_when_told(
    api: SpecClient, body: dict[str, object], now: str
) -> None:
    answer = api.control("POST", "clock", json=body)
    assert answer.status_code == 200
    assert answer.json()["now"] == now
    assert api.get("/v2/projects/p-tbl001/backups").headers["date"] == datetime.fromisoformat(
        now
    ).strftime("%a, %d %b %Y %H:%M:%S GMT")


@pytest.mark.parametrize(
    "body",
    [
        {"now": "2026-01-01T00:00:00Z"},
        {"advanceSeconds": -1},
        {},
        {"advanceSeconds": 1, "now": "2027-01-01T00:00:00Z"},
        {"now": "tomorrow-ish"},
    ],
)
def test_time_never_moves_backwards_and_bad_input_is_a_400(
    api: SpecClient, body: dict[str, object]
) -> None:
    answer = api.control("POST", "clock", json=body)
    assert answer.status_code == 400
    assert api.control("GET", "clock").json()["now"] == "2026-01-30T12:00:00.000Z"


def test_reset_brings_the_start_time_back(api: SpecClient) -> None:
    api.advance(3600)
    api.control("POST", "reset")
    assert api.control("GET", "clock").json()["now"] == "2026-01-30T12:00:00.000Z"


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


def test_fixture_files_keep_their_dates_whatever_now_says(tmp_path: object) -> None:
    from pathlib import Path

    plain = Path(__file__).parent.parent / "fixtures" / "plain-array-p-4x9zt2.json"
    app = create_app(Settings(fixtures=[plain], now="today", clock="frozen"))
    newest = max(b for b in app.mock.store.to_dataset().backups for b in [b["requestedAt"]])
    assert newest.startswith("2026-01-30")


@pytest.mark.parametrize(
    ("now", "kind"),
    [
        ("tomorrow-ish", "format"),
        ("2026-01-30T12:00:00", "format"),
        ("2025-01-01T00:00:00Z", "minimum"),
    ],
)
def test_a_refused_clock_change_names_what_is_wrong(api: SpecClient, now: str, kind: str) -> None:
    [item] = api.control("POST", "clock", json={"now": now}).json()["validationErrors"]
    assert (item["path"], item["type"]) == ("now", kind)
