"""Generated data: deterministic, spec-valid, and shaped like real accounts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockapi.cli import main
from mockapi.fixtures import load_fixtures
from mockapi.generate import GenerationOptions, generate, to_document
from tests.support import SpecClient

QUERIES = [
    "",
    "?sortOrder=newestFirst&limit=7&page=3",
    "?withExportsOnly=true",
    "?searchTerm=before",
]


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def responses(api: SpecClient) -> list[bytes]:
    bodies = []
    for query in QUERIES:
        for short in projects_of(api):
            response = api.get(f"/v2/projects/{short}/backups{query}")
            assert response.status_code == 200
            bodies.append(response.content + repr(sorted(response.headers.items())).encode())
    return bodies


def projects_of(api: SpecClient) -> list[str]:
    app = api.client.app
    return [p.info.short_id for p in app.state.mockapi.store.projects.values()]  # type: ignore[attr-defined]


def test_same_seed_gives_byte_identical_responses(make_api: Callable[..., SpecClient]) -> None:
    first = make_api(None, seed=42, projects=3, backups_per_project=60)
    second = make_api(None, seed=42, projects=3, backups_per_project=60)
    assert len(projects_of(first)) == 3
    assert responses(first) == responses(second)


def test_different_seeds_differ() -> None:
    a = to_document(generate(GenerationOptions(1, 2, 20)))
    b = to_document(generate(GenerationOptions(2, 2, 20)))
    assert a != b
    assert {x["id"] for x in a["backups"]}.isdisjoint({x["id"] for x in b["backups"]})


def test_generate_command_writes_identical_files(tmp_path: Path) -> None:
    args = ["generate", "--seed", "5", "--projects", "2", "--backups-per-project", "25"]
    assert main([*args, "-o", str(tmp_path / "a.json")]) == 0
    assert main([*args, "-o", str(tmp_path / "b.json")]) == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_generated_file_loads_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "gen.json"
    assert main(["generate", "--seed", "9", "--backups-per-project", "50", "-o", str(path)]) == 0
    loaded = load_fixtures([path])
    original = generate(GenerationOptions(9, 3, 50))
    assert loaded.backups == original.backups
    assert loaded.projects == original.projects


def test_generated_data_is_spec_valid_over_http(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(None, seed=3, projects=4, backups_per_project=400)
    for short in projects_of(api):
        response = api.get(f"/v2/projects/{short}/backups")
        assert response.status_code == 200
        assert len(response.json()) == 400


def test_reference_now_moves_the_data_and_nothing_else() -> None:
    now = datetime(2027, 6, 1, tzinfo=UTC)
    moved = generate(GenerationOptions(4, 1, 30, now))
    assert max(parse(b["requestedAt"]) for b in moved.backups) <= now
    assert max(parse(b["requestedAt"]) for b in moved.backups) > now - timedelta(days=1)


@pytest.fixture(scope="module")
def realistic() -> list[dict[str, object]]:
    return list(generate(GenerationOptions(11, 5, 400)).backups)


def test_one_nightly_backup_per_project_at_a_fixed_minute(realistic: list[dict]) -> None:
    by_project: dict[str, list[dict]] = {}
    for backup in realistic:
        if "parentId" in backup:
            by_project.setdefault(backup["projectId"], []).append(backup)
    assert len(by_project) == 5
    for backups in by_project.values():
        minutes = {parse(b["requestedAt"]).strftime("%H:%M") for b in backups}
        assert len(minutes) == 1
        assert len({b["parentId"] for b in backups}) == 1
        days = [parse(b["requestedAt"]).date() for b in backups]
        assert len(days) == len(set(days))
        assert all("description" not in b for b in backups)


def test_created_in_whole_seconds_shortly_after_request_and_expiring_in_30_days(
    realistic: list[dict],
) -> None:
    for backup in realistic:
        if "createdAt" not in backup:
            continue
        created, requested = parse(backup["createdAt"]), parse(backup["requestedAt"])
        assert created.microsecond == 0
        assert timedelta(0) < created - requested < timedelta(minutes=10)
        if "parentId" in backup:
            assert parse(backup["expiresAt"]) - created == timedelta(days=30)


def test_statuses_exports_restores_and_manual_backups_are_realistic(realistic: list[dict]) -> None:
    total = len(realistic)
    completed = sum(b["status"] == "Completed" for b in realistic)
    assert completed / total > 0.97
    in_progress = [b for b in realistic if b["status"] == "InProgress"]
    for backup in in_progress:
        same_project = [b for b in realistic if b["projectId"] == backup["projectId"]]
        assert backup["requestedAt"] == max(b["requestedAt"] for b in same_project)
        assert "createdAt" not in backup and "expiresAt" not in backup
    manual = [b for b in realistic if "parentId" not in b]
    assert 0.02 < len(manual) / total < 0.1
    assert all(b["description"] and b["deletable"] for b in manual)
    exports = [b for b in realistic if "export" in b]
    assert 0.02 < len(exports) / total < 0.15
    for backup in exports:
        completed_export = backup["export"]["phase"] == "Completed"
        assert ("downloadURL" in backup["export"]) is completed_export
    restores = [b for b in realistic if "restore" in b]
    assert 0 < len(restores) / total < 0.05


def test_generated_json_is_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    main(
        [
            "generate",
            "--seed",
            "1",
            "--projects",
            "1",
            "--backups-per-project",
            "3",
            "-o",
            str(path),
        ]
    )
    document = json.loads(path.read_text())
    assert set(document) == {"projects", "backups"}
    assert document["projects"][0]["shortId"].startswith("p-")
