"""--state-file: the state outlives the process (SIGTERM, kill -9), is written atomically,
and a file mockapi cannot use stops startup with one line naming it.

Real `mockapi serve` processes, waited on by events (the ready line, the file's content, the
process's end); the sleeps in the kill tests are the scenario's own, not timing claims.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest

from mockapi import MockServer, Settings
from mockapi.backups.clock import DEFAULT_NOW, ClockMode
from mockapi.data.statefile import StateFileError, read_state, write_atomically
from mockapi.timestamps import format_timestamp
from tests.support import check_answer, child_env
from tests.test_process import MOCKAPI, Running, running, start, wait_for

__all__ = ["running"]  # the process fixture, shared with test_process

TOKEN = {"x-access-token": "t"}
PROJECT = "p-kbuygq"  # of the built-in default dataset


def call(method: str, url: str, body: Any = None) -> httpx2.Response:
    response = httpx2.request(method, url, headers=TOKEN, json=body, timeout=30)
    check_answer(method, url, response.status_code, response.headers, response.content)
    return response


def saved(path: Path) -> dict[str, Any]:
    """The state file as written (it must always parse)."""
    return dict(orjson.loads(path.read_bytes()))


def saved_backup_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {b["id"] for b in saved(path)["sections"]["data"]["backups"]}


def serve(state: Path, tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Running:
    flags = [] if env else ["--state-file", str(state)]
    return start(["serve", "--port", "0", *flags, *args], cwd=tmp_path, env=env)


def stop(server: Running, how: signal.Signals) -> int:
    os.killpg(server.process.pid, how)
    return server.process.wait(30)


def test_a_restart_after_sigterm_keeps_a_created_backup_a_schedule_and_the_clock(
    tmp_path: Path, running: list[Running]
) -> None:
    state = tmp_path / "state.json"
    first = serve(state, tmp_path, "--clock", "frozen")
    running.append(first)
    assert first.origin == "built-in default dataset"
    backup = call(
        "POST",
        f"{first.url}/v2/projects/{PROJECT}/backups",
        {"description": "kept", "expirationTime": "2026-03-01T00:00:00Z"},
    ).json()["id"]
    schedule = call(
        "POST",
        f"{first.url}/v2/projects/{PROJECT}/backup-schedules",
        {"schedule": "30 4 * * *", "ttl": "10d", "description": "kept too"},
    ).json()["id"]
    moved = httpx2.post(f"{first.url}/_mockapi/clock", json={"advanceSeconds": 3600}).json()
    assert stop(first, signal.SIGTERM) == 0

    # The variable names the file this time.
    second = serve(state, tmp_path, env={"MOCKAPI_STATE_FILE": str(state)})
    running.append(second)
    assert second.origin.startswith("state file /")  # the ready line shortens long paths
    assert httpx2.get(f"{second.url}/_mockapi/clock").json() == moved
    found = call("GET", f"{second.url}/v2/project-backups/{backup}").json()
    assert (found["description"], found["status"]) == ("kept", "Completed")  # done meanwhile
    assert call("GET", f"{second.url}/v2/project-backup-schedules/{schedule}").json()[
        "description"
    ] == ("kept too")


def test_a_restart_keeps_stubs_and_the_resources_clients_made(
    tmp_path: Path, running: list[Running]
) -> None:
    state = tmp_path / "state.json"
    first = serve(state, tmp_path, "--clock", "frozen")
    running.append(first)
    databases = f"{first.url}/v2/projects/{PROJECT}/mysql-databases"
    before = call("GET", databases).json()
    made = call(
        "POST",
        databases,
        {
            "database": {"description": "kept across restarts", "version": "8.0"},
            "user": {"accessLevel": "full", "password": "Secret-1234"},
        },
    ).json()["id"]
    gone = before[0]["id"]
    assert call("DELETE", f"{first.url}/v2/mysql-databases/{gone}").status_code == 204
    stub = {"request": {"path": "/v2/users/self"}, "response": {"status": 503}}
    assert httpx2.post(f"{first.url}/_mockapi/stubs", json=stub).status_code == 201
    assert stop(first, signal.SIGTERM) == 0

    second = serve(state, tmp_path)
    running.append(second)
    after = {
        d["id"]: d
        for d in call("GET", f"{second.url}/v2/projects/{PROJECT}/mysql-databases").json()
    }
    assert made in after and gone not in after
    assert after[made]["description"] == "kept across restarts"
    assert httpx2.get(f"{second.url}/v2/users/self", headers=TOKEN).status_code == 503


def test_a_kill_9_two_seconds_after_a_change_keeps_the_change(
    tmp_path: Path, running: list[Running]
) -> None:
    state = tmp_path / "state.json"
    first = serve(state, tmp_path)
    running.append(first)
    wait_for(state.exists, "the first write, of the startup state")
    backup = call(
        "POST",
        f"{first.url}/v2/projects/{PROJECT}/backups",
        {"expirationTime": "2026-03-01T00:00:00Z"},
    ).json()["id"]
    time.sleep(2)
    assert stop(first, signal.SIGKILL) == -signal.SIGKILL
    second = serve(state, tmp_path)
    running.append(second)
    assert call("GET", f"{second.url}/v2/project-backups/{backup}").status_code == 200


def test_reset_serves_the_startup_data_again_and_keeps_that(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    settings = Settings(state_file=state, clock=ClockMode.FROZEN)
    with MockServer(settings) as server:
        backups = len(server.state.current().records.backups)
        server.add_backups(
            [
                {
                    "id": "00000000-0000-4000-8000-000000000001",
                    "projectId": server.projects()[0].id,
                    "requestedAt": "2026-01-29T03:00:00Z",
                    "status": "Completed",
                    "deletable": True,
                }
            ]
        )
        server.advance_clock(60)
        server.reset()
    assert len(saved_backup_ids(state)) == backups
    assert saved(state)["sections"]["clock"] == {
        "now": "2026-01-30T12:00:00.000Z",
        "mode": "frozen",
    }


def test_the_state_file_wins_over_the_startup_data_until_a_reset(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with MockServer(Settings(state_file=state)) as server:
        server.use_generated(seed=3, projects=1, backups_per_project=4)
        server.advance_clock(86_400)
        generated = {p.short_id for p in server.projects()}
    with MockServer(Settings(state_file=state)) as server:
        assert {p.short_id for p in server.projects()} == generated
        assert server.now() == DEFAULT_NOW + timedelta(days=1)
        server.reset()
        assert PROJECT in {p.short_id for p in server.projects()}
        assert server.now() == DEFAULT_NOW


def write_state(path: Path, sections: dict[str, Any], saved_at: datetime = DEFAULT_NOW) -> None:
    document = {
        "format": "mockapi-state",
        "version": 1,
        "savedAt": format_timestamp(saved_at),
        "sections": sections,
    }
    path.write_bytes(orjson.dumps(document))


def test_a_missing_section_starts_as_at_startup_and_an_unknown_one_is_kept(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.json"
    later = [{"a section of a newer mockapi": True}]
    clock = {"now": "2026-02-02T00:00:00.000Z", "mode": "frozen"}
    write_state(state, {"clock": clock, "later": later})
    with MockServer(Settings(state_file=state)) as server:
        assert server.now() == datetime(2026, 2, 2, tzinfo=UTC)
        assert PROJECT in {p.short_id for p in server.projects()}  # no data: the startup data
        server.advance_clock(1)
    written = saved(state)["sections"]
    assert written["later"] == later
    assert written["clock"]["now"] == "2026-02-02T00:00:01.000Z"
    assert "data" in written


def test_a_running_clock_counts_the_time_the_mock_was_stopped(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    clock = {"now": "2026-02-02T00:00:00.000Z", "mode": "running"}
    write_state(state, {"clock": clock}, saved_at=datetime.now(UTC) - timedelta(hours=1))
    with MockServer(Settings(state_file=state)) as server:
        assert server.now() >= datetime(2026, 2, 2, 1, tzinfo=UTC)
        assert server.now() < datetime(2026, 2, 2, 2, tzinfo=UTC)
        assert server.state.clock.mode is ClockMode.RUNNING


def foreign(path: Path) -> str:
    return (
        f'mockapi: {path}: not a mockapi state file (no "format": "mockapi-state"); mockapi '
        "never overwrites a file it did not write (give --state-file a path of its own)"
    )


AFRESH = "move it away or delete it to start afresh"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "mockapi-state", "vers', "not valid JSON (unexpected end of data: line 1"),
        (b"", f"empty: not a mockapi state file ({AFRESH})"),
        (b'{"projects": [], "backups": []}', None),
        (b"[1, 2]", None),
        (
            b'{"format": "mockapi-state", "version": 7, "savedAt": "2026-01-30T12:00:00Z", '
            b'"sections": {}}',
            "written by a newer mockapi (state format 7; this one reads 1): upgrade mockapi, "
            f"or {AFRESH}",
        ),
        (
            b'{"format": "mockapi-state", "version": 1, "savedAt": "2026-01-30T12:00:00Z", '
            b'"sections": {"data": {"backups": [{"id": "x"}]}}}',
            "section 'data': backup item 0 (id x): field 'deletable': required field is missing",
        ),
        (
            b'{"format": "mockapi-state", "version": 1, "savedAt": "2026-01-30T12:00:00Z", '
            b'"sections": {"clock": {"now": "2026-01-30T12:00:00Z", "mode": "sideways"}}}',
            f"section 'clock': mode must be one of running, frozen ({AFRESH})",
        ),
    ],
    ids=["truncated", "empty", "fixture-file", "other-json", "newer", "bad-data", "bad-clock"],
)
def test_a_file_mockapi_cannot_use_stops_startup_with_one_line_naming_it(
    content: bytes, message: str | None, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    done = subprocess.run(
        [*MOCKAPI, "serve", "--port", "0", "--state-file", str(state)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(),
    )
    assert done.returncode == 2
    assert done.stdout == ""  # no ready line: nothing served
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    expected = foreign(state) if message is None else f"mockapi: {state}: {message}"
    assert lines[0].startswith(expected), lines[0]
    assert state.read_bytes() == content  # never overwritten


def test_a_second_mock_on_the_same_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with (
        MockServer(Settings(state_file=state)),
        pytest.raises(StateFileError, match="in use by another running mockapi"),
    ):
        MockServer(Settings(state_file=state))
    with MockServer(Settings(state_file=state)):  # free again once the first stopped
        pass


def test_several_workers_refuse_a_state_file() -> None:
    with pytest.raises(ValueError, match="--state-file would keep nothing"):
        Settings(workers=2, state_file=Path("state.json"))


# A writer that stops between its chunks until told to go on: the parent kills it there.
WRITER = """
import sys
from pathlib import Path
from mockapi.data.statefile import write_atomically

def chunks():
    yield b'{"new": ['
    print("writing", flush=True)
    sys.stdin.readline()
    yield b'1]}'

write_atomically(Path(sys.argv[1]), chunks())
print("written", flush=True)
sys.stdin.readline()
"""


@pytest.mark.parametrize(
    ("moment", "expected"), [("writing", b"old"), ("written", b'{"new": [1]}')]
)
def test_a_kill_during_or_after_a_write_leaves_the_old_or_the_new_file(
    moment: str, expected: bytes, tmp_path: Path
) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "writing"
    if moment == "written":
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "written"
    writer.kill()
    writer.communicate(timeout=30)
    assert target.read_bytes() == expected


# CI's long run kills more often: MOCKAPI_KILL_ROUNDS=8 pytest tests/test_state_file.py
KILL_ROUNDS = int(os.environ.get("MOCKAPI_KILL_ROUNDS", "2"))


def test_kill_9_at_random_moments_of_busy_writing_never_leaves_a_broken_file(
    tmp_path: Path, running: list[Running]
) -> None:
    # 20,000 backups make each write take a while; a client changes something all the time,
    # so the writer is often busy when the kill comes (the kill in the middle of a write is
    # made certain by the test above; this one is the whole server).
    state = tmp_path / "state.json"
    size = ["--seed", "5", "--projects", "2", "--backups-per-project", "10000"]
    for attempt in range(KILL_ROUNDS):
        server = serve(state, tmp_path, *size)
        running.append(server)
        if attempt == 0:
            # A file on disk first, so that every kill can meet one being replaced (on a
            # loaded machine the first write may otherwise not end before the kill).
            wait_for(state.exists, "the first write")
        with httpx2.Client(base_url=server.url, headers=TOKEN) as client:
            deadline = time.monotonic() + 0.5 + attempt * 0.23
            while time.monotonic() < deadline:
                client.post("/_mockapi/clock", json={"advanceSeconds": 1})
        stop(server, signal.SIGKILL)
        read_state(state)  # parses and validates, or raises
    assert "clock" in saved(state)["sections"]


def test_write_atomically_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    assert write_atomically(target, [b"[", b"1", b"]"]) == 3
    assert json.loads(target.read_bytes()) == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_state_file_in_a_missing_folder_stops_startup(tmp_path: Path) -> None:
    state = tmp_path / "missing" / "state.json"
    with pytest.raises(StateFileError, match="the folder must exist and be writable"):
        MockServer(Settings(state_file=state))


def test_the_file_is_written_within_a_second_of_a_change(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with MockServer(Settings(state_file=state)) as server:
        wait_for(state.exists, "the first write")
        server.advance_clock(5)
        wait_for(
            lambda: saved(state)["sections"]["clock"]["now"] == "2026-01-30T12:00:05.000Z",
            "the clock's change on disk",
            bound_s=10,
        )
