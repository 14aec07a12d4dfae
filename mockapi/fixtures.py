"""Read and validate fixture files; every error names the file, the item and the field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from mockapi.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.models import Project, ProjectBackup

MAX_REPORTED_ERRORS = 20


class FixtureError(DatasetError):
    """One or more fixture files cannot be served; nothing of them is loaded."""


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and each folder's `*.json` files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.json") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise FixtureError(f"{path}: no such file or folder")
    return files


def _describe_input(value: Any) -> str:
    text = orjson.dumps(value).decode() if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_problems(error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        if detail["type"] == "missing":
            problems.append(f"field '{where}': required field is missing")
        elif detail["type"] == "extra_forbidden":
            problems.append(f"field '{where}': not a field of the spec's schema")
        else:
            message = detail["msg"].removeprefix("Value error, ")
            label = f"field '{where}'" if where else "object"
            problems.append(f"{label}: {message} (got {_describe_input(detail['input'])})")
    return problems


def _item_label(position: int, item: Any) -> str:
    item_id = item.get("id") if isinstance(item, dict) else None
    return f"item {position} (id {item_id})" if isinstance(item_id, str) else f"item {position}"


def parse_document(source: str, document: Any) -> tuple[Dataset, list[str]]:
    """Validate one parsed fixture document; return its dataset and its problems."""
    if isinstance(document, list):
        raw_projects: list[Any] = []
        raw_backups = document
    elif isinstance(document, dict) and isinstance(document.get("backups"), list):
        unknown = set(document) - {"projects", "backups"}
        if unknown:
            return Dataset(), [f"{source}: unknown top-level key(s) {sorted(unknown)}"]
        raw_projects = document.get("projects", [])
        raw_backups = document.get("backups", [])
        if not isinstance(raw_projects, list):
            return Dataset(), [f"{source}: 'projects' must be an array"]
    else:
        return Dataset(), [
            f"{source}: expected a JSON array of ProjectBackup objects, or an object with "
            "'backups' (and optionally 'projects') arrays"
        ]

    problems: list[str] = []
    projects: list[ProjectInfo] = []
    for position, raw in enumerate(raw_projects):
        try:
            project = Project.model_validate(raw)
        except ValidationError as error:
            label = _item_label(position, raw)
            problems += [f"{source}: project {label}: {p}" for p in _field_problems(error)]
            continue
        wire = project.to_wire()
        projects.append(
            ProjectInfo(wire["id"], wire.get("shortId", ""), wire.get("description", ""))
        )
    backups: list[dict[str, Any]] = []
    for position, raw in enumerate(raw_backups):
        try:
            backups.append(ProjectBackup.model_validate(raw).to_wire())
        except ValidationError as error:
            label = _item_label(position, raw)
            problems += [f"{source}: backup {label}: {p}" for p in _field_problems(error)]
    return Dataset(tuple(projects), tuple(backups), source), problems


def load_file(path: Path) -> tuple[Dataset, list[str]]:
    """Read and validate one fixture file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Dataset(), [f"{path}: cannot read: {error.strerror or error}"]
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return Dataset(), [f"{path}: not valid JSON: {error}"]
    return parse_document(str(path), document)


def load_fixtures(paths: Sequence[Path]) -> Dataset:
    """Load every file (folders expand to their *.json); raise FixtureError on any problem."""
    datasets: list[Dataset] = []
    problems: list[str] = []
    for path in expand_paths(paths):
        dataset, found = load_file(path)
        datasets.append(dataset)
        problems += found
    if problems:
        shown = problems[:MAX_REPORTED_ERRORS]
        if len(problems) > MAX_REPORTED_ERRORS:
            shown.append(f"... and {len(problems) - MAX_REPORTED_ERRORS} more problems")
        raise FixtureError("invalid fixture data:\n  " + "\n  ".join(shown))
    try:
        return combine(datasets)
    except DatasetError as error:
        raise FixtureError(f"invalid fixture data:\n  {error}") from None
