"""Assemble the startup dataset the settings ask for: default, fixtures and/or generated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib import resources
from types import MappingProxyType
from typing import Any

import orjson

from mockapi.backups.clock import DEFAULT_NOW
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.backups.lifecycle import DAY_MS
from mockapi.data.fixtures import FixtureError, load_fixtures, parse_document
from mockapi.data.generate import GenerationOptions, generate
from mockapi.settings import Settings
from mockapi.timestamps import format_epoch_ms, parse_ms, to_ms

DEFAULT_DATASET = "default-dataset.json"
_TIMESTAMP_KEYS = frozenset({"createdAt", "expiresAt", "requestedAt", "updatedAt"})


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


def load_default_dataset(now: datetime = DEFAULT_NOW) -> Dataset:
    """The hand-curated dataset shipped inside the package; its dates are written for
    DEFAULT_NOW and move to `now` in whole days."""
    source = resources.files("mockapi") / "data" / DEFAULT_DATASET
    document = orjson.loads(source.read_bytes())
    days = (to_ms(now) - to_ms(DEFAULT_NOW)) // DAY_MS
    if days:
        document = _shifted(document, days * DAY_MS)
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
        raise FixtureError(f"invalid data:\n  {error}") from None
