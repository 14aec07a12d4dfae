"""Control reads while requests pour in: never a 500 (the soak run once found one here)."""

from __future__ import annotations

import threading

import httpx2

from mockapi import MockServer, Settings


def test_journal_and_faults_read_safely_under_load() -> None:
    with MockServer(Settings(journal_size=5000)) as server:
        stop = threading.Event()
        statuses: list[int] = []

        def hammer() -> None:
            with httpx2.Client(base_url=server.url, headers={"x-access-token": "t"}) as client:
                while not stop.is_set():
                    statuses.append(client.get("/v2/projects/p-kbuygq/backups?limit=2").status_code)

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            with httpx2.Client(base_url=server.url) as control:
                for n in range(300):
                    statuses.append(control.get("/_mockapi/journal").status_code)
                    statuses.append(control.get("/_mockapi/faults").status_code)
                    if n % 50 == 0:
                        statuses.append(
                            control.post(
                                "/_mockapi/faults", json={"delayMs": 1, "count": 5}
                            ).status_code
                        )
                    # The pytest handle reads the same state from this (non-server) thread.
                    assert len(server.journal()) <= 5000
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
    assert statuses and all(status < 500 for status in statuses)
