"""Soak: mixed load on a real mockapi process; reports 5xx, non-JSON answers, RSS, p99.

    python benchmarks/soak.py                 # 60 s against 20,000 generated backups
    python benchmarks/soak.py --hostile       # the same, with hostile clients mixed in
    python benchmarks/soak.py --seconds 600   # a long run

Normal load: valid queries of every kind, invalid ones, writes (create, patch, delete),
Prefer headers and control API calls from 16 keep-alive connections. With --hostile, other
connections at the same time send huge headers, trickle headers, idle, flood 8 kB tokens,
declare 300 MB bodies, send bodies that never arrive, infinite and huge numbers, ambiguous
credentials and refused preflights; and the stateful surface is abused: one backup's expiry
moved again and again, exports made and deleted, schedules made, re-timed and deleted (up to
the per-project limit), backups made and deleted, the clock moved a minute at a time,
downloads without or with a forged signature, exports with 4 kB passwords. RSS is read after
a warm-up and at the end; the run fails on any 5xx, any non-JSON error answer, a broken
normal connection, RSS growth of 10% or more, or (with --hostile) a p99 of the normal
requests of 50 ms or more or any normal request held 200 ms or more.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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


BACKUP_IDS: list[str] = []
# The second project, whose data the stateful hostile clients churn, and its backups.
OTHER: list[str] = []
OTHER_IDS: list[str] = []


def backup_ids(port: int, project: str) -> list[str]:
    """Some deletable backups of the project, for the normal clients' patches."""
    import http.client
    import json

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", f"/v2/projects/{project}/backups?limit=200", headers={"x-access-token": "s"}
    )
    items = json.loads(connection.getresponse().read())
    connection.close()
    return [item["id"] for item in items if item["deletable"]]


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
        self.not_json = 0
        self.hostile: dict[str, int] = {}
        self.hostile_statuses: dict[int, int] = {}
        self.hostile_broken = 0

    def note(self, status: int, content_type: bytes) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if status >= 400 and content_type != b"application/json":
            self.not_json += 1


async def exchange_typed(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """One request on a keep-alive connection: (status, content type)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length, content_type = 0, b""
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"content-type":
            content_type = value.strip()
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1]), content_type


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
    status, content_type = await exchange_typed(reader, writer, head.encode() + b"\r\n" + body)
    return status, content_type


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
            elif roll < 0.95:
                method, target, body = "POST", "/_mockapi/faults", b'{"delayMs": 1, "count": 3}'
            elif roll < 0.96:
                method, target = "DELETE", "/_mockapi/journal"
            elif roll < 0.98:
                method, target = "POST", f"/v2/projects/{project}/backups"
                body = b'{"expirationTime": "2026-03-01T00:00:00Z", "description": "soak"}'
            elif roll < 0.99:
                method, target = "PATCH", f"/v2/project-backups/{rng.choice(BACKUP_IDS)}"
                body = b'{"description": "soaked"}'
            else:
                target = "/_mockapi/rate-limit"
            began = time.perf_counter()
            try:
                status, content_type = await request(reader, writer, method, target, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                stats.broken += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            stats.latencies.append((time.perf_counter() - began) * 1000)
            stats.note(status, content_type)
    finally:
        writer.close()


FILLER = "t" * 8176


async def answer_of(reader: asyncio.StreamReader, until: float) -> tuple[int, bytes]:
    """Read one whole answer (until the server closes); its status and content type."""
    data = await asyncio.wait_for(reader.read(), timeout=max(until - time.monotonic(), 0) + 1)
    head = data.split(b"\r\n\r\n", 1)[0]
    if not head.startswith(b"HTTP/1.1 "):
        return 0, b""  # closed without an answer (an idle connection)
    content_type = b""
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-type":
            content_type = value.strip()
    return int(head.split(b" ", 2)[1]), content_type


HOSTILE = {
    "huge header": b"GET /v2/projects/p/backups HTTP/1.1\r\nHost: h\r\nx-big: "
    + b"a" * 200_000
    + b"\r\n\r\n",
    "trickled headers": b"GET /v2/projects/p/backups HTTP/1.1\r\nHost: h\r\n",
    "idle": b"",
    "declared 300 MB body": b"POST /_mockapi/faults HTTP/1.1\r\nHost: h\r\n"
    b"content-type: application/json\r\ncontent-length: 300000000\r\n\r\n" + b"[" * 65536,
    "body that never arrives": b"POST /v2/projects/p/backups HTTP/1.1\r\nHost: h\r\n"
    b"x-access-token: t\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{",
}
HOSTILE_CLOSED = {
    "8 kB token": "GET /v2/projects/{project}/backups?limit=1 HTTP/1.1\r\nHost: h\r\n"
    "x-access-token: {token}\r\nconnection: close\r\n\r\n",
    "two tokens": "GET /v2/projects/{project}/backups HTTP/1.1\r\nHost: h\r\n"
    "x-access-token: a\r\nx-access-token: b\r\nconnection: close\r\n\r\n",
    "infinite window": "PUT /_mockapi/rate-limit HTTP/1.1\r\nHost: h\r\n"
    "content-type: application/json\r\ncontent-length: 36\r\nconnection: close\r\n\r\n"
    '{{"limit": 5, "windowSeconds": 1e400}}',
    "huge Prefer code": "GET /v2/projects/{project}/backups HTTP/1.1\r\nHost: h\r\n"
    "Prefer: code=99999999999999999999\r\nconnection: close\r\n\r\n",
    "refused preflight": "OPTIONS /v2/projects/{project}/backups HTTP/1.1\r\nHost: h\r\n"
    "Origin: http://evil.test\r\nAccess-Control-Request-Method: PATCH\r\n"
    "connection: close\r\n\r\n",
}


async def hostile(
    port: int, project: str, kind: str, until: float, stats: Stats, rng: random.Random
) -> None:
    """One hostile connection after another until the end; each must end in JSON or a close."""
    while time.monotonic() < until:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            if kind in HOSTILE:
                writer.write(HOSTILE[kind])
            else:
                token = f"{rng.getrandbits(64):016x}" + FILLER  # distinct, and cheap to make
                text = HOSTILE_CLOSED[kind].format(project=project, token=token)
                writer.write(text.encode())
            await writer.drain()
            status, content_type = await answer_of(reader, until)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            status, content_type = 0, b""
        finally:
            writer.close()
        if status:
            stats.note(status, content_type)
        label = f"{kind}: {status or 'closed'}"
        stats.hostile[label] = stats.hostile.get(label, 0) + 1


STATEFUL = [
    "expiry moved again and again",
    "exports made and deleted",
    "schedules made, re-timed, deleted",
    "backups made and deleted",
    "clock moved a minute",
    "forged download signatures",
    "4 kB passwords",
]


async def stateful(
    port: int,
    project: str,
    kind: str,
    until: float,
    stats: Stats,
    rng: random.Random,
    ids: list[str],
) -> None:
    """One keep-alive client abusing the stateful surface until the end."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    target_id = ids[rng.randrange(len(ids))]
    try:
        while time.monotonic() < until:
            n = rng.randrange(1_000_000)
            calls: list[tuple[str, str, bytes]] = []
            if kind == STATEFUL[0]:
                day = 2 + n % 27
                body = f'{{"expirationTime": "2026-03-{day:02d}T00:00:00Z"}}'.encode()
                calls.append(("PATCH", f"/v2/project-backups/{target_id}", body))
            elif kind == STATEFUL[1]:
                export = f"/v2/project-backups/{target_id}/export"
                calls += [("POST", export, b'{"format": "tar"}'), ("DELETE", export, b"")]
            elif kind == STATEFUL[2]:
                body = f'{{"schedule": "{n % 60} * * * *", "ttl": "7d"}}'.encode()
                calls.append(("POST", f"/v2/projects/{project}/backup-schedules", body))
            elif kind == STATEFUL[3]:
                body = b'{"expirationTime": "2026-03-01T00:00:00Z", "description": "churn"}'
                calls.append(("POST", f"/v2/projects/{project}/backups", body))
            elif kind == STATEFUL[4]:
                calls.append(("POST", "/_mockapi/clock", b'{"advanceSeconds": 60}'))
            elif kind == STATEFUL[5]:
                forged = f"{n:064x}"
                path = f"/_mockapi/exports/{target_id}/backup.tar.gz?expires=9999999999&signature={forged}"
                calls.append(("GET", path, b""))
            else:
                body = b'{"format": "zip", "password": "' + "\u00e9".encode() * 2100 + b'"}'
                calls.append(("POST", f"/v2/project-backups/{target_id}/export", body))
            for method, path, body in calls:
                try:
                    status, content_type, payload = await request_body(
                        reader, writer, method, path, body
                    )
                except (ConnectionError, asyncio.IncompleteReadError):
                    stats.broken += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    continue
                stats.note(status, content_type)
                label = f"{kind}: {status}"
                stats.hostile[label] = stats.hostile.get(label, 0) + 1
                if kind == STATEFUL[2] and status == 201:
                    # Re-time it, then delete it: the plans it leaves are stale.
                    schedule_id = payload.split(b'"id":"', 1)[1].split(b'"', 1)[0].decode()
                    one = f"/v2/project-backup-schedules/{schedule_id}"
                    retimed = f'{{"schedule": "{(n + 7) % 60} * * * *"}}'.encode()
                    for step in (("PATCH", one, retimed), ("DELETE", one, b"")):
                        status, content_type, _ = await request_body(reader, writer, *step)
                        stats.note(status, content_type)
                if kind == STATEFUL[3] and status == 201:
                    backup_id = payload.split(b'"id":"', 1)[1].split(b'"', 1)[0].decode()
                    step = ("DELETE", f"/v2/project-backups/{backup_id}", b"")
                    status, content_type, _ = await request_body(reader, writer, *step)
                    stats.note(status, content_type)
            await asyncio.sleep(0.05 if kind == STATEFUL[4] else 0)
    finally:
        writer.close()


async def request_body(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    method: str,
    target: str,
    body: bytes,
) -> tuple[int, bytes, bytes]:
    """One request on a keep-alive connection: (status, content type, body)."""
    head = f"{method} {target} HTTP/1.1\r\nHost: soak\r\nx-access-token: hostile\r\n"
    if body:
        head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    answer = await reader.readuntil(b"\r\n\r\n")
    length, content_type = 0, b""
    for line in answer.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"content-type":
            content_type = value.strip()
    payload = await reader.readexactly(length)
    return int(answer.split(b" ", 2)[1]), content_type, payload


async def run(port: int, project: str, seconds: float, stats: Stats) -> None:
    until = time.monotonic() + seconds
    await asyncio.gather(
        *(client(port, project, until, stats, random.Random(n)) for n in range(16))
    )


async def run_hostile(
    port: int, project: str, seconds: float, stats: Stats, ids: list[str], other: str
) -> None:
    until = time.monotonic() + seconds
    kinds = [*HOSTILE, *HOSTILE_CLOSED]
    await asyncio.gather(
        *(
            hostile(port, project, kind, until, stats, random.Random(100 + n))
            for n, kind in enumerate(kinds * 4)
        ),
        # The stateful abuse goes to the other project: the normal clients' project keeps
        # its data (and its answers' sizes) while the hostile ones churn theirs.
        *(
            stateful(port, other, kind, until, stats, random.Random(200 + n), ids)
            for n, kind in enumerate(STATEFUL)
        ),
    )


def hostile_process(
    port: int, project: str, seconds: float, results: Any, ids: list[str], other: str
) -> None:
    """The hostile clients, in a process of their own: their CPU does not skew the latency
    the normal clients measure."""
    stats = Stats()
    asyncio.run(run_hostile(port, project, seconds, stats, ids, other))
    results.put((stats.by_status, stats.not_json, stats.hostile, stats.broken))


def with_hostile(port: int, project: str, seconds: float, stats: Stats, hostile_too: bool) -> None:
    """Normal load here; with `hostile_too`, hostile load in a second process meanwhile."""
    if not hostile_too:
        asyncio.run(run(port, project, seconds, stats))
        return
    results: Any = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=hostile_process, args=(port, project, seconds, results, OTHER_IDS, OTHER[0])
    )
    process.start()
    asyncio.run(run(port, project, seconds, stats))
    by_status, not_json, kinds, broken = results.get(timeout=seconds + 120)
    process.join()
    stats.not_json += not_json
    stats.hostile_broken += broken
    for status, count in by_status.items():
        stats.hostile_statuses[status] = stats.hostile_statuses.get(status, 0) + count
    for kind, count in kinds.items():
        stats.hostile[kind] = stats.hostile.get(kind, 0) + count


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--hostile", action="store_true", help="mix hostile clients in")
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
    BACKUP_IDS.extend(backup_ids(port, project))
    OTHER.append(line.split(" (")[1].split(", ")[1].split(")")[0])
    OTHER_IDS.extend(backup_ids(port, OTHER[0]))
    try:
        warm = Stats()
        with_hostile(port, project, 15.0, warm, args.hostile)
        rss_start = rss_mb(process.pid)
        stats = Stats()
        began = time.monotonic()
        with_hostile(port, project, args.seconds, stats, args.hostile)
        elapsed = time.monotonic() - began
        rss_end = rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(15)
    served = sum(stats.by_status.values())
    errors_5xx = sum(n for status, n in stats.by_status.items() if status >= 500)
    errors_5xx += sum(n for status, n in stats.hostile_statuses.items() if status >= 500)
    stats.latencies.sort()
    p99 = stats.latencies[int(len(stats.latencies) * 0.99)] if stats.latencies else float("nan")
    longest = stats.latencies[-1] if stats.latencies else float("nan")
    growth = (rss_end - rss_start) / rss_start * 100
    print(
        f"soak {elapsed:.0f} s: {served:,} requests ({served / elapsed:,.0f}/s), statuses {dict(sorted(stats.by_status.items()))}"
    )
    print(
        f"5xx: {errors_5xx}, non-JSON error answers: {stats.not_json}, broken normal "
        f"connections: {stats.broken}, p99 of the normal requests {p99:.2f} ms, longest "
        f"{longest:.1f} ms"
    )
    if args.hostile:
        print(f"hostile: {dict(sorted(stats.hostile.items()))}")
    print(
        f"RSS after warm-up {rss_start:.1f} MB, at end {rss_end:.1f} MB ({growth:+.1f}%), exit code after SIGTERM {code}"
    )
    ok = errors_5xx == 0 and stats.not_json == 0 and stats.broken == 0 and growth < 10
    ok = ok and code == 0 and ((p99 < 50 and longest < 200) or not args.hostile)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
