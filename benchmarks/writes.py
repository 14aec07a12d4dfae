"""Write latency of every API write, in-process, with 100,000 backups loaded.

    python benchmarks/writes.py            # 100,000 backups, 1,000 calls per operation
    python benchmarks/writes.py --quick    # 20,000 backups, 200 calls

Each call goes through the whole app (pipeline, validation, store, rendering) as an ASGI
call, without sockets: what the mock itself costs per write. Prints median and p99 in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).parent.parent))

from mockapi import Settings, create_app
from mockapi.data.generate import GenerationOptions, generate

TOKEN = [(b"x-access-token", b"bench"), (b"content-type", b"application/json")]


class Caller:
    """Calls the ASGI app directly and returns (status, body)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        raw = b"" if body is None else orjson.dumps(body)
        path, _, query = path.partition("?")
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [*TOKEN, (b"content-length", str(len(raw)).encode())],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
            "scheme": "http",
            "http_version": "1.1",
        }
        sent = False
        answer: dict[str, Any] = {}

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            else:
                answer["body"] = answer.get("body", b"") + message.get("body", b"")

        await self.app(scope, receive, send)
        return answer["status"], answer.get("body", b"")


def quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def measure(
    call: Caller, label: str, count: int, make: Callable[[int], tuple[str, str, Any]], ok: int
) -> tuple[str, float, float]:
    samples = []
    for n in range(count):
        method, path, body = make(n)
        began = time.perf_counter()
        status, answer = await call(method, path, body)
        samples.append((time.perf_counter() - began) * 1000)
        assert status == ok, (label, status, answer[:300])
    median, p99 = quantiles(samples)
    return label, median, p99


async def run(size: int, count: int) -> None:
    dataset = generate(GenerationOptions(1, 10, size // 10))
    app = create_app(
        Settings(clock="frozen", access_log=False, journal_size=1000, backup_seconds=1), dataset
    )
    call = Caller(app)
    project = app.mock.projects()[0].short_id
    expires = "2026-03-15T00:00:00Z"
    rows = []

    def create(n: int) -> tuple[str, str, Any]:
        return "POST", f"/v2/projects/{project}/backups", {"expirationTime": expires}

    rows.append(await measure(call, "create backup", count, create, 201))
    # Complete them (and everything due), then use them for the other writes.
    app.mock.advance_clock(60)
    record = app.mock.store.find(project)
    assert record is not None
    ids = list(record.backups.ids)
    targets = ids[-count - 1 : -1]  # completed and deletable: all but the newest
    schedules: list[str] = []  # filled once "create schedule" has run

    def one(n: int) -> str:
        return f"/v2/project-backups/{targets[n]}"

    def schedule(n: int) -> str:
        return f"/v2/project-backup-schedules/{schedules[n]}"

    restore = {"pathRestore": {"sourcePaths": ["/html/app/"]}}
    steps: list[tuple[str, Callable[[int], tuple[str, str, Any]], int]] = [
        ("get backup", lambda n: ("GET", one(n), None), 200),
        ("patch backup (description)", lambda n: ("PATCH", one(n), {"description": f"d{n}"}), 204),
        ("create export", lambda n: ("POST", one(n) + "/export", {"format": "tar"}), 204),
        ("delete export", lambda n: ("DELETE", one(n) + "/export", None), 204),
        ("restore", lambda n: ("POST", one(n) + "/restore", restore), 204),
        (
            "create schedule",
            lambda n: (
                "POST",
                f"/v2/projects/{project}/backup-schedules",
                {"schedule": f"{n % 60} {n % 24} * * *", "ttl": "7d"},
            ),
            201,
        ),
        ("patch schedule", lambda n: ("PATCH", schedule(n), {"description": f"s{n}"}), 204),
        ("delete schedule", lambda n: ("DELETE", schedule(n), None), 204),
        ("delete backup", lambda n: ("DELETE", one(n), None), 204),
        (
            "list, middle page (for scale)",
            lambda n: ("GET", f"/v2/projects/{project}/backups?limit=50&page=50", None),
            200,
        ),
    ]
    for label, make, ok in steps:
        rows.append(await measure(call, label, count, make, ok))
        if label == "create schedule":
            schedules.extend(
                s for s in record.schedules if not record.schedules[s]["isSystemBackup"]
            )
    print(
        f"# in-process write latency, {size:,} backups in 10 projects, {count:,} calls each, "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print()
    print("| operation | median ms | p99 ms | goal |")
    print("|---|---|---|---|")
    goals = {"create backup", "patch backup (description)", "delete backup"}
    for label, median, p99 in rows:
        goal = ("< 1 ms median " + ("met" if median < 1 else "MISSED")) if label in goals else ""
        print(f"| {label} | {median:.3f} | {p99:.3f} | {goal} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    size, count = (20_000, 200) if args.quick else (100_000, 1000)
    asyncio.run(run(size, count))


if __name__ == "__main__":
    main()
