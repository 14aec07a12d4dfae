"""Read and validate fixture files; every error names the file, the item and the field."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson
from pydantic import ValidationError

from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.data.models import Project, ProjectBackup, ProjectBackupSchedule, WireModel
from mockapi.spec.seeding import check_resources

MAX_REPORTED_ERRORS = 20


class FixtureError(DatasetError):
    """One or more fixture files cannot be served; nothing of them is loaded."""


def _kind(path: Path) -> str:
    """What a path is, in words, for one that is not a regular file or a folder."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken link" if path.is_symlink() else "missing"
    except OSError as error:
        return f"unreadable ({error.strerror})"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and each folder's `*.json` files in name order.

    Anything else (a FIFO, a device, a socket, a broken link) is an error, never skipped:
    reading a FIFO would block startup, and skipping would serve less than was asked for.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for entry in sorted(path.glob("*.json")):
                if entry.is_file():
                    files.append(entry)
                elif not entry.is_dir():
                    raise FixtureError(f"{entry}: {_kind(entry)}, not a fixture file")
        elif path.is_file():
            files.append(path)
        elif _kind(path) == "missing":
            raise FixtureError(f"{path}: no such file or folder")
        else:
            raise FixtureError(f"{path}: {_kind(path)}, not a fixture file")
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
        raw_schedules: list[Any] = []
    elif isinstance(document, dict) and (
        isinstance(document.get("backups"), list) or "resources" in document
    ):
        unknown = set(document) - {"projects", "backups", "schedules", "resources"}
        if unknown:
            return Dataset(), [f"{source}: unknown top-level key(s) {sorted(unknown)}"]
        raw_projects = document.get("projects", [])
        raw_backups = document.get("backups", [])
        raw_schedules = document.get("schedules", [])
        for key, value in (
            ("projects", raw_projects),
            ("backups", raw_backups),
            ("schedules", raw_schedules),
        ):
            if not isinstance(value, list):
                return Dataset(), [f"{source}: '{key}' must be an array"]
    else:
        return Dataset(), [
            f"{source}: expected a JSON array of ProjectBackup objects, or an object with "
            "'backups' (and optionally 'projects', 'schedules' and 'resources')"
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
        project_id = wire.pop("id")
        short_id = wire.pop("shortId", "")
        description = wire.pop("description", "")
        projects.append(ProjectInfo(project_id, short_id, description, MappingProxyType(wire)))
    backups = _validated(source, "backup", ProjectBackup, raw_backups, problems)
    schedules = _validated(source, "schedule", ProjectBackupSchedule, raw_schedules, problems)
    if isinstance(document, dict) and "projects" in document:
        # A document that lists its projects names every one: a projectId outside the list
        # is a typo, not a new project.
        listed = {str(p.get("id", "")).lower() for p in raw_projects if isinstance(p, dict)}
        for kind, items in (("backup", raw_backups), ("schedule", raw_schedules)):
            for position, raw in enumerate(items):
                project_id = raw.get("projectId") if isinstance(raw, dict) else None
                if isinstance(project_id, str) and project_id.lower() not in listed:
                    problems.append(
                        f"{source}: {kind} {_item_label(position, raw)}: field 'projectId': "
                        f"project {project_id} is not in this document's 'projects' (add it "
                        "there, or correct the id)"
                    )
    resources: list[tuple[str, dict[str, Any], str]] = []
    if isinstance(document, dict) and "resources" in document:
        resources, found = check_resources(source, document["resources"])
        problems += found
    dataset = Dataset(tuple(projects), tuple(backups), tuple(schedules), source, tuple(resources))
    return dataset, problems


def _validated(
    source: str, kind: str, model: type[WireModel], items: list[Any], problems: list[str]
) -> list[dict[str, Any]]:
    """Each item validated against its spec model, in wire format; problems appended."""
    valid: list[dict[str, Any]] = []
    for position, raw in enumerate(items):
        try:
            valid.append(model.model_validate(raw).to_wire())
        except ValidationError as error:
            label = _item_label(position, raw)
            problems += [f"{source}: {kind} {label}: {p}" for p in _field_problems(error)]
    return valid


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
    # What spans items and files (duplicate ids, short ids) is checked in the same run, so
    # every problem is reported at once, not stage after stage.
    try:
        combined = combine(datasets, derive=False)
    except DatasetError as error:
        problems += str(error).splitlines()
    if problems:
        raise FixtureError(report(problems))
    return combined


def report(problems: list[str]) -> str:
    """The message of a refused run: every problem, one a line (the first ones when many)."""
    shown = problems[:MAX_REPORTED_ERRORS]
    if len(problems) > MAX_REPORTED_ERRORS:
        shown.append(f"... and {len(problems) - MAX_REPORTED_ERRORS} more problems")
    return "invalid fixture data:\n  " + "\n  ".join(shown)
