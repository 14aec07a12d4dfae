"""Hypothesis: random datasets and queries; the server must agree with a naive reference."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapi import Settings, create_app
from mockapi.dataset import Dataset
from tests.support import pagination

PROJECTS = [
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
]
BASE = datetime(2026, 1, 1, tzinfo=UTC)
TOKEN = {"x-access-token": "t"}

# Few distinct instants, so equal timestamps (ties broken by id) are common.
instants = st.integers(0, 40).map(lambda n: BASE + timedelta(hours=n * 7, milliseconds=n % 3))
texts = st.text(min_size=1, max_size=12)
restore_phase = st.sampled_from(["running", "completed"])


@st.composite
def backups(draw: st.DrawFn) -> dict[str, Any]:
    backup: dict[str, Any] = {
        "id": str(draw(st.uuids(version=4))),
        "projectId": draw(st.sampled_from(PROJECTS)),
        "requestedAt": draw(instants).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "status": draw(st.sampled_from(["Completed", "Failed", "InProgress", "Pending"])),
        "deletable": draw(st.booleans()),
    }
    if draw(st.booleans()):
        backup["description"] = draw(texts)
    if draw(st.integers(0, 3)) == 0:
        backup["export"] = {"format": draw(st.sampled_from(["tar", "zip"])), "withPassword": True}
    if draw(st.integers(0, 3)) == 0:
        backup["restore"] = {"phase": draw(restore_phase)}
    if draw(st.integers(0, 4)) == 0:
        backup["restorePath"] = {
            "clearTargetPath": False,
            "determinedTargetPath": "/html/",
            "phase": draw(restore_phase),
            "sourcePath": "/html/",
        }
    return backup


datasets = st.lists(backups(), max_size=25, unique_by=lambda b: b["id"])


@st.composite
def queries(draw: st.DrawFn, data: list[dict[str, Any]]) -> dict[str, str]:
    query: dict[str, str] = {}
    if draw(st.booleans()):
        known = [b.get("description", "") for b in data] + [b["id"] for b in data]
        source = draw(st.sampled_from(known)) if known and draw(st.booleans()) else draw(texts)
        start = draw(st.integers(0, max(len(source) - 1, 0)))
        term = source[start : start + draw(st.integers(1, 4))]
        query["searchTerm"] = term.upper() if draw(st.booleans()) else term
    for flag in ("withExportsOnly", "runningRestoresOnly", "runningBackupsOnly"):
        if draw(st.integers(0, 2)) == 0:
            query[flag] = draw(st.sampled_from(["true", "false"]))
    if draw(st.booleans()):
        query["sortOrder"] = draw(st.sampled_from(["oldestFirst", "newestFirst"]))
    for name, low, high in (("limit", 0, 12), ("skip", -3, 15), ("page", 0, 6)):
        if draw(st.booleans()):
            query[name] = str(draw(st.integers(low, high)))
    return query


def reference(
    data: list[dict[str, Any]], project: str, query: dict[str, str]
) -> tuple[list[str], tuple[int, int, int, int]]:
    """The obviously-correct answer: ids in order and (limit, skip, page, total)."""
    items = [b for b in data if b["projectId"] == project]
    term = query.get("searchTerm", "").lower()
    if term:
        items = [b for b in items if term in b["id"] or term in b.get("description", "").lower()]
    if query.get("withExportsOnly") == "true":
        items = [b for b in items if "export" in b]
    if query.get("runningRestoresOnly") == "true":
        items = [
            b
            for b in items
            if b.get("restore", {}).get("phase") == "running"
            or b.get("restorePath", {}).get("phase") == "running"
        ]
    if query.get("runningBackupsOnly") == "true":
        items = [b for b in items if b["status"] not in ("Completed", "Failed")]
    items.sort(key=lambda b: (datetime.fromisoformat(b["requestedAt"]), b["id"]))
    if query.get("sortOrder") == "newestFirst":
        items.reverse()
    limit = int(query.get("limit", "0")) or 1000
    skip = int(query.get("skip", "0"))
    page = int(query.get("page", "0"))
    if skip <= 0:
        skip = (page - 1) * limit if page > 0 else 0
    ids = [b["id"] for b in items[skip : skip + limit]]
    return ids, (limit, skip, skip // limit + 1, len(items))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), Dataset())) as test_client:
        yield test_client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets, drawn=st.data())
def test_server_agrees_with_the_reference(
    client: TestClient, data: list[dict[str, Any]], drawn: st.DataObject
) -> None:
    document = {"projects": [{"id": p} for p in PROJECTS], "backups": data}
    assert client.put("/_mockapi/data", json=document).status_code == 200
    for _ in range(drawn.draw(st.integers(1, 4))):
        project = drawn.draw(st.sampled_from(PROJECTS))
        query = drawn.draw(queries(data))
        response = client.get(f"/v2/projects/{project}/backups?{urlencode(query)}", headers=TOKEN)
        assert response.status_code == 200, response.text
        expected_ids, expected_headers = reference(data, project, query)
        assert [b["id"] for b in response.json()] == expected_ids, query
        assert pagination(response) == expected_headers, query
