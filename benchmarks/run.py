"""Benchmark mockapi against the bare-stack ceiling, in one run on this machine.

    python benchmarks/run.py            # full run (about 4 minutes)
    python benchmarks/run.py --quick    # shorter loads, no 1M dataset

Each server runs as its own process pinned to core 0 (taskset); the load generator runs on
core 1: `wrk -t1 -c50 --latency` when wrk is installed (Debian: apt-get install wrk),
otherwise the asyncio keep-alive load generator in this folder (benchmarks/load.py), which
is slower than wrk, so its figures are lower for every server alike; ratios stay comparable.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
PYTHON = sys.executable
MOCKAPI = [PYTHON, "-m", "mockapi"]
TOKEN = "bench"


@dataclass
class Load:
    """What one load run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pinned(core: int, command: list[str], pin: bool = True) -> list[str]:
    return ["taskset", "-c", str(core), *command] if pin and shutil.which("taskset") else command


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"x-access-token": TOKEN})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def server(
    command: list[str], port: int, probe: str, pin: bool = True
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """Start a server pinned to core 0; yield it and the seconds until `probe` answered 200."""
    began = time.monotonic()
    process = subprocess.Popen(
        pinned(0, command, pin), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    f"server failed: {process.stderr.read().decode() if process.stderr else ''}"
                )
            try:
                if get(port, probe)[0] == 200:
                    break
            except OSError:
                time.sleep(0.01)
        yield process, time.monotonic() - began
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    return float(match[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match[2]]


def load(port: int, path: str, seconds: float, pin: bool = True) -> Load:
    """Load one URL with 50 connections for `seconds` (from core 1)."""
    url = f"http://127.0.0.1:{port}{path}"
    if shutil.which("wrk"):
        out = subprocess.run(
            pinned(
                1,
                [
                    "wrk",
                    "-t1",
                    "-c50",
                    f"-d{max(int(seconds), 1)}s",
                    "--latency",
                    "-H",
                    f"x-access-token: {TOKEN}",
                    url,
                ],
                pin,
            ),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
        p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
        p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: (.*)", out)
        count = int(errors[1]) if errors else 0
        if socket_errors:
            count += sum(int(n) for n in re.findall(r"\d+", socket_errors[1]))
        return Load(rps, p50, p99, count)
    out = subprocess.run(
        pinned(1, [PYTHON, str(HERE / "load.py"), url, str(seconds), TOKEN], pin),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps, p50, p99, errors = out.split()
    return Load(float(rps), float(p50), float(p99), int(errors))


def mockapi_command(port: int, backups: int, extra: list[str] | None = None) -> list[str]:
    """mockapi with its default settings (access log on), on generated data."""
    data = (
        []
        if backups == 0
        else ["--seed", "1", "--projects", "10", "--backups-per-project", str(backups // 10)]
    )
    return [*MOCKAPI, "serve", "--port", str(port), *data, *(extra or [])]


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"x-access-token": TOKEN, "content-type": "application/json"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def apply_writes(port: int, project: str, count: int) -> dict[int, int]:
    """`count` API writes: creates, description patches, exports and deletes, in turn."""
    statuses: dict[int, int] = {}
    created: list[str] = []
    for n in range(count):
        kind = n % 4
        if kind == 0 or not created:
            body = json.dumps({"expirationTime": "2026-03-15T00:00:00Z", "description": f"w{n}"})
            status, answer = request(port, "POST", f"/v2/projects/{project}/backups", body.encode())
            if status == 201:
                created.append(json.loads(answer)["id"])
        elif kind == 1:
            patch = json.dumps({"description": f"patched {n}"}).encode()
            status, _ = request(port, "PATCH", f"/v2/project-backups/{created[-1]}", patch)
        elif kind == 2:
            status, _ = request(port, "GET", f"/v2/project-backups/{created[-1]}")
        else:
            # The newest is kept (not deletable); an older one of ours is not.
            victim = created.pop(0) if len(created) > 1 else created[0]
            status, _ = request(port, "DELETE", f"/v2/project-backups/{victim}")
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def first_project(port: int) -> str:
    status, body = get(port, "/_mockapi/projects")
    assert status == 200
    return str(json.loads(body)[0]["shortId"])


QUERIES = [
    ("unfiltered, oldestFirst, first page", "limit=50", 1.4),
    ("unfiltered, newestFirst, first page", "limit=50&sortOrder=newestFirst", 1.4),
    ("unfiltered, oldestFirst, middle page", "limit=50&page=100", 1.4),
    ("unfiltered, newestFirst, middle page", "limit=50&page=100&sortOrder=newestFirst", 1.4),
    ("withExportsOnly", "limit=50&withExportsOnly=true", 0.8),
    ("runningRestoresOnly", "limit=50&runningRestoresOnly=true", 0.8),
    ("runningBackupsOnly", "limit=50&runningBackupsOnly=true", 0.8),
    ("searchTerm (repeated)", "limit=50&searchTerm=before", 0.5),
]


# Operations beyond backups: generated once, then served from ready bytes (issue 16).
GENERIC = [
    (
        "whole API: a project's MySQL databases (list)",
        "/v2/projects/{project}/mysql-databases",
        1.4,
    ),
    ("whole API: one MySQL database (get)", "/v2/mysql-databases/{database}", 1.4),
    ("whole API: app catalogue, paged (no token needed)", "/v2/apps?limit=5&page=2", 1.4),
]


def generic_paths(port: int, project: str) -> dict[str, str]:
    """The generic rows' paths on this server (a database id from its list)."""
    status, body = get(port, f"/v2/projects/{project}/mysql-databases")
    assert status == 200, body
    database = json.loads(body)[0]["id"]
    return {label: path.format(project=project, database=database) for label, path, _ in GENERIC}


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2 s loads, 1 round, no 1M dataset")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per load run")
    parser.add_argument(
        "--rounds", type=int, default=None, help="rounds per query (median is shown)"
    )
    args = parser.parse_args()
    seconds = args.seconds or (2.0 if args.quick else 4.0)
    rounds = args.rounds or (1 if args.quick else 3)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]

    print(f"# mockapi benchmark, {time.strftime('%Y-%m-%d')}, {platform.node()}")
    print(
        f"# {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, load: {'wrk' if shutil.which('wrk') else 'benchmarks/load.py'}, 50 connections, {seconds:g} s per run, median of {rounds} rounds; servers on core 0, load on core 1"
    )
    print()

    # Every server stays up for the whole comparison, and each round measures the ceiling and
    # mockapi back to back, so drift in the machine's speed hits both sides of a ratio alike.
    ceiling_path = "/v2/projects/p-bench0/backups?limit=50"
    with contextlib.ExitStack() as stack:
        ports = {}
        for kind in ("ceiling", "params", "starlette"):
            ports[kind] = free_port()
            stack.enter_context(
                server(
                    [PYTHON, str(HERE / "ceiling.py"), kind, str(ports[kind])],
                    ports[kind],
                    ceiling_path,
                )
            )
        mock_port = free_port()
        stack.enter_context(
            server(mockapi_command(mock_port, 100_000), mock_port, "/_mockapi/health")
        )
        project = first_project(mock_port)

        generic = generic_paths(mock_port, project)
        reference: dict[str, list[Load]] = {kind: [] for kind in ports}
        rows = [
            (label, f"/v2/projects/{project}/backups?{query}", goal)
            for label, query, goal in QUERIES
        ]
        rows += [(label, generic[label], goal) for label, _, goal in GENERIC]
        measured: dict[str, list[tuple[Load, float]]] = {label: [] for label, _, _ in rows}
        for _ in range(rounds):
            for kind, port in ports.items():
                reference[kind].append(load(port, ceiling_path, seconds))
            for label, path, _ in rows:
                ceiling = load(ports["ceiling"], ceiling_path, seconds)  # back to back
                result = load(mock_port, path, seconds)
                measured[label].append((result, result.rps / ceiling.rps))

        print("| reference app (constant 50-item page) | requests/s | p50 ms | p99 ms |")
        print("|---|---|---|---|")
        for kind, results in reference.items():
            rps = median([r.rps for r in results])
            print(
                f"| {kind} | {rps:,.0f} | {median([r.p50_ms for r in results]):.2f} | {median([r.p99_ms for r in results]):.2f} |"
            )
        print()
        print(
            "| mockapi, 100,000 backups in 10 projects, limit=50 | requests/s | p50 ms | p99 ms | ratio to ceiling | goal |"
        )
        print("|---|---|---|---|---|---|")
        for label, _, goal in rows:
            pairs = measured[label]
            ratio = median([r for _, r in pairs])
            verdict = "met" if ratio >= goal else "MISSED"
            errors = sum(result.errors for result, _ in pairs)
            note = f" ({errors} errors)" if errors else ""
            print(
                f"| {label}{note} | {median([p.rps for p, _ in pairs]):,.0f} | {median([p.p50_ms for p, _ in pairs]):.2f} | {median([p.p99_ms for p, _ in pairs]):.2f} | {ratio:.2f} | >= {goal:.1f} {verdict} |"
            )

        # A first, uncached search over one 10,000-backup project: a fresh term every time.
        timings = []
        for n in range(21):
            began = time.perf_counter()
            status, _ = get(mock_port, f"/v2/projects/{project}/backups?limit=50&searchTerm=zq{n}x")
            timings.append((time.perf_counter() - began) * 1000)
            assert status == 200
        print()
        print(
            f"first (uncached) search over a 10,000-backup project, one request at a time: median {median(timings):.2f} ms, max {max(timings):.2f} ms (goal <= 5 ms)"
        )

        # The same server after 10,000 API writes: the list must keep its speed.
        statuses = apply_writes(mock_port, project, 10_000)
        print()
        print(f"after 10,000 API writes (statuses {dict(sorted(statuses.items()))}):")
        print()
        print(
            "| mockapi, after 10,000 writes, limit=50 | requests/s | p50 ms | p99 ms | ratio to ceiling | goal |"
        )
        print("|---|---|---|---|---|---|")
        for label, query in (
            ("unfiltered, oldestFirst, middle page", "limit=50&page=100"),
            ("unfiltered, newestFirst, first page", "limit=50&sortOrder=newestFirst"),
        ):
            pairs = []
            for _ in range(rounds):
                ceiling = load(ports["ceiling"], ceiling_path, seconds)
                result = load(mock_port, f"/v2/projects/{project}/backups?{query}", seconds)
                pairs.append((result, result.rps / ceiling.rps))
            ratio = median([r for _, r in pairs])
            verdict = "met" if ratio >= 1.4 else "MISSED"
            print(
                f"| {label} | {median([p.rps for p, _ in pairs]):,.0f} | {median([p.p50_ms for p, _ in pairs]):.2f} | {median([p.p99_ms for p, _ in pairs]):.2f} | {ratio:.2f} | >= 1.4 {verdict} |"
            )

    # Without the access log, for comparison with the default above.
    quiet_port = free_port()
    with server(
        mockapi_command(quiet_port, 100_000, ["--no-access-log"]), quiet_port, "/_mockapi/health"
    ):
        project = first_project(quiet_port)
        quiet = [
            load(quiet_port, f"/v2/projects/{project}/backups?limit=50&page=100", seconds)
            for _ in range(rounds)
        ]
        print()
        print(
            f"--no-access-log, middle page: {median([p.rps for p in quiet]):,.0f} requests/s (the default, with the access log, is in the table above)"
        )
    print()

    print("| dataset | ready after (s) | RSS (MB) | middle page, requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    port = free_port()
    # Ready means a first answer of an operation beyond backups: the whole document is read.
    with server(mockapi_command(port, 0), port, "/v2/projects/p-kbuygq/mysql-databases") as (
        process,
        ready,
    ):
        print(f"| default dataset (25 backups) | {ready:.2f} | {rss_mb(process.pid):.0f} | | | |")
    for size in sizes:
        port = free_port()
        with server(mockapi_command(port, size), port, "/_mockapi/health") as (process, ready):
            project = first_project(port)
            pages = size // 10 // 50
            result = load(
                port, f"/v2/projects/{project}/backups?limit=50&page={pages // 2}", seconds
            )
            print(
                f"| {size:,} generated | {ready:.2f} | {rss_mb(process.pid):.0f} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} |"
            )
    print()

    # Workers: both cores serve, so the load generator competes with them for CPU here.
    print("| workers (no pinning; wrk shares the 2 cores) | requests/s, middle page of 100,000 |")
    print("|---|---|")
    for workers in (1, 2):
        port = free_port()
        command = mockapi_command(port, 100_000, ["--workers", str(workers)])
        with server(command, port, "/_mockapi/health", pin=False):
            project = first_project(port)
            result = load(
                port, f"/v2/projects/{project}/backups?limit=50&page=100", seconds, pin=False
            )
            print(f"| {workers} | {result.rps:,.0f} |")


if __name__ == "__main__":
    main()
