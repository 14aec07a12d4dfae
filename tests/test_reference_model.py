"""The backup list against a naive reference: random datasets, random valid queries.

Datasets hold up to a few hundred backups, on few distinct instants (so equal requestedAt is
common), with ids and descriptions drawn from one small alphabet (so descriptions contain id
fragments and ids contain description fragments). Queries use every parameter: searchTerm
(often cut from an id, a description, or across the seam between them), the three boolean
filters as true/false/1/0, sortOrder, and limit/skip/page (skip=0 with page included).

The reference below is written from the README's behaviour table, not from the store: it
filters a plain list and sorts by parsed time. Every answer must equal it item for item
(whole objects, so a `null` for an absent field fails) and header for header, and must
satisfy the official spec. The @examples pin the cases that once slipped through: ties under
newestFirst, a term that only matches across the id/description seam, absent descriptions.
A long run: MOCKAPI_MODEL_EXAMPLES=2000 pytest tests/test_reference_model.py (under the
Hypothesis profile `mutation`, which mutation runs use, the default is that profile's count).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mockapi import Dataset, Settings, create_app
from tests.support import InlineClient, check_answer, pagination

_MUTATION = settings.get_current_profile_name() == "mutation"
EXAMPLES = int(
    os.environ.get("MOCKAPI_MODEL_EXAMPLES", settings.default.max_examples if _MUTATION else 40)
)
TOKEN = {"x-access-token": "t"}
PROJECTS = {
    "aaaaaaaa-0000-4000-8000-00000000000a": "p-refaaa",
    "bbbbbbbb-0000-4000-8000-00000000000b": "p-refbbb",
}
BASE = datetime(2026, 1, 1, tzinfo=UTC)
DEFAULT_LIMIT = 1000
FINAL = ("Completed", "Failed")

# One small alphabet for ids and descriptions: fragments of one turn up in the other.
HEX = "0ab1"
TEXT = HEX + "AB c-é"


def wire_time(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds and Z, as the API sends it."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def uuid_of(hex32: str) -> str:
    """32 hex digits as a lowercase 8-4-4-4-12 UUID."""
    h = hex32
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# --- the reference --------------------------------------------------------------------


def truthy(query: dict[str, str], name: str) -> bool:
    """A boolean filter: true or 1 (PHP's http_build_query) filters; false, 0, absent not."""
    return query.get(name) in ("true", "1")


def reference(
    backups: list[dict[str, Any]], project: str, query: dict[str, str]
) -> tuple[list[dict[str, Any]], tuple[int, int, int, int]]:
    """The obviously-correct answer: the items in order and (limit, skip, page, total)."""
    items = [b for b in backups if b["projectId"] == project]
    term = query.get("searchTerm", "").lower()
    if term:
        items = [
            b for b in items if term in b["id"].lower() or term in b.get("description", "").lower()
        ]
    if truthy(query, "withExportsOnly"):
        items = [b for b in items if "export" in b]
    if truthy(query, "runningRestoresOnly"):
        items = [
            b
            for b in items
            if b.get("restore", {}).get("phase") == "running"
            or b.get("restorePath", {}).get("phase") == "running"
        ]
    if truthy(query, "runningBackupsOnly"):
        items = [b for b in items if b["status"] not in FINAL]
    newest_first = query.get("sortOrder") == "newestFirst"
    items.sort(
        key=lambda b: (datetime.fromisoformat(b["requestedAt"]), b["id"]), reverse=newest_first
    )
    limit = int(query.get("limit", "0")) or DEFAULT_LIMIT
    skip = int(query.get("skip", "0"))
    page = int(query.get("page", "0"))
    if skip <= 0:  # skip=0 (or below) counts as not given: page applies
        skip = (page - 1) * limit if page > 1 else 0
    return items[skip : skip + limit], (limit, skip, skip // limit + 1, len(items))


# --- what is generated ----------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A dataset and the queries asked of it: (projectId as sent, the project, query)."""

    backups: tuple[dict[str, Any], ...]
    queries: tuple[tuple[str, str, dict[str, str]], ...]


# Few distinct instants, so equal requestedAt (ties broken by id) is common.
INSTANTS = [wire_time(BASE + timedelta(hours=7 * n, milliseconds=n % 2)) for n in range(13)]
PHASES = ["running", "completed"]
# Free text beyond the alphabet: case folding, non-ASCII, separators, query-string specials.
WORDS = ["Before PHP update", "ÄÖÜ straße", "nightly", "a+b&c=d", "50% done", "İstanbul", "ǅ"]


def make_backup(pick: Any) -> dict[str, Any]:
    """One ProjectBackup in wire format; `pick(options)` chooses (Hypothesis or a Random)."""
    backup: dict[str, Any] = {
        "id": uuid_of("".join(pick(HEX) for _ in range(32))),
        "projectId": pick(list(PROJECTS)),
        "requestedAt": pick(INSTANTS),
        "status": pick(["Completed", "Failed", "InProgress", "Pending"]),
        "deletable": pick([False, True]),
    }
    kind = pick(["none", "fragments", "text", "none"])
    if kind == "fragments":
        backup["description"] = "".join(pick(TEXT) for _ in range(pick(range(1, 15))))
    elif kind == "text":
        backup["description"] = pick(WORDS)
    if pick(range(4)) == 0:
        backup["export"] = {"format": pick(["tar", "zip"]), "withPassword": pick([False, True])}
    if pick(range(4)) == 0:
        backup["restore"] = {"phase": pick(PHASES)}
    if pick(range(5)) == 0:
        backup["restorePath"] = {
            "clearTargetPath": False,
            "determinedTargetPath": "/html/",
            "phase": pick(PHASES),
            "sourcePath": "/html/",
        }
    return backup


@st.composite
def backups(draw: st.DrawFn) -> dict[str, Any]:
    """One backup drawn choice by choice (small datasets shrink well this way)."""
    return make_backup(lambda options: draw(st.sampled_from(options)))


@st.composite
def datasets(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few hand-drawn backups, often beside tens or hundreds made from a drawn seed."""
    data = draw(st.lists(backups(), max_size=8))
    bulk = draw(st.sampled_from([300, 60, 0]))
    if bulk:
        rng = draw(st.randoms(use_true_random=False))
        data += [make_backup(rng.choice) for _ in range(rng.randint(bulk // 2, bulk))]
    unique = {b["id"]: b for b in data}
    return list(unique.values())


@st.composite
def search_terms(draw: st.DrawFn, data: list[dict[str, Any]]) -> str:
    """A term cut from an id or a description, across the seam between the two, or free."""
    described = [b for b in data if "description" in b]
    term: str
    kind = draw(st.sampled_from(["seam", "id", "description", "free", "empty"]))
    if kind == "seam" and described:
        backup = draw(st.sampled_from(described))
        head, tail = backup["id"], backup["description"]
        if draw(st.booleans()):  # the other way round: description end, id start
            head, tail = tail, head
        term = head[-draw(st.integers(1, 6)) :] + tail[: draw(st.integers(1, 6))]
    elif kind in ("id", "description", "seam") and data:
        backup = draw(st.sampled_from(data))
        source = backup.get("description", "") if kind == "description" else backup["id"]
        start = draw(st.integers(0, max(len(source) - 1, 0)))
        term = source[start : start + draw(st.integers(1, 6))]
    elif kind == "empty":
        term = ""
    else:
        term = draw(st.text(TEXT, min_size=1, max_size=5))
    return draw(st.sampled_from([term, term.upper(), term.lower()]))


@st.composite
def queries(draw: st.DrawFn, data: list[dict[str, Any]]) -> tuple[str, str, dict[str, str]]:
    """(projectId as sent, the project's UUID, a valid query)."""
    project = draw(st.sampled_from(list(PROJECTS)))
    sent = draw(st.sampled_from([project, project.upper(), PROJECTS[project]]))
    query: dict[str, str] = {}
    if draw(st.booleans()):
        query["searchTerm"] = draw(search_terms(data))
    for flag in ("withExportsOnly", "runningRestoresOnly", "runningBackupsOnly"):
        if draw(st.integers(0, 2)) == 0:
            query[flag] = draw(st.sampled_from(["true", "false", "1", "0"]))
    if draw(st.booleans()):
        query["sortOrder"] = draw(st.sampled_from(["oldestFirst", "newestFirst"]))
    for name, low, high in (("limit", 0, 12), ("skip", -2, 14), ("page", 0, 8)):
        if draw(st.booleans()):
            query[name] = str(draw(st.integers(low, high)))
    return sent, project, query


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A dataset (up to a few hundred backups) and one to five queries about it."""
    data = draw(datasets())
    asked = draw(st.lists(queries(data), min_size=1, max_size=5))
    return Scenario(tuple(data), tuple(asked))


# --- the cases that once slipped through, pinned ----------------------------------------

P1, P2 = list(PROJECTS)
NOON = wire_time(BASE + timedelta(hours=12))


def pinned(n: int, **fields: Any) -> dict[str, Any]:
    """Backup n of project P1 at noon, Completed, no description unless given."""
    return {
        "id": f"0000000{n}-0000-4000-8000-0000000000ab",
        "projectId": P1,
        "requestedAt": NOON,
        "status": "Completed",
        "deletable": False,
        **fields,
    }


# Three backups on one instant: newestFirst must list them 3, 2, 1 (ties reversed too).
TIES = Scenario(
    (pinned(1), pinned(2), pinned(3), pinned(4, requestedAt=wire_time(BASE))),
    (
        (P1, P1, {"sortOrder": "newestFirst"}),
        (P1, P1, {"sortOrder": "newestFirst", "limit": "2", "page": "1"}),
        (P1, P1, {"sortOrder": "newestFirst", "limit": "2", "skip": "0", "page": "2"}),
        (P1, P1, {"sortOrder": "oldestFirst", "limit": "2", "skip": "1"}),
    ),
)
# "…00ab" + "cd …": "bcd" and "abc" only match across the seam; so does "nite0" the other way.
SEAM = Scenario(
    (pinned(1, description="cd nite"), pinned(2, description="x", projectId=P2)),
    tuple(
        (P1, P1, {"searchTerm": term})
        for term in ("bcd", "ABC", "b c", "nite0", "e00000001", "abcd nite")
    ),
)
# No description at all, in every position of the page, and with PHP-style booleans.
ABSENT = Scenario(
    (
        pinned(1),
        pinned(2, description="kept"),
        pinned(3, export={"format": "tar", "withPassword": False}),
    ),
    (
        (P1, P1, {}),
        (PROJECTS[P1], P1, {"withExportsOnly": "1", "runningBackupsOnly": "0"}),
        (P1.upper(), P1, {"withExportsOnly": "0", "runningRestoresOnly": "false"}),
    ),
)


# --- the test ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[InlineClient]:
    """One app for the module; each example replaces its data over the control API."""
    app = create_app(Settings(clock="frozen", access_log=False), Dataset())
    with InlineClient(app) as test_client:
        yield test_client


def serve(client: InlineClient, data: tuple[dict[str, Any], ...]) -> None:
    """Replace the served data with this dataset and its two projects."""
    document = {
        "projects": [{"id": uuid, "shortId": short} for uuid, short in PROJECTS.items()],
        "backups": list(data),
    }
    response = client.put("/_mockapi/data", content=orjson.dumps(document))
    assert response.status_code == 200, response.text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios())
@example(scenario=TIES)
@example(scenario=SEAM)
@example(scenario=ABSENT)
def test_every_list_answer_equals_the_reference(client: InlineClient, scenario: Scenario) -> None:
    serve(client, scenario.backups)
    for sent, project, query in scenario.queries:
        url = f"/v2/projects/{sent}/backups?{urlencode(query)}"
        response = client.get(url, headers=TOKEN)
        check_answer("GET", url, response.status_code, response.headers, response.content)
        assert response.status_code == 200, (query, response.text)
        expected, headers = reference(list(scenario.backups), project, query)
        got = response.json()
        assert [b["id"] for b in got] == [b["id"] for b in expected], query
        assert got == expected, query
        assert pagination(response) == headers, query
