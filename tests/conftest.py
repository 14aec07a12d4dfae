"""Shared fixtures: a small, readable dataset and spec-checked clients over it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import httpcore2  # noqa: F401  (see below)
import pytest
from _pytest.nodeid import NodeId
from hypothesis import settings

from mockapi import Dataset, Settings, create_app
from mockapi.backups.dataset import combine
from mockapi.data.fixtures import parse_document
from mockapi.query import _backup_query_cached
from tests.support import InlineClient, SpecClient, backup_id

pytest_plugins = ["pytester"]
# pytester's in-process runs (test_pytest_plugin, test_readme_examples) drop the modules first
# imported during them. httpx2 keeps the exception classes of the first httpcore2 it met, so
# a second httpcore2 would raise errors it no longer maps (a refused connection escaped as
# httpcore2.ConnectError): httpcore2 is imported here, once for the whole run.

# `mutmut run` selects this profile (pyproject's [tool.mutmut]): every mutant meets the same
# few examples, so its verdict repeats from run to run and the run stays short.
settings.register_profile("mutation", max_examples=20, derandomize=True, database=None)

TABLE_PROJECT = "11111111-1111-4111-8111-111111111111"
OTHER_PROJECT = "22222222-2222-4222-8222-222222222222"
EMPTY_PROJECT = "33333333-3333-4333-8333-333333333333"


def _backup(n: int, day: int, status: str = "Completed", **fields: Any) -> dict[str, Any]:
    backup = {
        "id": backup_id(n),
        "projectId": fields.pop("projectId", TABLE_PROJECT),
        "requestedAt": f"2026-01-{day:02d}T03:00:00.000Z",
        "status": status,
        "deletable": fields.pop("deletable", True),
        **fields,
    }
    if status == "Completed":
        backup["createdAt"] = f"2026-01-{day:02d}T03:01:00Z"
    return backup


EXPORT_DONE = {
    "downloadURL": "https://example.invalid/backup.tar.gz",
    "expiresAt": "2026-02-01T00:00:00Z",
    "format": "tar",
    "phase": "Completed",
    "sha256Checksum": "ab" * 32,
    "withPassword": False,
}

# Backups 1-8 of the table project, oldest first; 5 and 6 share their requestedAt; 6 is the
# newest Completed one (the one kept), 7 and 8 are still running.
TABLE_DOCUMENT: dict[str, Any] = {
    "projects": [
        {"id": TABLE_PROJECT, "shortId": "p-tbl001", "description": "table project"},
        {"id": OTHER_PROJECT, "shortId": "p-tbl002"},
        {"id": EMPTY_PROJECT, "shortId": "p-tbl003"},
    ],
    "backups": [
        _backup(1, 1, description="before plugin update", export=EXPORT_DONE),
        _backup(2, 2),
        _backup(
            3,
            3,
            export={"format": "zip", "phase": "Pending", "withPassword": True},
            restore={
                "phase": "running",
                "databaseRestores": [
                    {"databaseBackupDump": "dbdump-mysql-1", "targetDatabaseId": backup_id(99)}
                ],
            },
        ),
        _backup(4, 4, status="Failed"),
        _backup(
            5,
            5,
            description="Before PHP upgrade",
            restorePath={
                "clearTargetPath": False,
                "determinedTargetPath": "/html/",
                "phase": "running",
                "sourcePath": "/html/",
            },
        ),
        _backup(
            6,
            5,
            deletable=False,  # the newest Completed one: kept
            restore={
                "phase": "completed",
                "pathRestore": {
                    "clearTargetPath": True,
                    "determinedTargetPath": "/html/app",
                    "sourcePaths": ["/html/app/"],
                },
            },
        ),
        _backup(7, 6, status="InProgress"),
        _backup(
            8,
            7,
            status="Pending",
            description="nightly",
            export={"format": "tar", "phase": "Exporting", "withPassword": False},
        ),
        _backup(21, 2, projectId=OTHER_PROJECT),
        _backup(22, 3, projectId=OTHER_PROJECT, deletable=False),
    ],
}


def table_dataset() -> Dataset:
    """The table dataset, loaded through the same validation as fixture files."""
    dataset, problems = parse_document("table", TABLE_DOCUMENT)
    assert problems == []
    return combine([dataset])


@pytest.fixture(autouse=True)
def _parse_every_query_afresh() -> None:
    """Empty the parsed-query cache, so each test's queries reach the parser.

    The cache is shared by the process; mutation runs fork from a process that already
    parsed every query of the clean run, and would otherwise never parse one again.
    """
    _backup_query_cached.cache_clear()


@pytest.fixture
def make_api() -> Iterator[Callable[..., SpecClient]]:
    """Build a spec-checked client: over the table dataset, a given one, or (None) the data
    the settings ask for."""
    clients: list[InlineClient] = []

    def build(dataset: Dataset | str | None = "table", **settings: Any) -> SpecClient:
        chosen = table_dataset() if dataset == "table" else dataset
        assert not isinstance(chosen, str)
        # Tests run on a frozen clock unless they ask for a running one.
        settings.setdefault("clock", "frozen")
        app = create_app(Settings(**settings), chosen)
        client = InlineClient(app)
        clients.append(client)
        return SpecClient(client)

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def api(make_api: Callable[..., SpecClient]) -> SpecClient:
    """A spec-checked client over the table dataset with default settings."""
    return make_api()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: one worker more than there are cores.

    A good part of the suite waits (on sockets, on `mockapi serve` processes, on Chromium):
    on the 2-core VM, three workers finish the README command in ~125 s, two in ~140 s.
    PYTEST_XDIST_AUTO_NUM_WORKERS still wins (pytest-xdist reads it when this says None).
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each `xdist_group` item its group in the node id pytest 9.2 reads, and each item
    the `_nodeid` that Schemathesis's fuzz reads while it runs.

    pytest-xdist (3.8) marks a group by setting `item._nodeid`, which pytest 9.2 no longer
    reads: the groups were split over the workers, and each started the browser, the fuzz's
    app and the official clients' tools once more. The `@group` suffix goes into `_id` here.
    Schemathesis (4.32) names each operation's subtest by rewriting `_nodeid`, and fails
    where pytest 9.2 made none.
    """
    grouping = getattr(config.option, "loadgroup", False)  # set on pytest-xdist's workers
    for item in items:
        node_id = getattr(item, "_id", None)
        if node_id is None:
            continue
        groups = sorted({_group_name(mark) for mark in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(groups)
        if grouping and groups and not str(node_id).endswith(suffix):
            item._id = node_id = NodeId.parse(str(node_id) + suffix)
        if not hasattr(item, "_nodeid"):
            item._nodeid = str(node_id)  # type: ignore[attr-defined]


def _group_name(mark: pytest.Mark) -> str:
    """An `xdist_group` mark's name, as pytest-xdist reads it."""
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
