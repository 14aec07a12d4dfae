"""What --state-file costs: one write of the state, and whether writing stalls requests.

    python benchmarks/state_file.py            # the default data and 100,000 backups
    python benchmarks/state_file.py --quick    # the default data and 20,000 backups

First, in this process: the snapshot taken on the event loop, the write in its thread (with
fsyncs) and reading the file back at start, for each size. Then a real server with that
many backups, with and without a state file: a probe client reads a page of backups over
and over while another client changes the clock every 20 ms, so the writer writes back to
back; the probe's answer times show whether the writes stall requests.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from run import free_port  # benchmarks/ is on sys.path when this script runs

from mockapi import Settings
from mockapi.app import create_app
from mockapi.data.statefile import read_state, write_atomically
from mockapi.persist import snapshot

PYTHON = sys.executable


def one_write(settings: Settings, folder: Path) -> str:
    """One snapshot and write; meanwhile this thread (the event loop's stand-in) ticks every
    half millisecond, and its longest gap is how long the writer held it up."""
    app = create_app(settings)
    path = folder / "bench-state.json"
    write_atomically(path, snapshot(app.mock, {}))  # the first write also creates the file
    started = time.perf_counter()
    chunks = snapshot(app.mock, {})
    taken = time.perf_counter()
    sizes: list[int] = []
    writer = threading.Thread(target=lambda: sizes.append(write_atomically(path, chunks)))
    gap, last = 0.0, time.perf_counter()
    writer.start()
    while writer.is_alive():
        time.sleep(0.0005)
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
    written = time.perf_counter()
    read_state(path)
    read = time.perf_counter()
    return (
        f"{app.mock.store.backup_count:>9,} backups: snapshot on the loop "
        f"{(taken - started) * 1000:5.2f} ms, write in a thread {(written - taken) * 1000:4.0f} ms "
        f"({sizes[0] / 1e6:.1f} MB; the loop's longest wait {gap * 1000:.1f} ms), "
        f"read and check at start {read - written:4.2f} s"
    )


def probe(port: int, seconds: float, project: str) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection.request(
            "GET", f"/v2/projects/{project}/backups?limit=50", headers={"x-access-token": "t"}
        )
        connection.getresponse().read()
        times.append(time.perf_counter() - started)
    connection.close()
    return times


def changer(port: int, stop: threading.Event) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        connection.request(
            "POST",
            "/_mockapi/clock",
            body=b'{"advanceSeconds": 1}',
            headers={"content-type": "application/json"},
        )
        connection.getresponse().read()
        time.sleep(0.02)
    connection.close()


def served(backups: int, folder: Path, state: bool, seconds: float) -> str:
    port = free_port()
    args = [
        "--port",
        str(port),
        "--seed",
        "1",
        "--projects",
        "10",
        "--backups-per-project",
        str(backups // 10),
    ]
    args += ["--no-access-log", "--clock", "frozen"]
    path = folder / "served-state.json"
    path.unlink(missing_ok=True)
    if state:
        args += ["--state-file", str(path)]
    process = subprocess.Popen(
        [PYTHON, "-m", "mockapi", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        project = line.split("(")[1].split(",")[0]
        stop = threading.Event()
        thread = threading.Thread(target=changer, args=(port, stop))
        thread.start()
        mtimes: set[int] = set()
        watcher_stop = threading.Event()

        def watch() -> None:
            while not watcher_stop.is_set():
                if path.exists():
                    mtimes.add(path.stat().st_mtime_ns)
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        times = probe(port, seconds, project)
        stop.set()
        watcher_stop.set()
        thread.join()
        watcher.join()
    finally:
        process.terminate()
        process.wait(60)
    times.sort()
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    label = f"with a state file ({len(mtimes)} writes seen)" if state else "without a state file"
    return (
        f"{backups:>9,} backups, {label:<32}: {len(times):,} reads, p50 {p50 * 1000:5.2f} ms, "
        f"p99 {p99 * 1000:6.2f} ms, max {times[-1] * 1000:6.1f} ms, "
        f"{sum(t > 0.010 for t in times)} over 10 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    big = 20_000 if parser.parse_args().quick else 100_000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("one write:")
        print("  built-in default dataset " + one_write(Settings(), folder))
        print(
            "  generated                "
            + one_write(Settings(seed=1, projects=10, backups_per_project=big // 10), folder)
        )
        print("requests while the state is written back to back (clock changed every 20 ms):")
        for state in (False, True):
            print("  " + served(big, folder, state, 10.0))


if __name__ == "__main__":
    main()
