"""Soak: mixed load on a real mockapi process; reports 5xx, dropped connections, RSS, p99.

    python benchmarks/soak.py                 # 60 s against 20,000 generated backups
    python benchmarks/soak.py --seconds 600   # a long run

Valid queries of every kind, invalid ones, Prefer headers and control API calls (journal,
projects, fault rules with delays, data reads) from 16 keep-alive connections. RSS is read
after a 5 s warm-up (caches filled) and at the end; the run fails if any answer was 5xx,
any connection broke, or RSS grew by 10% or more.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from load import exchange  # benchmarks/ is on sys.path when this script runs

QUERIES = [
    "limit=50",
    "limit=50&sortOrder=newestFirst",
    "limit=7&page=30",
    "limit=50&page=60&sortOrder=newestFirst",
    "withExportsOnly=true&limit=20",
    "runningRestoresOnly=true",
    "runningBackupsOnly=true&sortOrder=newestFirst",
    "searchTerm=before&limit=10",
    "searchTerm={rand}",
    "skip=-4&limit=3",
    "limit=0",
    "page=0&skip=0&limit=25",
]
INVALID = [
    "limit=-1",
    "limit=abc",
    "page=-2",
    "sortOrder=sideways",
    "withExportsOnly=maybe",
    "limit=1&limit=2",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.by_status: dict[int, int] = {}
        self.broken = 0


async def request(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    method: str,
    target: str,
    headers: str = "",
    body: bytes = b"",
) -> int:
    head = f"{method} {target} HTTP/1.1\r\nHost: soak\r\nx-access-token: soak\r\n{headers}"
    if body:
        head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
    return await exchange(reader, writer, head.encode() + b"\r\n" + body)


async def client(port: int, project: str, until: float, stats: Stats, rng: random.Random) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < until:
            roll = rng.random()
            headers, method, body = "", "GET", b""
            if roll < 0.70:
                query = rng.choice(QUERIES).replace("{rand}", f"t{rng.randrange(10_000)}")
                target = f"/v2/projects/{project}/backups?{query}"
            elif roll < 0.85:
                target = f"/v2/projects/{project}/backups?{rng.choice(INVALID)}"
            elif roll < 0.88:
                target, headers = f"/v2/projects/{project}/backups", "Prefer: code=429\r\n"
            elif roll < 0.90:
                target = "/v2/projects/p-nope00/backups"
            elif roll < 0.94:
                target = rng.choice(
                    [
                        "/_mockapi/journal",
                        "/_mockapi/projects",
                        "/_mockapi/health",
                        "/_mockapi/faults",
                    ]
                )
            elif roll < 0.96:
                method, target, body = "POST", "/_mockapi/faults", b'{"delayMs": 1, "count": 3}'
            elif roll < 0.97:
                method, target = "DELETE", "/_mockapi/journal"
            else:
                target = "/_mockapi/rate-limit"
            began = time.perf_counter()
            try:
                status = await request(reader, writer, method, target, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                stats.broken += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            stats.latencies.append((time.perf_counter() - began) * 1000)
            stats.by_status[status] = stats.by_status.get(status, 0) + 1
    finally:
        writer.close()


async def run(port: int, project: str, seconds: float, stats: Stats) -> None:
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(client(port, project, until, stats, random.Random(n)) for n in range(16))
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mockapi",
        "serve",
        "--port",
        str(port),
        "--no-access-log",
        "--seed",
        "1",
        "--projects",
        "2",
        "--backups-per-project",
        "10000",
        "--journal-size",
        "5000",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    project = line.split("/v2/projects/")[1].split("/")[0]
    try:
        warm = Stats()
        asyncio.run(run(port, project, 5.0, warm))
        rss_start = rss_mb(process.pid)
        stats = Stats()
        began = time.monotonic()
        asyncio.run(run(port, project, args.seconds, stats))
        elapsed = time.monotonic() - began
        rss_end = rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(15)
    served = sum(stats.by_status.values())
    errors_5xx = sum(n for status, n in stats.by_status.items() if status >= 500)
    stats.latencies.sort()
    p99 = stats.latencies[int(len(stats.latencies) * 0.99)] if stats.latencies else float("nan")
    growth = (rss_end - rss_start) / rss_start * 100
    print(
        f"soak {elapsed:.0f} s: {served:,} requests ({served / elapsed:,.0f}/s), statuses {dict(sorted(stats.by_status.items()))}"
    )
    print(f"5xx: {errors_5xx}, broken connections: {stats.broken}, p99 {p99:.2f} ms")
    print(
        f"RSS after warm-up {rss_start:.1f} MB, at end {rss_end:.1f} MB ({growth:+.1f}%), exit code after SIGTERM {code}"
    )
    ok = errors_5xx == 0 and stats.broken == 0 and growth < 10 and code == 0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
