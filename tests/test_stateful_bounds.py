"""The stateful surface stays bounded whatever a client repeats: the time queue holds a
small constant number of events per live backup, export, restore and schedule; a project
has a limited number of schedules; a long move of the clock never holds other clients.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from mockapi import Settings, create_app
from mockapi.backups.timeline import COMPACT_FACTOR, COMPACT_SLACK
from tests.conftest import table_dataset
from tests.support import TOKEN, SpecClient, backup_id, check_answer

BACKUPS = "/v2/projects/p-tbl001/backups"
SCHEDULES = "/v2/projects/p-tbl001/backup-schedules"


def one(n: int | str) -> str:
    return f"/v2/project-backups/{backup_id(n) if isinstance(n, int) else n}"


def queue_length(api: SpecClient) -> int:
    return len(api.app.mock.store.timeline)


def within_bound(api: SpecClient) -> bool:
    timeline = api.app.mock.store.timeline
    return len(timeline) <= COMPACT_FACTOR * timeline.guards + COMPACT_SLACK


def repeat_patches(api: SpecClient, times: int) -> None:
    for n in range(times):
        # A completed backup's expiry, moved again and again (each move plans an expiry).
        body = {"expirationTime": f"2026-0{3 + n % 6}-01T00:00:00Z"}
        assert api.patch(one(1), json=body).status_code == 204


def repeat_exports(api: SpecClient, times: int) -> None:
    for _ in range(times):
        assert api.post(one(2) + "/export", json={"format": "tar"}).status_code == 204
        assert api.delete(one(2) + "/export").status_code == 204


def repeat_schedules(api: SpecClient, times: int) -> None:
    for n in range(times):
        made = api.post(SCHEDULES, json={"schedule": f"{n % 60} 4 * * *", "ttl": "7d"})
        assert made.status_code == 201
        url = f"/v2/project-backup-schedules/{made.json()['id']}"
        assert api.patch(url, json={"schedule": f"{(n + 1) % 60} 5 * * *"}).status_code == 204
        assert api.delete(url).status_code == 204


def repeat_backups(api: SpecClient, times: int) -> None:
    for _ in range(times):
        created = api.post(BACKUPS, json={"expirationTime": "2026-03-01T00:00:00Z"})
        assert api.delete(one(created.json()["id"])).status_code == 204


@pytest.mark.parametrize(
    "repeat", [repeat_patches, repeat_exports, repeat_schedules, repeat_backups]
)
def test_the_time_queue_stays_bounded_however_often_a_plan_is_changed(
    api: SpecClient, repeat: Callable[[SpecClient, int], None]
) -> None:
    before = queue_length(api)
    repeat(api, 100)
    assert within_bound(api)
    # The table data plans a few dozen events; 100 changes add no more than the slack.
    assert queue_length(api) <= before + COMPACT_SLACK + 8
    # And what is still planned still happens: loaded running backup 7 completes.
    api.advance(10)
    assert api.get(one(7)).json()["status"] == "Completed"


def test_a_stale_expiry_is_never_done(api: SpecClient) -> None:
    assert api.patch(one(1), json={"expirationTime": "2026-02-01T00:00:00Z"}).status_code == 204
    assert api.patch(one(1), json={"expirationTime": "2026-03-01T00:00:00Z"}).status_code == 204
    api.advance(5 * 86_400)  # past the first, stale, expiry
    assert api.get(one(1)).status_code == 200
    api.advance(30 * 86_400)
    assert api.get(one(1)).status_code == 403


def schedule_body(n: int) -> dict[str, Any]:
    return {"schedule": f"{n} * * * *", "ttl": "7d"}


def test_a_project_has_at_most_the_configured_number_of_schedules(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api()
    # The system schedule counts: 19 more make 20, the default limit.
    for n in range(19):
        assert api.post(SCHEDULES, json=schedule_body(n)).status_code == 201
    refused = api.post(SCHEDULES, json=schedule_body(30))
    assert refused.status_code == 412
    assert refused.json()["type"] == "FailedPrecondition"
    assert refused.json()["message"] == (
        "a project has at most 20 backup schedules (--max-schedules-per-project)"
    )
    # Another project is not affected; and a smaller limit is a setting.
    assert (
        api.post("/v2/projects/p-tbl002/backup-schedules", json=schedule_body(1)).status_code == 201
    )
    small = make_api(max_schedules_per_project=2)
    assert small.post(SCHEDULES, json=schedule_body(1)).status_code == 201
    assert small.post(SCHEDULES, json=schedule_body(2)).status_code == 412


def test_a_long_clock_move_lets_other_requests_in_between_its_slices() -> None:
    """20 hourly schedules and a month's move: thousands of events, done in slices; a list
    asked for meanwhile is answered before the move ends, whole, from the data as it stands.
    """

    async def scenario() -> tuple[list[int], int]:
        app = create_app(Settings(clock="frozen"), table_dataset())
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://mock") as client:
            for n in range(19):
                made = await client.post(SCHEDULES, json=schedule_body(n), headers=TOKEN)
                assert made.status_code == 201
            move = asyncio.create_task(
                client.post("/_mockapi/clock", json={"advanceSeconds": 30 * 86_400})
            )
            totals: list[int] = []
            await asyncio.sleep(0)  # the move begins
            while not move.done():
                page = await client.get(f"{BACKUPS}?limit=5&sortOrder=newestFirst", headers=TOKEN)
                check_answer("GET", BACKUPS, page.status_code, page.headers, page.content)
                total = int(page.headers["x-pagination-totalcount"])
                assert len(page.json()) == min(5, total)  # a whole page
                totals.append(total)
                await asyncio.sleep(0)  # a client's think time: the loop may turn
            assert (await move).status_code == 200
            final = await client.get(f"{BACKUPS}?limit=1", headers=TOKEN)
            return totals, int(final.headers["x-pagination-totalcount"])

    totals, final = asyncio.run(scenario())
    assert len(totals) >= 3  # answered while the move went on
    assert totals[0] != final  # from the data as it stood, not after the move
