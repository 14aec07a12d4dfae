"""Spec fuzzing with Schemathesis over served data: positive and negative input, every check on.

Two documents, one app: (a) the official spec parts (all 20 operations, merged as
`tests.support.merged_spec` does) and (b) the app's own /openapi.json, control API included.
The app serves the default dataset plus generated projects on a frozen clock. Path ids are
drawn from the ids it serves (Schemathesis dictionaries), so most 200s carry items, and the
state is reset before each case, so a case never meets what an earlier one deleted.

Counts (calls, non-empty 200s, distinct statuses) are printed in the terminal summary.
The default budget is small (the README's test command stays short); CI's .ci/run runs a
long one after it. A long run: MOCKAPI_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from starlette.testclient import TestClient

from mockapi import Settings, create_app
from mockapi.backups.dataset import combine
from mockapi.data.generate import GenerationOptions, generate
from mockapi.data.loading import load_default_dataset
from tests.support import SpecClient, merged_spec

EXAMPLES = int(os.environ.get("MOCKAPI_FUZZ_EXAMPLES", "15"))
TOKEN = {"x-access-token": "fuzz"}
Case = schemathesis.Case[Any]
# One worker runs the whole module: its tallies (and their end-of-module check) are per process.
pytestmark = pytest.mark.xdist_group("fuzz")

SETTINGS = Settings(clock="frozen", tokens=["fuzz"], access_log=False)
DATASET = combine(
    [
        load_default_dataset(SETTINGS.now),
        generate(GenerationOptions(seed=12, projects=3, backups_per_project=40, now=SETTINGS.now)),
    ]
)
APP = create_app(SETTINGS, DATASET)
with TestClient(APP) as _client:
    _SERVED = _client.get("/_mockapi/data").json()  # the served data as a fixture document
SERVED = {
    "projects": [project["id"] for project in _SERVED["projects"]],
    "backups": [backup["id"] for backup in _SERVED["backups"]],
    "schedules": [schedule["id"] for schedule in _SERVED["schedules"]],
}

# Values the spec's prose rules accept (relative to the frozen clock's start).
ACCEPTED = {
    "expirations": [
        (SETTINGS.now + timedelta(days=days)).isoformat().replace("+00:00", "Z")
        for days in (8, 30, 364)
    ],
    "crons": ["5 4 * * *", "0 * * * *", "30 2 * * 1-5"],
    "ttls": ["7d", "30d", "720h", "365d"],
}


def config(examples: int) -> SchemathesisConfig:
    """Positive and negative data, every check on, path ids drawn from the served ones."""
    return SchemathesisConfig.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": examples,
                "database": "none",
                # Unknown query parameters are ignored by design (README behaviour table).
                "allow-extra-parameters": True,
                # The token is ours to send; auth behaviour has its own tests.
                "with-security-parameters": False,
            },
            "dictionaries": {
                **{name: {"values": ids} for name, ids in SERVED.items()},
                **{name: {"values": values} for name, values in ACCEPTED.items()},
            },
            # Positive cases take a served id 9 times in 10, and a value the prose rules
            # accept half the time (so writes succeed too); negative ones keep their own.
            "parameters": {
                "path.projectId": {"dictionary": "projects", "probability": 0.9},
                "path.projectBackupId": {"dictionary": "backups", "probability": 0.9},
                "path.projectBackupScheduleId": {"dictionary": "schedules", "probability": 0.9},
                "body.expirationTime": {"dictionary": "expirations", "probability": 0.5},
                "body.schedule": {"dictionary": "crons", "probability": 0.5},
                "body.ttl": {"dictionary": "ttls", "probability": 0.5},
            },
        }
    )


# Rules the spec states in prose only (descriptions, not schema keywords): a schema-valid
# request may rightly be refused by them. Per operation: (field path, error type) pairs a
# 400 may name, and why a 412 may answer. Anything else keeps positive_data_acceptance on.
CRON_AND_TTL = {
    ("schedule", "format"),
    ("schedule", "schedule"),
    ("schedule", "maxLength"),
    ("ttl", "pattern"),
    ("ttl", "minimum"),
    ("ttl", "maximum"),
    ("ttl", "maxLength"),
}
PROSE_400: dict[str, set[tuple[str, str]]] = {
    # "Must be at least 7 days and no more than one year in the future."
    "backup-create-project-backup": {("expirationTime", "minimum"), ("expirationTime", "maximum")},
    # "Must be no more than one year in the future." (and not in the past)
    "backup-update-project-backup": {("expirationTime", "minimum"), ("expirationTime", "maximum")},
    "deprecated-backup-replace-project-backup-expiration-time": {
        ("expirationTime", "minimum"),
        ("expirationTime", "maximum"),
    },
    # "Execution schedule in crontab notation ... not more frequent than hourly";
    # "TTL ... as a duration string. Must be at least 7d and no more than 365d."
    # (A crontab line or a duration longer than the app's caps cannot be one.)
    "backup-create-project-backup-schedule": {
        *CRON_AND_TTL,
    },
    # The same, and "the schedule of isSystemBackup true items must be daily once".
    "backup-update-project-backup-schedule": {*CRON_AND_TTL, ("schedule", "dailyOnce")},
    # A restore must name something to restore (no body, no parts, no paths), and a dump the
    # backup holds. The spec leaves requestBody.required out for both restores, but a
    # restore without a body restores nothing, and the deprecated body requires sourcePath.
    "backup-request-project-backup-restore": {
        ("", "required"),
        ("", "anyOf"),
        ("sourcePaths", "minItems"),
        ("databaseBackupDump", "enum"),
    },
    "backup-request-project-backup-restore-path-deprecated": {("", "required")},
    # The control API's ClockChange: "advanceSeconds, or now (RFC 3339)", exactly one, never
    # backwards and never past 9000-01-01; its JSON schema (from pydantic) cannot say any of
    # it. (A date-time past 9000 is rare among generated ones, but valid to the schema: it
    # once failed this run as a positive case the server refused.)
    "move_clock__mockapi_clock_post": {
        ("", "invalid"),
        ("now", "minimum"),
        ("now", "maximum"),
        ("advanceSeconds", "minimum"),
    },
    # FaultRule's cross-field rules, stated in its field descriptions: a rule does something,
    # delayMaxMs is not below delayMs, a forced status is 200 or 4xx/5xx.
    "add_fault__mockapi_faults_post": {("", "invalid")},
}
PROSE_412 = {
    "backup-delete-project-backup": "the newest backup of a project is not deletable",
    "backup-create-project-backup-export": "only a Completed backup, one export at a time",
    "backup-request-project-backup-restore": "only a Completed backup, one restore at a time",
    "backup-request-project-backup-restore-path-deprecated": "the same as restore",
    "backup-update-project-backup-schedule": "a system schedule keeps its description",
    "backup-delete-project-backup-schedule": "the system schedule cannot be deleted",
}
# The control API's fixture documents are typed `{}` (a schema cannot say "unique ids across
# items, one project per short id, no unknown fields"), so any refusal of them is by design.
FIXTURE_DOCUMENTS = {"replace__mockapi_data_put", "add__mockapi_data_post"}


def refused_by_prose_rule(operation_id: str | None, status: int, body: bytes) -> bool:
    """True when a refusal is one the spec documents in prose (or a fixture document's)."""
    if operation_id in FIXTURE_DOCUMENTS:
        return status == 400
    if status == 412:
        return operation_id in PROSE_412
    if status != 400 or operation_id not in PROSE_400:
        return False
    errors = json.loads(body).get("validationErrors") or []
    named = {(e["path"].rsplit(".", 1)[-1], e["type"]) for e in errors}
    return bool(named) and named <= PROSE_400[operation_id]


@dataclass
class Tally:
    """What one document's run saw."""

    calls: int = 0
    non_empty_200: int = 0
    prose_refusals: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    # operation label -> (positive 200s, of them non-empty)
    lists: dict[str, list[int]] = field(default_factory=dict)

    def line(self, name: str) -> str:
        """One summary line."""
        codes = ", ".join(f"{code}x{n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{name}: {self.calls} calls, {self.non_empty_200} non-empty 200s, "
            f"{len(self.statuses)} distinct statuses ({codes}), "
            f"{self.prose_refusals} refusals by prose rules"
        )


TALLIES = {"official": Tally(), "own": Tally()}


class FuzzSummary:
    """Writes the tallies into pytest's terminal summary."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """The counts, one line per document."""
        if any(t.calls for t in TALLIES.values()):
            terminalreporter.section("mockapi fuzz counts")
            for name, tally in TALLIES.items():
                terminalreporter.write_line(tally.line(name))


@pytest.fixture(scope="module", autouse=True)
def fuzz_counts(request: pytest.FixtureRequest) -> Iterator[dict[str, Tally]]:
    """Print the counts at the end; fail the module if list operations never saw items."""
    manager = request.config.pluginmanager
    if not manager.has_plugin("mockapi-fuzz-summary"):
        manager.register(FuzzSummary(), "mockapi-fuzz-summary")
    yield TALLIES
    for name, tally in TALLIES.items():
        empty = [label for label, (ok, items) in tally.lists.items() if ok >= 5 and not items]
        assert not empty, f"{name}: list operations only ever answered []: {empty}"


def non_empty(body: bytes) -> bool:
    """A 200 body that carries something: not empty, not [] and not {}."""
    return body.strip() not in (b"", b"[]", b"{}")


def run(case: Case, tally: Tally) -> None:
    """Reset, call with the token, count, and validate with every check that can hold."""
    APP.mock.reset()
    response = case.call(headers={**TOKEN, **dict(case.headers or {})})
    tally.calls += 1
    tally.statuses[response.status_code] += 1
    operation_id = case.operation.definition.raw.get("operationId")
    excluded = []
    if refused_by_prose_rule(operation_id, response.status_code, response.content):
        tally.prose_refusals += 1
        excluded.append(positive_data_acceptance)
    if response.status_code == 200:
        items = non_empty(response.content)
        tally.non_empty_200 += items
        if case.method == "GET" and response.content.lstrip()[:1] == b"[":
            seen = tally.lists.setdefault(case.operation.label, [0, 0])
            seen[0] += 1
            seen[1] += items
    case.validate_response(response, excluded_checks=excluded)


official = schemathesis.openapi.from_dict(merged_spec(), config=config(EXAMPLES))
official.app = APP

own_document = schemathesis.openapi.from_asgi("/openapi.json", APP, config=config(EXAMPLES))
# Generating up to a million backups per call would turn the run into a load test; data
# replacement is fuzzed through PUT/POST /_mockapi/data and POST /_mockapi/default-dataset.
own = own_document.exclude(path="/_mockapi/generate")


@official.parametrize()
def test_official_spec_holds_on_served_data(case: Case) -> None:
    run(case, TALLIES["official"])


@own.parametrize()
def test_own_openapi_document_holds_on_served_data(case: Case) -> None:
    run(case, TALLIES["own"])


@pytest.fixture
def api() -> Iterator[SpecClient]:
    """A spec-checked client over the fuzzed data (its own app: the fuzz's is reset often)."""
    with TestClient(create_app(SETTINGS, DATASET)) as client:
        yield SpecClient(client)


# Two bugs the fuzz found (both fixed), pinned as plain rows so the fixes stay.


@pytest.mark.parametrize("body", [b"null", b"\t", b" \r\n"])
@pytest.mark.parametrize(
    "path", ["/v2/project-backups/{backup}", "/v2/project-backup-schedules/{schedule}"]
)
def test_a_json_body_that_is_not_an_object_is_refused(
    api: SpecClient, path: str, body: bytes
) -> None:
    url = path.format(backup=SERVED["backups"][0], schedule=SERVED["schedules"][0])
    response = api.patch(url, content=body, headers={**TOKEN, "content-type": "application/json"})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("drop", [1, "true", "yes"])
def test_a_fault_rule_drop_must_be_a_json_boolean(api: SpecClient, drop: object) -> None:
    response = api.control("POST", "faults", json={"drop": drop})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("now", ["9912-05-05T00:05:05Z", "9015-11-23T21:12:56+02:35"])
def test_a_clock_move_past_the_year_9000_is_a_refusal_the_document_states(
    api: SpecClient, now: str
) -> None:
    # The one unexplained failure of the own-document fuzz: a date-time the schema allows
    # (Schemathesis draws one past 9000 about once in 500), refused by the clock's bound.
    response = api.control("POST", "clock", json={"now": now})
    assert response.status_code == 400
    assert refused_by_prose_rule("move_clock__mockapi_clock_post", 400, response.content)
    document = api.client.get("/openapi.json").json()
    description = document["paths"]["/_mockapi/clock"]["post"]["requestBody"]["description"]
    assert "never past 9000-01-01" in description
