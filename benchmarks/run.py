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


def pinned(core: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(core), *command] if shutil.which("taskset") else command


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
    command: list[str], port: int, probe: str
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    """Start a server pinned to core 0; yield it and the seconds until `probe` answered 200."""
    began = time.monotonic()
    process = subprocess.Popen(
        pinned(0, command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
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


def load(port: int, path: str, seconds: float) -> Load:
    """Load one URL with 50 connections for `seconds`."""
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
        pinned(1, [PYTHON, str(HERE / "load.py"), url, str(seconds), TOKEN]),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps, p50, p99, errors = out.split()
    return Load(float(rps), float(p50), float(p99), int(errors))


def mockapi_command(port: int, backups: int, extra: list[str] | None = None) -> list[str]:
    data = (
        []
        if backups == 0
        else ["--seed", "1", "--projects", "10", "--backups-per-project", str(backups // 10)]
    )
    return [*MOCKAPI, "serve", "--port", str(port), "--no-access-log", *data, *(extra or [])]


def first_project(port: int) -> str:
    status, body = get(port, "/_mockapi/projects")
    assert status == 200
    return str(json.loads(body)[0]["shortId"])


QUERIES = [
    ("unfiltered, oldestFirst, first page", "limit=50", 1.0),
    ("unfiltered, newestFirst, first page", "limit=50&sortOrder=newestFirst", 1.0),
    ("unfiltered, oldestFirst, middle page", "limit=50&page=100", 1.0),
    ("unfiltered, newestFirst, middle page", "limit=50&page=100&sortOrder=newestFirst", 1.0),
    ("withExportsOnly", "limit=50&withExportsOnly=true", 0.8),
    ("runningRestoresOnly", "limit=50&runningRestoresOnly=true", 0.8),
    ("runningBackupsOnly", "limit=50&runningBackupsOnly=true", 0.8),
    ("searchTerm (repeated)", "limit=50&searchTerm=before", 0.5),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 s loads, no 1M dataset")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per load run")
    args = parser.parse_args()
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]

    print(f"# mockapi benchmark, {time.strftime('%Y-%m-%d')}, {platform.node()}")
    print(
        f"# {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, load: {'wrk' if shutil.which('wrk') else 'benchmarks/load.py'}, {seconds:g} s per run, 50 connections"
    )
    print()

    path = "/v2/projects/p-bench0/backups?limit=50"
    references = {}
    print("| reference app | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for kind in ("ceiling", "params", "starlette"):
        port = free_port()
        with server([PYTHON, str(HERE / "ceiling.py"), kind, str(port)], port, path):
            result = load(port, path, seconds)
        references[kind] = result.rps
        print(f"| {kind} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} |")
    ceiling = references["ceiling"]
    print()

    port = free_port()
    print(
        "| mockapi, 100,000 backups in 10 projects, limit=50 | requests/s | p50 ms | p99 ms | ratio to ceiling | goal |"
    )
    print("|---|---|---|---|---|---|")
    with server(mockapi_command(port, 100_000), port, "/_mockapi/health"):
        project = first_project(port)
        for label, query, goal in QUERIES:
            result = load(port, f"/v2/projects/{project}/backups?{query}", seconds)
            ratio = result.rps / ceiling
            verdict = "met" if ratio >= goal else "MISSED"
            errors = f" ({result.errors} errors)" if result.errors else ""
            print(
                f"| {label}{errors} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} | {ratio:.2f} | >= {goal:.1f} {verdict} |"
            )
        # A first, uncached search over one 10,000-backup project: fresh terms each time.
        timings = []
        for n in range(20):
            began = time.perf_counter()
            status, _ = get(port, f"/v2/projects/{project}/backups?limit=50&searchTerm=zq{n}x")
            timings.append((time.perf_counter() - began) * 1000)
            assert status == 200
        print()
        print(
            f"first (uncached) search over a 10,000-backup project: median {sorted(timings)[10]:.2f} ms, max {max(timings):.2f} ms (goal <= 5 ms)"
        )
    print()

    print("| dataset | ready after (s) | RSS (MB) | middle page, requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    port = free_port()
    with server(mockapi_command(port, 0), port, "/v2/projects/p-kbuygq/backups?limit=50") as (
        process,
        ready,
    ):
        print(f"| default dataset (19 backups) | {ready:.2f} | {rss_mb(process.pid):.0f} | | | |")
    for size in sizes:
        port = free_port()
        with server(mockapi_command(port, size), port, "/_mockapi/health") as (process, ready):
            project = first_project(port)
            pages = size // 10 // 50
            result = load(
                port,
                f"/v2/projects/{project}/backups?limit=50&page={pages // 2}",
                min(seconds, 5.0),
            )
            print(
                f"| {size:,} generated | {ready:.2f} | {rss_mb(process.pid):.0f} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} |"
            )


if __name__ == "__main__":
    main()
