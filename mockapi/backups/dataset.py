"""A dataset: projects and their backups as wire-format dicts, before indexing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mockapi.ids import short_id_from_text


class DatasetError(ValueError):
    """Data that cannot be served; the message names where and what."""


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A project the mock knows: its UUID, its `p-xxxxxx` short id and a description.

    `fields` holds any further Project fields a fixture gave (wire format); the rest of the
    served Project is derived from the UUID.
    """

    id: str
    short_id: str
    description: str = ""
    fields: MappingProxyType[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False
    )


@dataclass(frozen=True)
class Dataset:
    """Projects, backups and backup schedules in wire format (dicts as the API sends them)."""

    projects: tuple[ProjectInfo, ...] = ()
    backups: tuple[dict[str, Any], ...] = ()
    schedules: tuple[dict[str, Any], ...] = ()
    source: str = field(default="", compare=False)
    # Items of the whole API's other resources, checked already and opaque here:
    # (kind, item, where it was given). spec/seeding.py makes them remembered.
    resources: tuple[tuple[str, dict[str, Any], str], ...] = ()

    @property
    def backup_count(self) -> int:
        """How many backups the dataset holds."""
        return len(self.backups)

    @property
    def project_count(self) -> int:
        """How many projects it names, itself or by its backups' and schedules' projectId."""
        ids = {p.id for p in self.projects}
        ids.update(b["projectId"] for b in self.backups)
        ids.update(s["projectId"] for s in self.schedules)
        return len(ids)


def derive_short_id(project_id: str, taken: set[str]) -> str:
    """A stable `p-xxxxxx` short id for a project UUID, avoiding ids already taken."""
    salt = 0
    while True:
        short = short_id_from_text(f"{project_id}:{salt}")
        if short not in taken:
            return short
        salt += 1


def _duplicate_ids(datasets: list[Dataset], kind: str) -> list[str]:
    """A problem for every repeated backup (or schedule) id, naming it and where it was first."""
    ids = [item["id"] for dataset in datasets for item in getattr(dataset, kind + "s")]
    if len(set(ids)) == len(ids):
        return []  # the common case, checked in one pass at C speed
    problems = []
    first_seen: dict[str, tuple[str, int]] = {}
    for dataset in datasets:
        for position, item in enumerate(getattr(dataset, kind + "s")):
            item_id = item["id"]
            if item_id in first_seen:
                source, earlier = first_seen[item_id]
                problems.append(
                    f"{dataset.source}: {kind} item {position} (id {item_id}): field 'id': "
                    f"duplicate {kind} id, first seen at {source}: {kind} item {earlier}"
                )
            else:
                first_seen[item_id] = (dataset.source, position)
    return problems


def combine(datasets: Iterable[Dataset], derive: bool = True) -> Dataset:
    """Merge datasets: projects named twice must agree, backup ids must be unique; every
    problem is raised at once, one a line.

    With `derive`, projects without a short id get a derived one; without, they are left
    for a later merge (where --project-alias may still name them).
    """
    projects: dict[str, ProjectInfo] = {}
    short_owner: dict[str, str] = {}
    backups: list[dict[str, Any]] = []
    schedules: list[dict[str, Any]] = []
    sources: list[str] = []
    datasets = list(datasets)
    # Every problem is gathered, then all are raised together (one a line).
    problems = _duplicate_ids(datasets, "backup") + _duplicate_ids(datasets, "schedule")
    for dataset in datasets:
        sources.append(dataset.source)
        for project in dataset.projects:
            known = projects.get(project.id)
            if known is not None and project.short_id and known.short_id != project.short_id:
                problems.append(
                    f"{dataset.source}: project {project.id} has short id {project.short_id}, "
                    f"but it was already named {known.short_id}"
                )
                continue
            owner = short_owner.get(project.short_id)
            if owner is not None and owner != project.id:
                problems.append(
                    f"{dataset.source}: short id {project.short_id} names both project "
                    f"{owner} and project {project.id}"
                )
                continue
            projects[project.id] = _merged(known, project)
            if project.short_id:
                short_owner[project.short_id] = project.id
        backups.extend(dataset.backups)
        schedules.extend(dataset.schedules)
    if problems:
        raise DatasetError("\n".join(problems))
    # Projects with no short id, or known only from a backup's projectId, get a derived one,
    # after every named short id is known so a derived one never takes a named one.
    unnamed = [p.id for p in projects.values() if not p.short_id] if derive else []
    if derive:
        unnamed += [b["projectId"] for b in backups if b["projectId"] not in projects]
        unnamed += [s["projectId"] for s in schedules if s["projectId"] not in projects]
    for project_id in dict.fromkeys(unnamed):
        short = derive_short_id(project_id, set(short_owner))
        known = projects.get(project_id)
        if known is None:
            projects[project_id] = ProjectInfo(project_id, short)
        else:
            projects[project_id] = ProjectInfo(project_id, short, known.description, known.fields)
        short_owner[short] = project_id
    return Dataset(
        tuple(projects.values()),
        tuple(backups),
        tuple(schedules),
        " + ".join(s for s in sources if s),
        tuple(r for dataset in datasets for r in dataset.resources),
    )


def _merged(known: ProjectInfo | None, project: ProjectInfo) -> ProjectInfo:
    """A project named twice: the later naming wins field by field."""
    if known is None:
        return project
    return ProjectInfo(
        project.id,
        project.short_id or known.short_id,
        project.description or known.description,
        MappingProxyType({**known.fields, **project.fields}),
    )
