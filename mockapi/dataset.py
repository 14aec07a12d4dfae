"""A dataset: projects and their backups as wire-format dicts, before indexing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_SHORT_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class DatasetError(ValueError):
    """Data that cannot be served; the message names where and what."""


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A project the mock knows: its UUID, its `p-xxxxxx` short id and a description."""

    id: str
    short_id: str
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    """Projects plus backups in wire format (dicts exactly as the API sends them)."""

    projects: tuple[ProjectInfo, ...] = ()
    backups: tuple[dict[str, Any], ...] = ()
    source: str = field(default="", compare=False)

    @property
    def backup_count(self) -> int:
        """How many backups the dataset holds."""
        return len(self.backups)


def derive_short_id(project_id: str, taken: set[str]) -> str:
    """A stable `p-xxxxxx` short id for a project UUID, avoiding ids already taken."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{project_id}:{salt}".encode()).digest()
        short = "p-" + "".join(_SHORT_ID_ALPHABET[b % 36] for b in digest[:6])
        if short not in taken:
            return short
        salt += 1


def _check_unique_ids(datasets: list[Dataset]) -> None:
    """Raise DatasetError naming the first repeated backup id and both of its places."""
    ids = [backup["id"] for dataset in datasets for backup in dataset.backups]
    if len(set(ids)) == len(ids):
        return  # the common case, checked in one pass at C speed
    first_seen: dict[str, tuple[str, int]] = {}
    for dataset in datasets:
        for position, backup in enumerate(dataset.backups):
            backup_id = backup["id"]
            if backup_id in first_seen:
                source, earlier = first_seen[backup_id]
                raise DatasetError(
                    f"{dataset.source}: backup item {position} (id {backup_id}): field 'id': "
                    f"duplicate backup id, first seen at {source}: backup item {earlier}"
                )
            first_seen[backup_id] = (dataset.source, position)


def combine(datasets: Iterable[Dataset]) -> Dataset:
    """Merge datasets: projects named twice must agree, backup ids must be unique."""
    projects: dict[str, ProjectInfo] = {}
    short_owner: dict[str, str] = {}
    backups: list[dict[str, Any]] = []
    sources: list[str] = []
    datasets = list(datasets)
    _check_unique_ids(datasets)
    for dataset in datasets:
        sources.append(dataset.source)
        for project in dataset.projects:
            known = projects.get(project.id)
            if known is not None and project.short_id and known.short_id != project.short_id:
                raise DatasetError(
                    f"{dataset.source}: project {project.id} has short id {project.short_id}, "
                    f"but it was already named {known.short_id}"
                )
            owner = short_owner.get(project.short_id)
            if owner is not None and owner != project.id:
                raise DatasetError(
                    f"{dataset.source}: short id {project.short_id} names both project "
                    f"{owner} and project {project.id}"
                )
            if known is None or project.short_id:
                projects[project.id] = project
            if project.short_id:
                short_owner[project.short_id] = project.id
        backups.extend(dataset.backups)
    # Projects with no short id, or known only from a backup's projectId, get a derived one,
    # after every named short id is known so a derived one never takes a named one.
    unnamed = [p.id for p in projects.values() if not p.short_id]
    unnamed += [b["projectId"] for b in backups if b["projectId"] not in projects]
    for project_id in dict.fromkeys(unnamed):
        short = derive_short_id(project_id, set(short_owner))
        description = projects[project_id].description if project_id in projects else ""
        projects[project_id] = ProjectInfo(project_id, short, description)
        short_owner[short] = project_id
    return Dataset(tuple(projects.values()), tuple(backups), " + ".join(s for s in sources if s))
