"""What schedules cost: memory per scheduled backup, and how long a year's clock move holds
other clients.

    python benchmarks/schedules.py            # a year of 18 hourly schedules (~158,000 backups)
    python benchmarks/schedules.py --quick    # 60 days of 5 hourly schedules

Memory: in-process, tracemalloc counts what one schedule's backups add to the store (their
index entries, ids, JSON, timeline events), per backup, with a short and a 4 kB description
(the text is shared by every backup of the schedule, not copied per backup).

Holding: a real mockapi process on a frozen clock; 18 hourly user schedules (with the two
p-kbuygq has, 20: the default --max-schedules-per-project) with a ttl of 365d, then one POST
/_mockapi/clock of 366 days. A probe client asks GET /_mockapi/health over and over while
the move runs; the longest answer it waited for is how long the move held other clients.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import subprocess
import sys
import threading
import time
import tracemalloc

from run import free_port, rss_mb  # benchmarks/ is on sys.path when this script runs

PYTHON = sys.executable
DAY_S = 86_400


def memory_per_backup(days: int, description: str | None) -> tuple[int, float]:
    """(backups made, bytes per backup) for one hourly schedule over `days`."""
    from mockapi.backups.clock import DEFAULT_NOW
    from mockapi.backups.dataset import Dataset, ProjectInfo
    from mockapi.backups.store import Store
    from mockapi.timestamps import to_ms

    start = to_ms(DEFAULT_NOW)
    project = ProjectInfo("aaaaaaaa-0000-4000-8000-000000000001", "p-bench1", "bench")
    store = Store(Dataset((project,)), start)
    record = store.projects[project.id]
    store.schedules.create(record, "7 * * * *", f"{min(days + 1, 365)}d", description)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store.advance(start + days * DAY_S * 1000)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    made = len(record.backups)
    return made, (after - before) / made


def call(port: int, method: str, path: str, body: dict[str, object] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"content-type": "application/json", "x-access-token": "bench"}
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def holding(days: int, schedules: int) -> None:
    port = free_port()
    command = [PYTHON, "-m", "mockapi", "serve", "--port", str(port), "--clock", "frozen"]
    command += ["--no-access-log"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    process.stdout.readline()
    try:
        for n in range(schedules):
            body = {"schedule": f"{n} * * * *", "ttl": "365d", "description": "hourly"}
            assert call(port, "POST", "/v2/projects/p-kbuygq/backup-schedules", body) == 201
        rss_before = rss_mb(process.pid)
        waits: list[float] = []
        moving = threading.Event()
        moving.set()

        def probe() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
            while moving.is_set():
                began = time.perf_counter()
                connection.request("GET", "/_mockapi/health")
                connection.getresponse().read()
                waits.append((time.perf_counter() - began) * 1000)
            connection.close()

        prober = threading.Thread(target=probe)
        prober.start()
        time.sleep(0.2)
        began = time.perf_counter()
        status = call(port, "POST", "/_mockapi/clock", {"advanceSeconds": days * DAY_S})
        took = time.perf_counter() - began
        moving.clear()
        prober.join()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/_mockapi/health")
        health = json.loads(connection.getresponse().read())
        connection.close()
        rss_after = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(15)
    waits.sort()
    print(
        f"clock move of {days} days with {schedules} hourly schedules (ttl 365d): status "
        f"{status}, {took:.1f} s, {health.get('backups', '?'):,} backups served after it; "
        f"{len(waits):,} health probes meanwhile, longest wait {waits[-1]:.1f} ms, "
        f"p99 {waits[int(len(waits) * 0.99)]:.1f} ms; RSS {rss_before:.0f} -> {rss_after:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    days = 60 if args.quick else 364
    for description in (None, "Hourly snapshot", "x" * 4096):
        made, per = memory_per_backup(days, description)
        shown = "none" if description is None else f"{len(description):,} chars"
        print(
            f"memory per scheduled backup (description {shown}): {per:,.0f} bytes ({made:,} backups)"
        )
    holding(60 if args.quick else 366, 5 if args.quick else 18)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
