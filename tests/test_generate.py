"""Generated data: deterministic, spec-valid, and shaped like recorded accounts.

The figures come from 219 recorded backups in 3 real projects: one backup per schedule per
day, requestedAt on the minute, createdAt 6 to 171 s later (median about 8.5 s), expiresAt
retention plus a few milliseconds, only the newest not deletable, about half described,
99.5% Completed.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mockapi.backups.lifecycle import ttl_ms
from mockapi.cli import main
from mockapi.data.fixtures import load_fixtures
from mockapi.data.generate import GenerationOptions, generate, to_document
from tests.support import SpecClient

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "fixtures" / "generated-seed-7.json"
GOLDEN_ARGS = ["generate", "--seed", "7", "--projects", "2", "--backups-per-project", "40"]
QUERIES = ["", "?sortOrder=newestFirst&limit=7&page=3", "?withExportsOnly=true", "?searchTerm=a"]


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


def projects_of(api: SpecClient) -> list[str]:
    return [p.short_id for p in api.app.mock.projects()]


def responses(api: SpecClient) -> list[bytes]:
    bodies = []
    for short in projects_of(api):
        for path in (f"/v2/projects/{short}/backups", f"/v2/projects/{short}/backup-schedules"):
            for query in QUERIES if path.endswith("backups") else [""]:
                response = api.get(path + query)
                assert response.status_code == 200
                bodies.append(response.content + repr(sorted(response.headers.items())).encode())
    return bodies


def test_same_seed_gives_byte_identical_bodies_and_headers(
    make_api: Callable[..., SpecClient],
) -> None:
    first = make_api(None, seed=42, projects=3, backups_per_project=60)
    second = make_api(None, seed=42, projects=3, backups_per_project=60)
    assert len(projects_of(first)) == 3
    assert responses(first) == responses(second)  # trace ids and dates included


def test_different_seeds_differ() -> None:
    a = to_document(generate(GenerationOptions(1, 2, 20)))
    b = to_document(generate(GenerationOptions(2, 2, 20)))
    assert {x["id"] for x in a["backups"]}.isdisjoint({x["id"] for x in b["backups"]})


def test_golden_file_is_regenerated_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    assert main([*GOLDEN_ARGS, "-o", str(out)]) == 0
    assert out.read_bytes() == GOLDEN.read_bytes(), (
        "the generator's output changed; if on purpose, regenerate the golden file in the "
        f"same commit: mockapi {' '.join(GOLDEN_ARGS)} -o fixtures/generated-seed-7.json"
    )


def test_generated_file_loads_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "gen.json"
    assert main(["generate", "--seed", "9", "--backups-per-project", "50", "-o", str(path)]) == 0
    loaded = load_fixtures([path])
    original = generate(GenerationOptions(9, 3, 50))
    assert loaded.backups == original.backups
    assert loaded.schedules == original.schedules
    assert loaded.projects == original.projects


@pytest.mark.parametrize("size", [0, 1, 30, 400])
def test_each_project_gets_exactly_the_asked_number_of_backups(
    make_api: Callable[..., SpecClient], size: int
) -> None:
    api = make_api(None, seed=3, projects=2, backups_per_project=size)
    for short in projects_of(api):
        response = api.get(f"/v2/projects/{short}/backups")
        assert response.status_code == 200
        assert len(response.json()) == size


def test_reference_now_moves_the_data() -> None:
    now = datetime(2027, 6, 1, tzinfo=UTC)
    moved = generate(GenerationOptions(4, 1, 30, now))
    newest = max(parse(b["requestedAt"]) for b in moved.backups)
    assert now - timedelta(days=1) < newest <= now


@pytest.fixture(scope="module")
def account() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dataset = generate(GenerationOptions(11, 12, 40))
    return list(dataset.backups), list(dataset.schedules)


def test_figures_match_recorded_accounts(
    account: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    backups, _ = account
    scheduled = [b for b in backups if "parentId" in b]
    made = [b for b in scheduled if "createdAt" in b]
    deletable = sum(b["deletable"] for b in backups) / len(backups)
    on_the_minute = sum(b["requestedAt"][17:] == "00.000Z" for b in scheduled) / len(scheduled)
    delays = [(parse(b["createdAt"]) - parse(b["requestedAt"])).total_seconds() for b in made]
    expiry_ms = [int(b["expiresAt"][20:23]) for b in made]
    described = sum("description" in b for b in backups) / len(backups)
    completed = sum(b["status"] == "Completed" for b in backups) / len(backups)
    assert deletable == pytest.approx(1 - 1 / 40)  # all but each project's newest
    assert on_the_minute == 1.0
    assert min(delays) >= 6 and max(delays) <= 171
    assert 7 <= statistics.median(delays) <= 10
    assert all(0 < ms < 100 for ms in expiry_ms)  # a few milliseconds, never .000
    assert 0.3 <= described <= 0.7
    assert completed >= 0.98


def test_scheduled_backups_follow_their_schedule(
    account: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    backups, schedules = account
    by_id = {s["id"]: s for s in schedules}
    per_day: dict[tuple[str, str], int] = defaultdict(int)
    for backup in backups:
        if "parentId" not in backup:
            continue
        schedule = by_id[backup["parentId"]]
        assert schedule["projectId"] == backup["projectId"]
        assert backup.get("description") == schedule.get("description")
        minute, hour = schedule["schedule"].split()[:2]
        requested = parse(backup["requestedAt"])
        assert requested.minute == int(minute)
        if hour != "*":
            assert requested.hour == int(hour)
            per_day[(schedule["id"], backup["requestedAt"][:10])] += 1
        if "expiresAt" in backup:
            retention = parse(backup["expiresAt"]) - parse(backup["createdAt"])
            assert timedelta(milliseconds=ttl_ms(schedule["ttl"])) < retention
            assert retention < timedelta(milliseconds=ttl_ms(schedule["ttl"]) + 100)
    assert set(per_day.values()) == {1}  # one backup per schedule per day


def test_every_project_has_one_system_schedule_without_description(
    account: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    backups, schedules = account
    projects = {b["projectId"] for b in backups}
    for project in projects:
        system = [s for s in schedules if s["projectId"] == project and s["isSystemBackup"]]
        assert len(system) == 1
        assert "description" not in system[0]
        assert system[0]["ttl"] in ("7d", "30d")


def test_only_the_newest_is_in_progress_and_manual_backups_are_occasional(
    account: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    backups, _ = account
    for backup in backups:
        same = [b for b in backups if b["projectId"] == backup["projectId"]]
        newest = max(same, key=lambda b: (b["requestedAt"], b["id"]))
        assert backup["deletable"] is (backup is not newest)
        if backup["status"] == "InProgress":
            assert backup is newest
            assert "createdAt" not in backup and "expiresAt" not in backup
    manual = [b for b in backups if "parentId" not in b]
    assert len(manual) / len(backups) < 0.1
    assert all(b["description"] for b in manual)


def test_exports_and_restores_are_rare_and_not_in_every_project(
    account: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    backups, _ = account
    projects = {b["projectId"] for b in backups}
    with_export = {b["projectId"] for b in backups if "export" in b}
    assert 0 < len(with_export) < len(projects)
    assert sum("export" in b for b in backups) / len(backups) < 0.1
    for backup in backups:
        if "export" in backup:
            completed = backup["export"]["phase"] == "Completed"
            assert ("downloadURL" in backup["export"]) is completed
            assert ("sha256Checksum" in backup["export"]) is completed


def test_generated_json_is_a_fixture_document(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    args = ["generate", "--seed", "1", "--projects", "1", "--backups-per-project", "3"]
    assert main([*args, "-o", str(path)]) == 0
    document = json.loads(path.read_text())
    assert list(document) == ["projects", "schedules", "backups"]
    assert document["projects"][0]["shortId"].startswith("p-")
