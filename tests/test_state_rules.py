"""Rules of the running state: what a reset, a reload, the clock's bounds and a snapshot keep.

Each test names a rule a client or a test suite relies on; real HTTP where it matters.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mockapi import MockServer, Settings, create_app
from mockapi.backups.clock import ClockError
from mockapi.backups.dataset import Dataset, ProjectInfo
from mockapi.data.loading import load_default_dataset
from mockapi.timestamps import format_epoch_ms, format_timestamp
from mockapi.watch import reload_once
from tests.support import TOKEN, SpecClient, backup_id

DAY_S = 86_400
BLOG = "7c9e4b21-5d3a-4f86-a1e0-6b8d2c4f9e37"


def test_a_request_waiting_across_a_reset_changes_nothing_after_it() -> None:
    with MockServer(Settings(), load_default_dataset()) as server:
        client = httpx2.Client(base_url=server.url, headers=TOKEN, timeout=30)
        older = [b for b in client.get("/v2/projects/p-kbuygq/backups").json() if b["deletable"]]
        victim = older[0]["id"]
        answers: list[httpx2.Response] = []

        def delete_after_a_delay() -> None:
            headers = {**TOKEN, "Prefer": "delay=1500"}
            answers.append(client.delete(f"/v2/project-backups/{victim}", headers=headers))

        thread = threading.Thread(target=delete_after_a_delay)
        thread.start()
        while client.get("/_mockapi/health").json()["inFlight"] == 0:
            pass  # the delete is waiting inside the server
        server.reset()
        thread.join(30)
        assert answers[0].status_code == 409
        assert "reset" in answers[0].json()["message"]
        assert client.get(f"/v2/project-backups/{victim}").status_code == 200
        assert [e["method"] for e in server.journal()] == ["GET"]
        client.close()


@pytest.mark.parametrize(
    "body",
    [{"now": "9999-12-20T00:00:00Z"}, {"now": "9000-01-01T00:00:00.001Z"}],
)
def test_the_clock_stops_short_of_the_year_9000_and_nothing_breaks(
    api: SpecClient, body: dict[str, Any]
) -> None:
    refused = api.control("POST", "clock", json=body)
    assert refused.status_code == 400
    [item] = refused.json()["validationErrors"]
    assert (item["path"], item["type"]) == ("now", "maximum")
    assert api.get("/v2/projects/p-tbl001/backups").status_code == 200
    assert api.control("POST", "clock", json={"now": "8999-12-31T00:00:00Z"}).status_code == 200
    assert api.control("POST", "clock", json={"advanceSeconds": 2 * DAY_S}).status_code == 400
    assert api.get("/v2/projects/p-tbl001/backups").status_code == 200


def test_a_time_without_a_zone_is_refused_by_settings_and_the_handle() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        Settings(now=datetime(2026, 1, 1))
    with MockServer() as server, pytest.raises(ClockError, match="no time zone"):
        server.set_now(datetime(2026, 3, 1))


@pytest.mark.parametrize(
    ("when", "now"),
    [
        ("2026-01-30T12:00:00.500Z", "2026-01-30T12:00:00.500Z"),
        ("2026-01-30T14:00:00+02:00", "2026-01-30T12:00:00.000Z"),
        (datetime(2026, 1, 31, tzinfo=UTC), "2026-01-31T00:00:00.000Z"),
    ],
)
def test_the_handle_sets_now_from_a_datetime_or_rfc_3339_text(
    when: datetime | str, now: str
) -> None:
    with MockServer() as server:
        server.set_now(when)
        assert format_timestamp(server.now()) == now
        assert httpx2.get(server.url_for("/_mockapi/clock")).json()["now"] == now


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("next tuesday", "'next tuesday' is not an RFC 3339 time; give one such as"),
        ("2026-03-01T00:00:00", "has no time zone"),
    ],
)
def test_the_handle_refuses_text_that_is_no_time_with_a_zone(when: str, message: str) -> None:
    with MockServer() as server, pytest.raises(ClockError, match=message):
        server.set_now(when)


def test_url_for_names_a_path_on_the_server() -> None:
    with MockServer() as server:
        assert server.url_for("/v2/projects/p-kbuygq") == f"{server.url}/v2/projects/p-kbuygq"
        assert server.url_for("_mockapi/health") == f"{server.url}/_mockapi/health"
        assert httpx2.get(server.url_for("_mockapi/health")).status_code == 200


def test_the_handle_never_moves_the_clock_backwards() -> None:
    with MockServer() as server, pytest.raises(ClockError) as refused:
        server.advance_clock(-1)
    assert str(refused.value) == "time never moves backwards: advanceSeconds must be >= 0"


def listing(api: SpecClient) -> list[dict[str, Any]]:
    return list(api.get("/v2/projects/p-kbuygq/backups").json())


def test_after_a_reload_a_reset_gives_what_the_same_startup_would(
    make_api: Callable[..., SpecClient], tmp_path: Path
) -> None:
    plain = Path(__file__).parent.parent / "fixtures" / "generated-seed-7.json"
    settings = {"fixtures": [plain]}
    reloaded, fresh = make_api(None, **settings), make_api(None, **settings)
    reloaded.advance(20 * DAY_S)
    assert asyncio.run(reload_once(Settings(clock="frozen", **settings), reloaded.app.mock))
    for api in (reloaded, fresh):
        api.control("POST", "reset")
        api.advance(40 * DAY_S)
    short = reloaded.app.mock.projects()[0].short_id
    path = f"/v2/projects/{short}/backups"
    assert reloaded.get(path).json() == fresh.get(path).json()


def test_scheduled_backups_are_the_same_however_the_clock_gets_there(
    make_api: Callable[..., SpecClient],
) -> None:
    once, daily = make_api(None), make_api(None)
    once.advance(40 * DAY_S)
    for _ in range(40):
        daily.advance(DAY_S)
    assert listing(once) == listing(daily)


def test_many_backups_expiring_in_one_jump_leave_exactly_the_others(
    make_api: Callable[..., SpecClient],
) -> None:
    project = "55555555-0000-4000-8000-000000000001"
    start = 1_769_774_400_000  # the clock's start
    backups = [
        {
            "createdAt": format_epoch_ms(start - DAY_S * 1000 + n),
            "deletable": True,
            "expiresAt": format_epoch_ms(start + (n + 1) * 60_000),
            "id": backup_id(n),
            "projectId": project,
            "requestedAt": format_epoch_ms(start - DAY_S * 1000 + n),
            "status": "Completed",
        }
        for n in range(300)
    ]
    dataset = Dataset((ProjectInfo(project, "p-expire"),), tuple(backups))
    api = make_api(dataset)
    api.advance(200 * 60)  # the first 200 expire, one a minute
    listed = api.get("/v2/projects/p-expire/backups").json()
    assert [b["id"] for b in listed] == [backup_id(n) for n in range(200, 300)]
    assert [b["deletable"] for b in listed][-2:] == [True, True]  # loaded flags kept


def test_added_backups_make_the_newest_of_a_served_project_the_one_kept(
    api: SpecClient,
) -> None:
    created = api.post(
        "/v2/projects/p-tbl001/backups", json={"expirationTime": "2026-03-01T00:00:00Z"}
    ).json()
    later = {
        "id": "66666666-0000-4000-8000-000000000001",
        "projectId": "11111111-1111-4111-8111-111111111111",
        "requestedAt": "2026-01-30T13:00:00.000Z",
        "status": "Completed",
        "deletable": True,
    }
    assert api.control("POST", "data", json=[later]).status_code == 200
    assert api.get(f"/v2/project-backups/{created['id']}").json()["deletable"] is True
    assert api.get(f"/v2/project-backups/{later['id']}").json()["deletable"] is False


def test_the_data_snapshot_is_taken_when_asked_for() -> None:
    app = create_app(Settings(clock="frozen"), load_default_dataset())
    store = app.mock.current()
    chunks = store.document_chunks()
    record = store.find("p-kbuygq")
    assert record is not None
    store.schedules.create(record, "0 5 * * *", "7d", "made after the snapshot")
    assert b"made after the snapshot" not in b"".join(chunks)


def test_an_unknown_dump_is_a_400_even_for_a_backup_not_restorable(api: SpecClient) -> None:
    running = backup_id(7)  # InProgress: a restore would be a 412
    body = {
        "databaseRestores": [
            {"databaseBackupDump": "nope", "targetDatabaseId": backup_id(99)},
        ]
    }
    response = api.post(f"/v2/project-backups/{running}/restore", json=body)
    assert response.status_code == 400


def test_schedules_of_an_unknown_project_are_empty_when_lists_are(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(unknown_project="empty")
    response = api.get("/v2/projects/p-zzzzzz/backup-schedules")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("method", ["transport", "client"])
def test_the_in_process_clients_name_their_extra_when_httpx2_is_missing(
    method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = MockServer()
    try:
        monkeypatch.setitem(sys.modules, "httpx2", None)  # as if it were not installed
        with pytest.raises(ModuleNotFoundError, match=r"pip install 'mockapi\[inprocess\]'"):
            getattr(server, method)()
    finally:
        server.stop()
