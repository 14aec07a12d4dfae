"""The real `mockapi` process: start-up line, HTTP, env configuration, clean stops."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from mockapi.settings import Settings
from tests.support import check_answer

MOCKAPI = [str(Path(sys.executable).parent / "mockapi")]
READY = re.compile(r"^mockapi serving (\d+) projects, (\d+) backups \((.+)\) at (http://\S+)")


class Running:
    """A started mockapi process and what its ready line said."""

    def __init__(self, process: subprocess.Popen[str], line: str) -> None:
        self.process = process
        self.line = line
        match = READY.match(line)
        assert match, line
        self.projects, self.backups = int(match[1]), int(match[2])
        self.origin, self.url = match[3], match[4]


def start(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Running:
    process = subprocess.Popen(
        [*MOCKAPI, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(10)
        pytest.fail(f"mockapi did not start: {process.stderr.read() if process.stderr else ''}")
    return Running(process, line)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for item in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(item.process.pid, signal.SIGKILL)
        item.process.communicate(timeout=10)  # also closes the pipes


def test_serve_from_any_folder_answers_over_http(tmp_path: Path, running: list[Running]) -> None:
    server = start(["serve", "--port", "0"], cwd=tmp_path)
    running.append(server)
    assert (server.projects, server.backups) == (3, 19)
    assert server.origin == "built-in default dataset"
    assert "curl" in server.line and "/v2/projects/p-" in server.line
    curl_url = re.search(r"'(http://[^']+)'", server.line)
    assert curl_url
    response = httpx2.get(curl_url[1], headers={"x-access-token": "demo"})
    assert response.status_code == 200
    check_answer("GET", curl_url[1], 200, response.headers, response.content)
    assert httpx2.get(f"{server.url}/_mockapi/health").json()["status"] == "ok"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_sigterm_and_ctrl_c(
    tmp_path: Path, running: list[Running], stop: signal.Signals
) -> None:
    server = start(["--port", "0"], cwd=tmp_path)
    running.append(server)
    assert httpx2.get(f"{server.url}/_mockapi/health").status_code == 200
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
            **os.environ,
            "MOCKAPI_PORT": "0",
            "MOCKAPI_SEED": "3",
            "MOCKAPI_PROJECTS": "2",
            "MOCKAPI_BACKUPS_PER_PROJECT": "10",
            "MOCKAPI_TOKENS": "secret-1,secret-2",
            "MOCKAPI_UNKNOWN_PROJECT": "not-found",
            "MOCKAPI_ACCESS_LOG": "false",
        },
    )
    assert process.stdout is not None
    server = Running(process, process.stdout.readline())
    running.append(server)
    assert (server.projects, server.backups) == (2, 20)
    url = f"{server.url}/v2/projects/p-zzzzzz/backups"
    assert httpx2.get(url, headers={"x-access-token": "secret-2"}).status_code == 404
    assert httpx2.get(url, headers={"x-access-token": "other"}).status_code == 403
    assert "secret" not in server.line
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert "secret" not in out + err


def test_invalid_fixture_stops_startup_and_serves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "aaaaaaaa-0000-4000-8000-000000000001", "status": 3}]))
    result = subprocess.run(
        [*MOCKAPI, "serve", "--port", "0", "--fixtures", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert str(bad) in result.stderr
    assert "item 0 (id aaaaaaaa-0000-4000-8000-000000000001)" in result.stderr
    assert "'status'" in result.stderr and "'projectId'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--port", "99999"], "--port / MOCKAPI_PORT"),
        (["--auth", "sometimes"], "--auth: invalid choice: 'sometimes'"),
        (["--now", "yesterday"], "--now / MOCKAPI_NOW"),
        (["--auth", "tokens"], "needs at least one token"),
        (["--unknown-project", "teapot"], "--unknown-project"),
    ],
)
def test_invalid_settings_are_named(args: list[str], fragment: str) -> None:
    result = subprocess.run([*MOCKAPI, *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("MOCKAPI_AUTH", "sometimes"), ("MOCKAPI_PORT", "http"), ("MOCKAPI_FAULTS", "[{")],
)
def test_invalid_environment_variables_are_named(variable: str, value: str) -> None:
    result = subprocess.run(
        MOCKAPI, capture_output=True, text=True, timeout=30, env={**os.environ, variable: value}
    )
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_help_documents_every_option_and_its_variable() -> None:
    result = subprocess.run([*MOCKAPI, "serve", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    for name in Settings.model_fields:
        assert f"--{name.replace('_', '-')}" in help_text
        assert f"MOCKAPI_{name.upper()}" in help_text


def test_validate_command_exit_codes(tmp_path: Path) -> None:
    good = subprocess.run([*MOCKAPI, "validate", "fixtures"], cwd=Path(__file__).parent.parent)
    assert good.returncode == 0
    (tmp_path / "broken.json").write_text("[{")
    bad = subprocess.run(
        [*MOCKAPI, "validate", str(tmp_path / "broken.json")], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "broken.json: not valid JSON" in bad.stderr


def children_of(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_workers_serve_identical_data_and_stop_together(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(
        ["--port", "0", "--workers", "2", "--seed", "4", "--backups-per-project", "200"],
        cwd=tmp_path,
    )
    running.append(server)
    assert server.line.rstrip().endswith("2 workers")
    workers: list[int] = []
    for _ in range(500):  # the ready line comes just before the fork
        workers = children_of(server.process.pid)
        if len(workers) == 2:
            break
        time.sleep(0.01)
    assert len(workers) == 2
    url = f"{server.url}/v2/projects/{server.line.split('/v2/projects/')[1].split('/')[0]}/backups"
    bodies = set()
    for _ in range(40):  # fresh connections, so the kernel spreads them over both workers
        with httpx2.Client() as client:
            response = client.get(f"{url}?limit=7&page=3", headers={"x-access-token": "t"})
        assert response.status_code == 200
        bodies.add(response.content)
    assert len(bodies) == 1
    server.process.send_signal(signal.SIGTERM)
    _, errors = server.process.communicate(timeout=15)
    assert server.process.returncode == 0, errors
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )


def test_sigterm_under_load_lets_in_flight_requests_finish(
    tmp_path: Path, running: list[Running]
) -> None:
    server = start(["--port", "0", "--no-access-log"], cwd=tmp_path)
    running.append(server)
    url = f"{server.url}/v2/projects/p-kbuygq/backups?limit=3"
    statuses: list[int] = []

    def slow_request() -> None:
        headers = {"x-access-token": "t", "Prefer": "delay=1000"}
        statuses.append(httpx2.get(url, headers=headers, timeout=30).status_code)

    import threading

    threads = [threading.Thread(target=slow_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.4)  # all eight are now waiting inside the server
    began = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(30)
    _, errors = server.process.communicate(timeout=15)
    assert statuses == [200] * 8
    assert server.process.returncode == 0, errors
    assert time.monotonic() - began < 6


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


def test_no_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [*MOCKAPI, *BIG_GENERATION, "-o", str(tmp_path / "big.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert "generating" not in result.stderr
