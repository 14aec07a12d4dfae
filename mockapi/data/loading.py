"""Assemble the startup dataset the settings ask for: default, fixtures and/or generated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import resources
from types import MappingProxyType
from typing import Any

import orjson

from mockapi.backups import lifecycle as life
from mockapi.backups.clock import DEFAULT_NOW
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.data.fixtures import FixtureError, load_fixtures, parse_document
from mockapi.data.generate import GenerationOptions, generate
from mockapi.ids import uuid_from_text
from mockapi.settings import Settings
from mockapi.timestamps import format_epoch_ms, parse_ms, to_ms

DEFAULT_DATASET = "default-dataset.json"
_TIMESTAMP_KEYS = frozenset({"createdAt", "expiresAt", "requestedAt", "updatedAt"})
WEEK_MS = 7 * life.DAY_MS
# A running backup requested this shortly before the data's 12:00 is one "just asked for".
RECENT_MS = 3_600_000


def _shifted(value: Any, delta_ms: int) -> Any:
    if isinstance(value, dict):
        return {
            key: format_epoch_ms(parse_ms(item) + delta_ms)
            if key in _TIMESTAMP_KEYS and isinstance(item, str)
            else _shifted(item, delta_ms)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shifted(item, delta_ms) for item in value]
    return value


def _moved(document: dict[str, Any], now_ms: int) -> dict[str, Any]:
    """The dataset's story told at `now_ms`: its dates move in whole weeks (so every cron
    time, weekly ones too, stays on its minute and weekday), the runs its schedules would
    have made since are made as the clock makes them, what would have expired is gone, and
    what was running moments before 12:00 (a backup "requested seconds ago") is running
    just as long before `now_ms`."""
    written = to_ms(DEFAULT_NOW)
    weeks = (now_ms - written) // WEEK_MS * WEEK_MS
    anchor = written + weeks
    # A schedule made within a day before 12:00 (a project "without backups yet") keeps its
    # age, so it has made at most the runs of that day.
    schedules = [
        _shifted(s, now_ms - written if written - parse_ms(s["createdAt"]) < life.DAY_MS else weeks)
        for s in document["schedules"]
    ]
    backups = []
    for backup in document["backups"]:
        requested = parse_ms(backup["requestedAt"])
        recent = life.is_running(backup) and written - requested < RECENT_MS
        backups.append(_shifted(backup, now_ms - written if recent else weeks))
    for schedule in schedules:
        backups += _runs_since(schedule, max(anchor, parse_ms(schedule["createdAt"])), now_ms)
    kept = [b for b in backups if "expiresAt" not in b or parse_ms(b["expiresAt"]) > now_ms]
    for backup in kept:
        export = backup.get("export", {})
        if export.get("phase") == "Completed" and parse_ms(export["expiresAt"]) <= now_ms:
            backup["export"] = life.export_expired(export)
    _keep_newest_completed(kept)
    return {**document, "schedules": schedules, "backups": kept}


def _runs_since(schedule: dict[str, Any], after_ms: int, now_ms: int) -> list[dict[str, Any]]:
    """The backups a schedule makes at its cron times in (after_ms, now_ms], as the clock
    would have (ids, delays and expiries derived from each run, as the store derives them)."""
    retention = life.ttl_ms(schedule.get("ttl", "30d"))
    made = []
    for at in life.runs_between(
        schedule["schedule"], max(after_ms, now_ms - retention - life.DAY_MS), now_ms
    ):
        key = f"{schedule['id']}:{at}"
        created = at + life.creation_delay_s(key) * 1000
        backup: dict[str, Any] = {"deletable": True}
        if "description" in schedule:
            backup["description"] = schedule["description"]
        backup.update(
            id=uuid_from_text(key),
            parentId=schedule["id"],
            projectId=schedule["projectId"],
            requestedAt=format_epoch_ms(at),
            status="InProgress",
        )
        if created <= now_ms:
            backup["status"] = "Completed"
            backup["createdAt"] = format_epoch_ms(created)
            expires = created + retention + life.expiry_jitter_ms(key)
            backup["expiresAt"] = format_epoch_ms(expires)
        made.append(backup)
    return made


def _keep_newest_completed(backups: list[dict[str, Any]]) -> None:
    """Only each project's newest Completed backup is not deletable (as recorded)."""
    newest: dict[str, dict[str, Any]] = {}
    for backup in backups:
        backup["deletable"] = True
        if backup["status"] == "Completed":
            known = newest.get(backup["projectId"])
            if known is None or (backup["requestedAt"], backup["id"]) > (
                known["requestedAt"],
                known["id"],
            ):
                newest[backup["projectId"]] = backup
    for backup in newest.values():
        backup["deletable"] = False


def load_default_dataset(now: datetime = DEFAULT_NOW) -> Dataset:
    """The hand-curated dataset shipped inside the package; its dates are written for
    DEFAULT_NOW, and its story is told at `now` (see `_moved`)."""
    source = resources.files("mockapi") / "data" / DEFAULT_DATASET
    document = orjson.loads(source.read_bytes())
    if to_ms(now) != to_ms(DEFAULT_NOW):
        document = _moved(document, to_ms(now))
    dataset, problems = parse_document(f"built-in {DEFAULT_DATASET}", document)
    if problems:  # pragma: no cover - the shipped file is checked by the tests
        raise FixtureError("\n".join(problems))
    return combine([dataset])


def generation_options(settings: Settings) -> GenerationOptions | None:
    """What to generate, or None when no --seed was given."""
    if settings.seed is None:
        return None
    return GenerationOptions(
        settings.seed, settings.projects, settings.backups_per_project, settings.now
    )


def aliases(settings: Settings) -> Dataset:
    """The projects named by --project-alias (short id and description for a UUID)."""
    projects = tuple(
        ProjectInfo(uuid, short, description, MappingProxyType({}))
        for uuid, short, description in settings.aliases()
    )
    return Dataset(projects, source="--project-alias")


def load_dataset(settings: Settings, progress: Callable[[int], None] | None = None) -> Dataset:
    """Everything to serve; raise DatasetError (naming file, item, field) on bad data."""
    parts: list[Dataset] = [aliases(settings)] if settings.project_aliases else []
    if settings.uses_default_dataset:
        parts.append(load_default_dataset(settings.now))
    if settings.fixtures:
        parts.append(load_fixtures(settings.fixtures))
    options = generation_options(settings)
    if options is not None:
        parts.append(generate(options, progress))
    try:
        return combine(parts)
    except DatasetError as error:
        raise FixtureError("invalid data:\n  " + str(error).replace("\n", "\n  ")) from None
