"""The real `mockapi` process: ready line, HTTP, environment, workers, clean stops.

Waiting is on events (a line printed, a count in /_mockapi/health, a process ending);
timeouts below are upper bounds for a broken build, never timing claims.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest

from mockapi.data.progress import progress_reporter
from mockapi.settings import Settings
from tests.support import check_answer, child_env, imported_after

MOCKAPI = [str(Path(sys.executable).parent / "mockapi")]
READY = re.compile(
    r"^mockapi (\S+) serving ([\d,]+) projects? (?:\((.+?)\))?, ([\d,]+) backups? \((.+)\) at "
    r"(http://\S+)"
)


class Running:
    """A started mockapi process and what its ready line said."""

    def __init__(self, process: subprocess.Popen[str], line: str) -> None:
        self.process = process
        self.line = line
        match = READY.match(line)
        assert match, line
        self.version = match[1]
        self.projects, self.backups = int(match[2].replace(",", "")), int(match[4].replace(",", ""))
        self.shorts, self.origin, self.url = match[3] or "", match[5], match[6]

    def health(self) -> dict[str, int]:
        return dict(httpx2.get(f"{self.url}/_mockapi/health", timeout=10).json())


def start(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, access_log: bool = False
) -> Running:
    # Without a reader of stdout, a pipe full of access lines would stall the server.
    quiet = [] if access_log or "--log-format" in args else ["--no-access-log"]
    process = subprocess.Popen(
        [*MOCKAPI, *args, *quiet],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(env),
        start_new_session=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(10)
        pytest.fail(f"mockapi did not start: {process.stderr.read() if process.stderr else ''}")
    return Running(process, line)


def wait_for(condition: Callable[[], bool], what: str, bound_s: float = 30) -> None:
    """Poll until `condition` holds (an event), failing after an upper bound."""
    deadline = time.monotonic() + bound_s
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


@pytest.fixture
def running() -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for item in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(item.process.pid, signal.SIGKILL)
        item.process.communicate(timeout=10)  # also closes the pipes


API_CLIENT = """
import urllib.request
from mockapi import MockServer, Settings
with MockServer(Settings()) as server:
    for path in {paths!r}:
        asked = urllib.request.Request(server.url + path, headers={{"x-access-token": "t"}})
        assert urllib.request.urlopen(asked).status == 200
"""


@pytest.mark.parametrize(
    ("paths", "web_framework"),
    [
        (["/v2/projects", "/v2/projects/p-kbuygq/backups"], set()),
        (["/v2/projects", "/_mockapi/health"], {"fastapi"}),
    ],
)
def test_fastapi_comes_with_the_first_request_outside_the_api(
    paths: list[str], web_framework: set[str]
) -> None:
    # Importing FastAPI and building the control API's routes is a quarter of a start: a
    # client of the API alone never waits for them.
    assert imported_after(API_CLIENT.format(paths=paths), {"fastapi"}) == web_framework


def test_serve_from_any_folder_answers_over_http(tmp_path: Path, running: list[Running]) -> None:
    from mockapi import __version__

    server = start(["serve", "--port", "0"], cwd=tmp_path)
    running.append(server)
    assert (server.projects, server.backups) == (3, 25)
    assert server.version == __version__
    assert server.shorts == "p-kbuygq, p-4x9zt2, p-n3wpr0"
    assert server.origin == "built-in default dataset"
    assert (
        f" | docs: {server.url}/docs | clock running, now 2026-01-30T12:00:00.000Z" in server.line
    )
    curl_url = re.search(r"'(http://[^']+)'", server.line)
    assert curl_url
    response = httpx2.get(curl_url[1], headers={"x-access-token": "demo"})
    assert response.status_code == 200
    check_answer("GET", curl_url[1], 200, response.headers, response.content)
    assert server.health()["status"] == "ok"


def test_ready_line_stays_short_with_many_projects(tmp_path: Path, running: list[Running]) -> None:
    server = start(["--port", "0", "--seed", "1", "--projects", "40"], cwd=tmp_path)
    running.append(server)
    assert server.projects == 40
    assert server.shorts.count("p-") == 5
    assert f"and 35 more (GET {server.url}/_mockapi/projects)" in server.shorts
    assert len(server.line) < 400


def test_ready_line_says_one_project_not_one_projects(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(["--port", "0", "--seed", "1", "--projects", "1"], cwd=tmp_path)
    running.append(server)
    assert " serving 1 project (" in server.line


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_ctrl_c(
    tmp_path: Path, running: list[Running], stop: signal.Signals
) -> None:
    server = start(["--port", "0"], cwd=tmp_path)
    running.append(server)
    assert server.health()["status"] == "ok"
    server.process.send_signal(stop)
    _, errors = server.process.communicate(timeout=10)
    assert server.process.returncode == 0
    assert "Traceback" not in errors


def test_python_dash_m_and_environment_variables(tmp_path: Path, running: list[Running]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockapi"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **child_env(),
            "MOCKAPI_PORT": "0",
            "MOCKAPI_SEED": "3",
            "MOCKAPI_PROJECTS": "2",
            "MOCKAPI_BACKUPS_PER_PROJECT": "10",
            "MOCKAPI_TOKENS": "secret-1,secret-2",
            "MOCKAPI_UNKNOWN_PROJECT": "not-found",
            "MOCKAPI_ACCESS_LOG": "false",
        },
        start_new_session=True,
    )
    assert process.stdout is not None
    server = Running(process, process.stdout.readline())
    running.append(server)
    assert (server.projects, server.backups) == (2, 20)
    url = f"{server.url}/v2/projects/p-zzzzzz/backups"
    assert httpx2.get(url, headers={"x-access-token": "secret-2"}).status_code == 404
    assert httpx2.get(url, headers={"x-access-token": "other"}).status_code == 401
    assert "secret" not in server.line
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert "secret" not in out + err


def test_a_misspelt_variable_is_warned_about_by_its_closest_name(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(["--port", "0"], cwd=tmp_path, env={"MOCKAPI_SEEED": "1"})
    running.append(server)
    server.process.terminate()
    _, errors = server.process.communicate(timeout=10)
    assert "mockapi: MOCKAPI_SEEED is not a mockapi setting; did you mean MOCKAPI_SEED?" in errors


def test_access_log_lines_carry_rfc3339_times_as_text_or_json(
    tmp_path: Path, running: list[Running]
) -> None:
    for log_format in ("text", "json"):
        server = start(["--port", "0", "--log-format", log_format], cwd=tmp_path)
        running.append(server)
        url = f"{server.url}/v2/projects/p-kbuygq/backups?limit=1"
        for _ in range(3):
            assert httpx2.get(url, headers={"x-access-token": "secret-t"}).status_code == 200
        server.process.terminate()
        out, _ = server.process.communicate(timeout=10)
        lines = [line for line in out.splitlines() if "/v2/projects" in line]
        assert len(lines) == 3  # complete, once each
        stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
        for line in lines:
            assert "secret-t" not in line
            if log_format == "json":
                entry = json.loads(line)
                assert stamp.fullmatch(entry["time"]) and entry["status"] == 200
                assert entry["target"] == "/v2/projects/p-kbuygq/backups?limit=1"
            else:
                assert stamp.match(line) and line.endswith('/backups?limit=1" 200')


def test_invalid_fixture_stops_startup_and_serves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "aaaaaaaa-0000-4000-8000-000000000001", "status": 3}]))
    result = subprocess.run(
        [*MOCKAPI, "serve", "--port", "0", "--fixtures", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
        env=child_env(),
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert all(line.startswith(f"mockapi: {bad}: backup item 0 (id aaaaaaaa-") for line in lines)
    assert any("'status'" in line for line in lines)
    assert any("'projectId'" in line for line in lines)


def test_help_documents_every_option_and_its_variable() -> None:
    result = subprocess.run([*MOCKAPI, "serve", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    for name in Settings.model_fields:
        assert f"--{name.replace('_', '-')}" in help_text
        assert f"MOCKAPI_{name.upper()}" in help_text


def children_of(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_workers_all_answer_identical_data_and_stop_together(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(
        ["--port", "0", "--workers", "2", "--seed", "4", "--backups-per-project", "200"],
        cwd=tmp_path,
    )
    running.append(server)
    assert server.line.rstrip().endswith("2 workers, read-only API")
    wait_for(lambda: len(children_of(server.process.pid)) == 2, "two workers forked")
    workers = children_of(server.process.pid)
    short = server.line.split("/v2/projects/")[1].split("/")[0]
    url = f"{server.url}/v2/projects/{short}/backups?limit=7&page=3"
    bodies, answered_by = set(), set()
    while answered_by != set(workers):  # fresh connections: the kernel spreads them
        answered_by.add(server.health()["pid"])
        response = httpx2.get(url, headers={"x-access-token": "t"})
        assert response.status_code == 200
        bodies.add(response.content)
    assert len(bodies) == 1
    write = httpx2.post(
        f"{server.url}/v2/projects/{short}/backups",
        json={"expirationTime": "2026-03-01T00:00:00Z"},
        headers={"x-access-token": "t"},
    )
    assert write.status_code == 409
    assert "read-only" in write.json()["message"]
    server.process.send_signal(signal.SIGTERM)
    _, errors = server.process.communicate(timeout=15)
    assert server.process.returncode == 0, errors
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )


def test_a_dying_worker_is_logged_and_replaced(tmp_path: Path, running: list[Running]) -> None:
    server = start(["--port", "0", "--workers", "2"], cwd=tmp_path)
    running.append(server)
    wait_for(lambda: len(children_of(server.process.pid)) == 2, "two workers forked")
    victim = children_of(server.process.pid)[0]
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: (
            len(children_of(server.process.pid)) == 2
            and victim not in children_of(server.process.pid)
        ),
        "a new worker in its place",
    )
    assert server.health()["status"] == "ok"
    server.process.send_signal(signal.SIGTERM)
    _, errors = server.process.communicate(timeout=15)
    assert f"(pid {victim}) killed by signal 9 (SIGKILL); starting a new worker" in errors
    assert server.process.returncode == 0


def test_sigterm_lets_in_flight_requests_finish(tmp_path: Path, running: list[Running]) -> None:
    server = start(["--port", "0"], cwd=tmp_path)
    running.append(server)
    url = f"{server.url}/v2/projects/p-kbuygq/backups?limit=3"
    statuses: list[int] = []

    def slow_request() -> None:
        headers = {"x-access-token": "t", "Prefer": "delay=1000"}
        statuses.append(httpx2.get(url, headers=headers, timeout=30).status_code)

    threads = [threading.Thread(target=slow_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    wait_for(lambda: server.health()["inFlight"] == 8, "eight requests in flight")
    server.process.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(30)
    _, errors = server.process.communicate(timeout=15)
    assert statuses == [200] * 8
    assert server.process.returncode == 0, errors


def test_a_request_still_running_at_the_end_of_the_grace_period_gets_a_json_503(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(["--port", "0", "--timeout-graceful-shutdown", "0"], cwd=tmp_path)
    running.append(server)
    url = f"{server.url}/v2/projects/p-kbuygq/backups"
    answers: list[httpx2.Response] = []

    def stuck_request() -> None:
        headers = {"x-access-token": "t", "Prefer": "delay=60000"}
        answers.append(httpx2.get(url, headers=headers, timeout=30))

    thread = threading.Thread(target=stuck_request)
    thread.start()
    wait_for(lambda: server.health()["inFlight"] == 1, "the request in flight")
    server.process.send_signal(signal.SIGTERM)
    thread.join(30)
    _, errors = server.process.communicate(timeout=15)
    [answer] = answers
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["type"] == "ServiceUnavailable"
    assert "stopping" in answer.json()["message"]
    assert "Traceback" not in errors


# Long enough (300,000 backups, a few seconds) for the progress line to appear.
BIG_GENERATION = ["generate", "--seed", "1", "--projects", "10", "--backups-per-project", "30000"]


def test_long_generation_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    primary, secondary = os.openpty()
    try:
        result = subprocess.run(
            [*MOCKAPI, *BIG_GENERATION, "-o", str(tmp_path / "big.json")],
            stderr=secondary,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    assert result.returncode == 0
    assert "generating backups 300,000/300,000" in b"".join(chunks).decode()


def test_no_progress_lines_when_not_a_terminal() -> None:
    # A pipe or a file (not a terminal) gets no progress, even past the first second.
    stream = io.StringIO()
    report = progress_reporter(stream, 300_000)
    report(1)
    time.sleep(1.05)
    report(300_000)
    assert stream.getvalue() == ""


def test_watch_reloads_a_valid_edit_and_keeps_the_old_data_on_a_bad_one(
    tmp_path: Path, running: list[Running]
) -> None:
    folder = tmp_path / "fixtures"
    folder.mkdir()
    plain = Path(__file__).parent.parent / "fixtures" / "plain-array-p-4x9zt2.json"
    backups = json.loads(plain.read_text())
    (folder / "mine.json").write_text(json.dumps(backups[:2]))
    server = start(["--port", "0", "--watch", "--fixtures", str(folder)], cwd=tmp_path)
    running.append(server)
    assert server.backups == 2
    (folder / "mine.json").write_text(json.dumps(backups))
    wait_for(lambda: server.health()["backups"] == 5, "the valid edit reloaded")
    (folder / "mine.json").write_text(json.dumps([{**backups[0], "status": None}]))
    (folder / "marker.json").write_text(json.dumps(backups[:0]))
    wait_for(lambda: _stderr_has(server, "reload refused"), "the refused reload logged")
    assert server.health()["backups"] == 5
    server.process.terminate()
    _, errors = server.process.communicate(timeout=10)
    logged = getattr(server, "seen", "") + errors
    assert "mine.json: backup item 0" in logged and "'status' is null" in logged


def _stderr_has(server: Running, text: str) -> bool:
    import select

    assert server.process.stderr is not None
    ready, _, _ = select.select([server.process.stderr], [], [], 0)
    if ready:
        server.seen = (
            getattr(server, "seen", "") + os.read(server.process.stderr.fileno(), 65536).decode()
        )
    return text in getattr(server, "seen", "")
