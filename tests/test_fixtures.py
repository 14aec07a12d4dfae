"""Fixture files: both formats load; every problem names the file, the item and the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mockapi.backups.dataset import DatasetError
from mockapi.cli import main
from mockapi.data.loading import load_dataset
from mockapi.settings import Settings
from tests.conftest import TABLE_DOCUMENT
from tests.support import SpecClient

REPO = Path(__file__).parent.parent
GOOD = {
    "id": "aaaaaaaa-0000-4000-8000-000000000001",
    "projectId": "bbbbbbbb-0000-4000-8000-000000000001",
    "requestedAt": "2026-01-01T03:00:00.000Z",
    "status": "Completed",
    "deletable": False,
}


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["validate", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[{", ["broken.json", "not valid JSON"]),
        ("[NaN]", ["broken.json", "not valid JSON"]),
        ('{"items": []}', ["broken.json", "expected a JSON array"]),
        ("42", ["broken.json", "expected a JSON array"]),
        (
            [
                GOOD,
                {k: v for k, v in GOOD.items() if k != "status"} | {"id": GOOD["id"][:-1] + "2"},
            ],
            ["item 1", GOOD["id"][:-1] + "2", "'status'", "required field is missing"],
        ),
        ([GOOD | {"deletable": "yes"}], ["item 0", GOOD["id"], "'deletable'", "boolean"]),
        ([GOOD | {"requestedAt": 1767225600}], ["item 0", "'requestedAt'", "string"]),
        ([GOOD | {"requestedAt": "yesterday"}], ["item 0", "'requestedAt'", "yesterday"]),
        ([GOOD | {"requestedAt": "2026-01-01T03:00:00"}], ["'requestedAt'", "timezone"]),
        ([GOOD | {"id": "not-a-uuid"}], ["item 0 (id not-a-uuid)", "'id'", "UUID"]),
        (
            [GOOD | {"export": {"format": "tar", "withPassword": False, "phase": "Done"}}],
            ["item 0", "'export.phase'", "Completed", "'Done'"],
        ),
        (
            [GOOD | {"restore": {"phase": "paused"}}],
            ["'restore.phase'", "running", "'paused'"],
        ),
        ([GOOD | {"description": None}], ["item 0", "'description' is null", "omits"]),
        ([GOOD | {"export": None}], ["item 0", "'export' is null"]),
        ([GOOD | {"descripton": "typo"}], ["item 0", "'descripton'", "not a field"]),
        ([GOOD, GOOD], ["item 1", GOOD["id"], "duplicate backup id", "item 0"]),
        (["a string"], ["item 0", "object"]),
        (
            {"projects": [{"id": GOOD["projectId"], "shortId": "P-BAD"}], "backups": [GOOD]},
            ["project item 0", "'shortId'", "p-"],
        ),
        ({"backups": [GOOD], "extra": 1}, ["unknown top-level key", "extra"]),
    ],
)
def test_bad_fixture_is_rejected_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, expected: list[str]
) -> None:
    path = write(tmp_path, "broken.json", content)
    code, output = validate(capsys, path)
    assert code != 0
    for fragment in expected:
        assert fragment in output, (fragment, output)
    assert str(path) in output


def test_duplicate_id_across_files_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.json", [GOOD])
    second = write(tmp_path, "b.json", [GOOD])
    code, output = validate(capsys, first, second)
    assert code != 0
    assert "b.json: backup item 0" in output
    assert "a.json: backup item 0" in output


def test_conflicting_short_ids_are_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = "cccccccc-0000-4000-8000-000000000001"
    document = {
        "projects": [
            {"id": GOOD["projectId"], "shortId": "p-same00"},
            {"id": other, "shortId": "p-same00"},
        ],
        "backups": [GOOD],
    }
    code, output = validate(capsys, write(tmp_path, "p.json", document))
    assert code != 0
    assert "p-same00" in output


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = validate(capsys, tmp_path / "nope.json")
    assert code != 0
    assert "nope.json" in output


def test_every_problem_is_reported_not_just_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [GOOD | {"id": f"aaaaaaaa-0000-4000-8000-00000000000{i}", "status": i} for i in range(3)]
    code, output = validate(capsys, write(tmp_path, "many.json", bad))
    assert code != 0
    assert all(f"item {i}" in output for i in range(3))


def test_plain_array_and_rich_document_both_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = write(tmp_path, "plain.json", [GOOD])
    rich = write(tmp_path, "rich.json", TABLE_DOCUMENT)
    code, output = validate(capsys, plain, rich)
    assert code == 0
    assert "11 backups, 4 projects" in output


def test_a_folder_loads_its_json_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "one.json", [GOOD])
    write(tmp_path, "two.json", TABLE_DOCUMENT)
    write(tmp_path, "notes.txt", "not json, not loaded")
    code, output = validate(capsys, tmp_path)
    assert code == 0
    assert "11 backups" in output


def test_shipped_example_fixtures_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = validate(capsys, REPO / "fixtures")
    assert code == 0, output


PLAIN = Path(__file__).parent.parent / "fixtures" / "plain-array-p-4x9zt2.json"
BLOG = "7c9e4b21-5d3a-4f86-a1e0-6b8d2c4f9e37"


def test_a_saved_plain_array_keeps_its_short_id_through_an_alias(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, fixtures=[PLAIN], project_aliases=[f"{BLOG}=p-4x9zt2:Company blog"])
    assert len(api.get("/v2/projects/p-4x9zt2/backups").json()) == 5
    project = api.get("/v2/projects/p-4x9zt2").json()
    assert (project["id"], project["description"]) == (BLOG, "Company blog")


def test_without_an_alias_the_short_id_is_derived(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(None, fixtures=[PLAIN])
    assert api.get("/v2/projects/p-4x9zt2/backups").status_code == 403
    [project] = api.app.mock.projects()
    assert project.id == BLOG and project.short_id.startswith("p-")


def test_aliases_come_comma_separated_from_the_environment() -> None:
    other = "0a2b4c6d-8e0f-4a1b-9c2d-3e4f5a6b7c8d"
    settings = Settings.from_environment(
        {"MOCKAPI_PROJECT_ALIASES": f"{BLOG}=p-4x9zt2:Company blog, {other}=p-n3wpr0"}
    )
    assert settings.aliases() == [
        (BLOG, "p-4x9zt2", "Company blog"),
        (other, "p-n3wpr0", ""),
    ]


def test_an_alias_that_contradicts_the_fixture_is_refused(tmp_path: Path) -> None:
    document = {"projects": [{"id": BLOG, "shortId": "p-other1"}], "backups": []}
    path = write(tmp_path, "named.json", document)
    with pytest.raises(DatasetError, match="already named p-4x9zt2"):
        load_dataset(Settings(fixtures=[path], project_aliases=[f"{BLOG}=p-4x9zt2"]))


# --- what loading adds: the system schedule and the retention of scheduled backups -------------

LOADED_PROJECT = "eeeeeeee-0000-4000-8000-000000000001"
NIGHTLY = "eeeeeeee-5555-4000-8000-000000000001"
USER_SCHEDULE = "eeeeeeee-5555-4000-8000-000000000002"
# The system schedule LOADED_PROJECT is given when its data names none: fixed, so saved
# client fixtures and recordings stay valid from version to version.
DERIVED = "a1e2177e-154d-42b2-8faf-2262a3abc953"
DAY_MS = 86_400_000


def _backup(n: int, requested: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"eeeeeeee-0000-4000-8000-{n:012d}",
        "projectId": LOADED_PROJECT,
        "requestedAt": requested,
        "status": "Completed",
        "deletable": False,
        **fields,
    }


def _serve(api: SpecClient, backups: list[dict[str, Any]], **document: Any) -> None:
    body = {"projects": [{"id": LOADED_PROJECT, "shortId": "p-load01"}], "backups": backups}
    assert api.client.put("/_mockapi/data", json={**body, **document}).status_code == 200


def _ms(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp() * 1000)


@pytest.mark.parametrize(
    ("backups", "system"),
    [
        # Its id is the parentId of the undescribed backups; it runs at the newest one's minute.
        (
            [
                _backup(1, "2026-01-28T01:05:00.000Z", parentId=NIGHTLY),
                _backup(2, "2026-01-29T23:47:12.000Z", parentId=NIGHTLY),
            ],
            (NIGHTLY, "47 23 * * *"),
        ),
        # Described backups come from user schedules, however many there are.
        (
            [
                _backup(1, "2026-01-28T02:10:00.000Z", parentId=NIGHTLY),
                *(
                    _backup(
                        n,
                        f"2026-01-2{n}T05:40:00.000Z",
                        parentId=USER_SCHEDULE,
                        description="hourly",
                    )
                    for n in (2, 3, 4)
                ),
            ],
            (NIGHTLY, "10 2 * * *"),
        ),
        # Without nightly backups, a stable one in the night hours, derived from the project id.
        ([], (DERIVED, "17 2 * * *")),
        ([_backup(1, "2026-01-29T11:00:00.000Z")], (DERIVED, "17 2 * * *")),
    ],
)
def test_a_project_without_a_system_schedule_is_given_one(
    api: SpecClient, backups: list[dict[str, Any]], system: tuple[str, str]
) -> None:
    _serve(api, backups)
    (schedule,) = api.get("/v2/projects/p-load01/backup-schedules").json()
    assert schedule["isSystemBackup"] is True
    assert schedule["ttl"] == "30d"
    assert (schedule["id"], schedule["schedule"]) == system


@pytest.mark.parametrize(("ttl", "days"), [("7d", 7), ("240h", 10), (None, 30)])
@pytest.mark.parametrize(
    "made_by", ["a run of the schedule", "loading, still running", "adding, still running"]
)
def test_a_scheduled_backup_is_kept_for_its_schedules_ttl(
    api: SpecClient, ttl: str | None, days: int, made_by: str
) -> None:
    schedule = {
        "id": NIGHTLY,
        "projectId": LOADED_PROJECT,
        "isSystemBackup": True,
        "schedule": "0 13 * * *",  # the clock stands at 12:00
        **({"ttl": ttl} if ttl else {}),
    }
    running = _backup(1, "2026-01-30T11:59:00.000Z", parentId=NIGHTLY, status="InProgress")
    if made_by == "adding, still running":
        _serve(api, [], schedules=[schedule])
        assert api.client.post("/_mockapi/data", json=[running]).status_code == 200
    else:
        _serve(api, [running], schedules=[schedule])
    api.advance(7200)
    made = {b["requestedAt"][11:16]: b for b in api.get("/v2/projects/p-load01/backups").json()}
    backup = made["13:00" if made_by == "a run of the schedule" else "11:59"]
    kept = _ms(backup["expiresAt"]) - _ms(backup["createdAt"])
    assert days * DAY_MS <= kept < days * DAY_MS + 1000


TYPO = "bbbbbbbb-0000-4000-8000-00000000000b"


@pytest.mark.parametrize("kind", ["backup", "schedule"])
def test_a_document_that_lists_projects_refuses_an_item_of_another_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    schedule = {
        "createdAt": "2026-01-01T00:00:00.000Z",
        "id": "dddddddd-0000-4000-8000-000000000001",
        "isSystemBackup": False,
        "projectId": TYPO,
        "schedule": "0 4 * * *",
        "ttl": "7d",
    }
    document = {
        "projects": [{"id": GOOD["projectId"], "shortId": "p-good00"}],
        "backups": [GOOD | {"projectId": TYPO}] if kind == "backup" else [GOOD],
        "schedules": [schedule] if kind == "schedule" else [],
    }
    code, output = validate(capsys, write(tmp_path, "typo.json", document))
    assert code == 2
    assert (
        f"typo.json: {kind} item 0 (id {(GOOD if kind == 'backup' else schedule)['id']}): "
        f"field 'projectId': project {TYPO} is not in this document's 'projects'"
    ) in output
    # Without a projects list, a projectId names its project (a plain array, as before).
    code, _ = validate(capsys, write(tmp_path, "plain.json", [GOOD | {"projectId": TYPO}]))
    assert code == 0


def test_every_problem_of_a_run_is_reported_at_once_every_duplicate_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = GOOD | {"id": "aaaaaaaa-0000-4000-8000-000000000002", "status": 3}
    first = write(tmp_path, "a.json", [GOOD, other])
    second = write(tmp_path, "b.json", [GOOD, GOOD])
    code, output = validate(capsys, first, second)
    assert code == 2
    lines = [line for line in output.splitlines() if line.startswith("mockapi: ")]
    # The schema problem and both duplicates, in one run.
    assert any("a.json: backup item 1" in line and "'status'" in line for line in lines), lines
    duplicates = [line for line in lines if "duplicate backup id" in line]
    assert [line.split(": backup item ")[1][:1] for line in duplicates] == ["0", "1"]
    assert all(f"{second}: backup item" in line for line in duplicates)
    assert len(lines) == 3
