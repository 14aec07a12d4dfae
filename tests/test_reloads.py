"""Replacing the data while readers hammer the server: every answer is wholly old or new."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx2

from mockapi import MockServer, Settings

PROJECT = "cccccccc-0000-4000-8000-000000000001"


def dataset(prefix: str, count: int) -> dict[str, Any]:
    backups = [
        {
            "id": f"{prefix}-0000-4000-8000-{n:012d}",
            "projectId": PROJECT,
            "requestedAt": f"2026-01-01T00:00:{n % 60:02d}.000Z",
            "status": "Completed",
            "deletable": False,
            **({"export": {"format": "tar", "withPassword": False}} if n % 3 == 0 else {}),
        }
        for n in range(count)
    ]
    return {"projects": [{"id": PROJECT, "shortId": "p-reload"}], "backups": backups}


OLD, NEW = dataset("aaaaaaaa", 30), dataset("bbbbbbbb", 45)
# For each query: total matching in OLD and in NEW.
QUERIES = {
    "limit=7&page=2": {"aaaaaaaa": 30, "bbbbbbbb": 45},
    "limit=5&sortOrder=newestFirst&withExportsOnly=true": {"aaaaaaaa": 10, "bbbbbbbb": 15},
}


def test_responses_are_wholly_from_one_dataset_during_reloads() -> None:
    with MockServer(Settings(), None) as server:
        control = httpx2.Client(base_url=server.url)
        assert control.put("/_mockapi/data", json=OLD).status_code == 200
        stop = threading.Event()
        problems: list[str] = []
        seen: dict[str, int] = {"aaaaaaaa": 0, "bbbbbbbb": 0}

        def read() -> None:
            with httpx2.Client(base_url=server.url, headers={"x-access-token": "t"}) as client:
                while not stop.is_set():
                    for query, totals in QUERIES.items():
                        response = client.get(f"/v2/projects/p-reload/backups?{query}")
                        if response.status_code != 200:
                            problems.append(f"{query}: status {response.status_code}")
                            continue
                        prefixes = {item["id"][:8] for item in response.json()}
                        if len(prefixes) != 1:
                            problems.append(f"{query}: mixed datasets {prefixes}")
                            continue
                        [prefix] = prefixes
                        seen[prefix] += 1
                        total = int(response.headers["x-pagination-totalcount"])
                        if total != totals[prefix]:
                            problems.append(f"{query}: total {total} for dataset {prefix}")

        readers = [threading.Thread(target=read) for _ in range(4)]
        for reader in readers:
            reader.start()
        try:
            for round_ in range(30):
                document = NEW if round_ % 2 == 0 else OLD
                assert control.put("/_mockapi/data", json=document).status_code == 200
                rejected = control.put("/_mockapi/data", json=[{"id": "broken"}])
                assert rejected.status_code == 400
                time.sleep(0.02)
        finally:
            stop.set()
            for reader in readers:
                reader.join(30)
        # The last load (OLD) is what is served: the rejected loads changed nothing.
        assert control.get("/_mockapi/health").json()["backups"] == 30
        control.close()
    assert problems == []
    assert seen["aaaaaaaa"] > 0 and seen["bbbbbbbb"] > 0
