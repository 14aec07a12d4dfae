"""Assemble the startup dataset the settings ask for: default, fixtures and/or generated."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import orjson

from mockapi.dataset import Dataset, DatasetError, combine
from mockapi.fixtures import FixtureError, load_fixtures, parse_document
from mockapi.generate import GenerationOptions, generate
from mockapi.settings import Settings

DEFAULT_DATASET = "default-dataset.json"


def load_default_dataset() -> Dataset:
    """The hand-curated dataset shipped inside the package."""
    source = resources.files("mockapi") / "data" / DEFAULT_DATASET
    dataset, problems = parse_document(
        f"built-in {DEFAULT_DATASET}", orjson.loads(source.read_bytes())
    )
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


def load_dataset(settings: Settings, progress: Callable[[int], None] | None = None) -> Dataset:
    """Everything to serve; raise DatasetError (naming file, item, field) on bad data."""
    if settings.uses_default_dataset:
        return load_default_dataset()
    parts: list[Dataset] = []
    if settings.fixtures:
        parts.append(load_fixtures(settings.fixtures))
    options = generation_options(settings)
    if options is not None:
        parts.append(generate(options, progress))
    try:
        return combine(parts)
    except DatasetError as error:
        raise FixtureError(f"invalid data:\n  {error}") from None
