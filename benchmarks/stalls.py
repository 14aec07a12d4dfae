"""How long heavy control calls stall every other client, on a big dataset.

    python benchmarks/stalls.py            # 780,000 backups, then a 1,000,000 generation
    python benchmarks/stalls.py --quick    # 100,000 and 200,000

A probe client asks GET /_mockapi/health over and over while one control call runs, and
the longest answer it waited for is that call's stall. The calls: adding one backup
(POST /_mockapi/data), reading all data (GET /_mockapi/data, streamed), and replacing all
data with generated data (POST /_mockapi/generate). Peak RSS is read from /proc.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from run import free_port, rss_mb  # benchmarks/ is on sys.path when this script runs

PYTHON = sys.executable


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, int]:
    """(status, bytes read) of one control call."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        headers = {"content-type": "application/json"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def stall_during(port: int, method: str, path: str, body: bytes | None = None) -> str:
    """Run one control call while the probe asks; the longest probe wait and the call's time."""
    done = threading.Event()
    result: list[tuple[int, int]] = []

    def control() -> None:
        result.append(call(port, method, path, body))
        done.set()

    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    longest, answers = 0.0, 0
    thread = threading.Thread(target=control)
    began = time.perf_counter()
    thread.start()
    while not done.is_set():
        asked = time.perf_counter()
        probe.request("GET", "/_mockapi/health")
        probe.getresponse().read()
        longest = max(longest, time.perf_counter() - asked)
        answers += 1
    took = time.perf_counter() - began
    thread.join()
    probe.close()
    status, size = result[0]
    return (
        f"| {method} {path} | {status} | {took:.2f} | {size / 1e6:,.1f} | {answers:,} | "
        f"{longest * 1000:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    size, generated = (100_000, 200_000) if args.quick else (780_000, 1_000_000)
    port = free_port()
    command = [
        PYTHON, "-m", "mockapi", "serve", "--port", str(port), "--no-access-log",
        "--seed", "1", "--projects", "1", "--backups-per-project", str(size),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    process.stdout.readline()
    one = {
        "id": "abcdef00-0000-4000-8000-000000000001",
        "projectId": json.loads(http_get(port, "/_mockapi/projects"))[0]["id"],
        "requestedAt": "2026-01-29T10:00:00.000Z",
        "status": "Completed",
        "deletable": True,
    }
    print(f"# stalls, {size:,} backups in one project, {time.strftime('%Y-%m-%d')}")
    print()
    print(
        "| control call | status | seconds | MB read | probe answers meanwhile | longest probe wait ms |"
    )
    print("|---|---|---|---|---|---|")
    try:
        print(stall_during(port, "POST", "/_mockapi/data", json.dumps([one]).encode()))
        print(stall_during(port, "GET", "/_mockapi/data"))
        body = json.dumps({"seed": 2, "projects": 10, "backupsPerProject": generated // 10})
        print(stall_during(port, "POST", "/_mockapi/generate", body.encode()))
        print()
        print(f"RSS now {rss_mb(process.pid):,.0f} MB, peak {peak_rss_mb(process.pid):,.0f} MB")
    finally:
        process.terminate()
        process.wait(30)


def http_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


if __name__ == "__main__":
    main()
