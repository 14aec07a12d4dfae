"""Fallback load generator when wrk is missing: 50 keep-alive connections for N seconds.

python benchmarks/load.py URL SECONDS TOKEN   ->  prints "rps p50_ms p99_ms errors"
"""

from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import urlsplit

CONNECTIONS = 50


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one HTTP/1.1 request on a keep-alive connection; read the answer; its status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def worker(
    host: str, port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < until:
            began = time.perf_counter()
            if not 200 <= await exchange(reader, writer, request) < 300:
                errors.append(1)
            latencies.append((time.perf_counter() - began) * 1000)
    finally:
        writer.close()


async def main(url: str, seconds: float, token: str) -> None:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nx-access-token: {token}\r\n\r\n".encode()
    )
    latencies: list[float] = []
    errors: list[int] = []
    began = time.monotonic()
    until = began + seconds
    await asyncio.gather(
        *(
            worker(
                parts.hostname or "127.0.0.1", parts.port or 80, request, until, latencies, errors
            )
            for _ in range(CONNECTIONS)
        )
    )
    elapsed = time.monotonic() - began
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p99 = latencies[int(len(latencies) * 0.99)]
    print(f"{len(latencies) / elapsed:.1f} {p50:.3f} {p99:.3f} {len(errors)}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), sys.argv[3]))
