"""`mockapi record`: a second mockapi is the upstream account, over real HTTP.

The public API is not reachable from here; mockapi speaks the same API, pages with the same
headers and limits the rate the same way, so it stands in for the account.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import orjson
import pytest

from mockapi import MockServer, Settings
from mockapi.backups.clock import ClockMode
from mockapi.cli import main
from mockapi.data.generate import GenerationOptions, generate, to_document
from mockapi.data.record import RecordOptions
from mockapi.data.record import record as record_account
from mockapi.ids import UUID
from tests.support import check_answer

TOKEN = "rec-Secret-7f3a9c"
HEADERS = {"x-access-token": TOKEN}


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two projects of 25 backups each (schedule-made ones carry a parentId, some have exports
    and restores) and their schedules, in a fixture file: served in the wire's key order."""
    path = tmp_path_factory.mktemp("upstream") / "account.json"
    path.write_bytes(orjson.dumps(to_document(generate(GenerationOptions(11, 2, 25)))))
    return path


def upstream_settings(account: Path, **changes: Any) -> Settings:
    return Settings(fixtures=[account], tokens=[TOKEN], **changes)


@pytest.fixture
def upstream(account: Path) -> Iterator[MockServer]:
    with MockServer(upstream_settings(account)) as server:
        yield server


def record(server: MockServer, output: Path, *args: str, token: str = TOKEN) -> int:
    return main(["record", "--token", token, "--api-url", server.url, "-o", str(output), *args])


def get(url: str) -> httpx2.Response:
    response = httpx2.get(url, headers=HEADERS)
    check_answer("GET", url, response.status_code, response.headers, response.content)
    return response


def lists(server: MockServer, project_id: str) -> dict[str, bytes]:
    """What a client reads of one project, byte for byte."""
    paths = [
        "/v2/projects",
        f"/v2/projects/{project_id}",
        f"/v2/projects/{project_id}/backups?limit=1000",
        f"/v2/projects/{project_id}/backups?sortOrder=newestFirst&limit=1000",
        f"/v2/projects/{project_id}/backup-schedules",
    ]
    return {path: get(server.url + path).content for path in paths}


def test_a_recording_serves_every_list_byte_for_byte(
    upstream: MockServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "account.json"
    assert record(upstream, output, "--all-projects") == 0
    assert main(["validate", str(output)]) == 0
    assert "ok: 50 backups, 2 projects" in capsys.readouterr().out
    with MockServer(Settings(fixtures=[output], tokens=[TOKEN])) as replay:
        for project in upstream.projects():
            recorded, served = lists(upstream, project.id), lists(replay, project.id)
            for path, body in recorded.items():
                assert served[path] == body, path


def test_backups_are_read_page_by_page_until_the_total_count(
    upstream: MockServer, tmp_path: Path
) -> None:
    output = tmp_path / "account.json"
    assert record(upstream, output, "--all-projects", "--page-size", "10") == 0
    assert len(json.loads(output.read_bytes())["backups"]) == 50
    for project in upstream.projects():
        skips = [
            entry["query"]
            for entry in upstream.journal()
            if entry["path"] == f"/v2/projects/{project.id}/backups"
        ]
        assert skips == ["limit=10&skip=0", "limit=10&skip=10", "limit=10&skip=20"]


class AfterFirstPage(httpx2.HTTPTransport):
    """The network, plus a change upstream right after the first page of backups."""

    def __init__(self, change: Any) -> None:
        super().__init__()
        self.change, self.pages = change, 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        if request.url.path.endswith("/backups"):
            self.pages += 1
            if self.pages == 1:
                self.change()
        return response


def test_a_backup_shifted_onto_the_next_page_while_paging_is_kept_once(
    upstream: MockServer,
) -> None:
    project = upstream.projects()[0]
    older = {
        "id": "00000000-0000-4000-8000-00000000abcd",
        "projectId": project.id,
        "requestedAt": "2020-01-01T00:00:00Z",
        "status": "Completed",
        "deletable": True,
    }
    # An older backup arrives after page 1: every later one moves a place on, so the last
    # of page 1 is the first of page 2 as well.
    transport = AfterFirstPage(lambda: upstream.add_backups([older]))
    options = RecordOptions(TOKEN, (project.id,), upstream.url, page_size=10)
    document = record_account(options, lambda line: None, transport)
    ids = [b["id"] for b in document["backups"]]
    assert len(ids) == len(set(ids)) == 25


def test_progress_is_one_line_per_project_and_the_token_is_never_shown(
    upstream: MockServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    output = tmp_path / "account.json"
    assert record(upstream, output, "--project", *[p.short_id for p in upstream.projects()]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    shorts = [p.short_id for p in upstream.projects()]
    assert len(lines) == 2
    for line, short in zip(lines, shorts, strict=True):
        assert re.fullmatch(
            rf"mockapi: record: project {short} \(\S+\): 25 backups, \d+ schedules?", line
        ), line
    assert (
        out == f"wrote 2 projects, {len(json.loads(output.read_bytes())['schedules'])} "
        f"schedules, 50 backups to {output}\n"
    )
    for text in (output.read_text(), out, err, caplog.text):
        assert TOKEN not in text


def test_the_token_may_come_from_the_environment(
    upstream: MockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MITTWALD_API_TOKEN", TOKEN)
    output = tmp_path / "account.json"
    short = upstream.projects()[0].short_id
    assert main(["record", "--api-url", upstream.url, "--project", short, "-o", str(output)]) == 0
    assert len(json.loads(output.read_bytes())["projects"]) == 1


def test_a_403_for_one_project_stops_with_one_line_naming_it(
    upstream: MockServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "account.json"
    known, unknown = upstream.projects()[0].short_id, "0badc0de-0000-4000-8000-000000000000"
    assert record(upstream, output, "--project", known, "--project", unknown) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"mockapi: record: project {known} ")  # its progress line
    assert err[1:] == [
        f"mockapi: record: project {unknown}: the API answered 403 Forbidden: the token may "
        "not read it, or it does not exist"
    ]
    assert not output.exists()


def test_a_refused_token_stops_with_one_line_and_never_shows_it(
    upstream: MockServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "account.json"
    assert record(upstream, output, "--all-projects", token="wrong-Token-99") == 2
    err = capsys.readouterr().err
    assert err == (
        "mockapi: record: project list: the API refused the token (401); check --token or "
        "MITTWALD_API_TOKEN\n"
    )
    assert not output.exists()


def test_the_recorder_waits_for_the_reset_when_the_rate_limit_is_used_up(
    account: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 4 requests a second: the recording needs 11, so it must wait twice to avoid any 429.
    settings = upstream_settings(
        account, rate_limit=4, rate_limit_window=1, clock=ClockMode.RUNNING
    )
    with MockServer(settings) as server:
        output = tmp_path / "account.json"
        assert record(server, output, "--all-projects", "--page-size", "10") == 0
        statuses = [entry["status"] for entry in server.journal()]
    assert len(statuses) == 11 and set(statuses) == {200}
    waits = [line for line in capsys.readouterr().err.splitlines() if "waiting" in line]
    assert waits and waits[0] == (
        "mockapi: record: rate limit used up: waiting 1 s for X-RateLimit-Reset"
    )
    assert len(json.loads(output.read_bytes())["backups"]) == 50


def test_a_429_is_retried_after_its_wait(
    account: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = upstream_settings(
        account, rate_limit=20, rate_limit_window=2, clock=ClockMode.RUNNING
    )
    with MockServer(settings) as server:
        # Someone else used this token's window up: the recorder's first request gets a 429.
        with httpx2.Client(base_url=server.url, headers=HEADERS) as client:
            statuses = [client.get("/v2/projects").status_code for _ in range(21)]
        assert statuses[-1] == 429
        server.clear_journal()
        output = tmp_path / "account.json"
        assert record(server, output, "--all-projects") == 0
        first, second = server.journal()[:2]
    assert (first["path"], first["status"]) == ("/v2/projects", 429)
    assert (second["path"], second["status"]) == ("/v2/projects", 200)
    err = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"mockapi: record: project list: rate limited \(429\), retrying in [12] s", err[0]
    )
    assert len(json.loads(output.read_bytes())["backups"]) == 50


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def account_texts(document: dict[str, Any]) -> set[str]:
    """Every id and every free text of the account: none may be in an anonymized file."""
    found = {match.lower() for text in strings(document) for match in UUID.findall(text)}
    for project in document["projects"]:
        found |= {project["shortId"], project["description"]}
        found |= {project[k] for k in ("customerId", "serverShortId") if k in project}
    for item in document["backups"] + document["schedules"]:
        if "description" in item:
            found.add(item["description"])
    for backup in document["backups"]:
        for restore in (backup.get("restore", {}).get("pathRestore"), backup.get("restorePath")):
            for key in ("sourcePath", "targetPath", "targetRestorePath"):
                if restore and len(restore.get(key, "")) > 3:
                    found.add(restore[key])
        for dump in backup.get("restore", {}).get("databaseRestores", []):
            found.add(dump["databaseBackupDump"])
    return found


def test_anonymize_replaces_every_id_and_text_consistently(
    upstream: MockServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, anonymous = tmp_path / "plain.json", tmp_path / "anonymous.json"
    assert record(upstream, plain, "--all-projects") == 0
    assert record(upstream, anonymous, "--all-projects", "--anonymize") == 0
    assert main(["validate", str(anonymous)]) == 0
    before, after = json.loads(plain.read_bytes()), json.loads(anonymous.read_bytes())
    text = anonymous.read_text().lower()
    leaked = sorted(t for t in account_texts(before) if t.lower() in text)
    assert leaked == []

    # The same id has the same replacement everywhere: map each old id through the backups
    # (same order, same times and statuses) and check every reference follows the map.
    assert len(before["backups"]) == len(after["backups"])
    new_id: dict[str, str] = {}
    for old, new in zip(before["backups"], after["backups"], strict=True):
        for key in ("requestedAt", "createdAt", "expiresAt", "status", "deletable"):
            assert old.get(key) == new.get(key), key
        assert len(new.get("description", "")) - len(old.get("description", "")) in range(-3, 4)
        for key in ("id", "projectId", "parentId"):
            if key in old:
                assert new_id.setdefault(old[key], new[key]) == new[key], key
    for old, new in zip(before["schedules"], after["schedules"], strict=True):
        for key in ("id", "projectId"):
            assert new_id.setdefault(old[key], new[key]) == new[key], key
        assert (old["schedule"], old.get("ttl"), old["isSystemBackup"]) == (
            new["schedule"],
            new.get("ttl"),
            new["isSystemBackup"],
        )
    for old, new in zip(before["projects"], after["projects"], strict=True):
        assert new_id.setdefault(old["id"], new["id"]) == new["id"]
        assert re.fullmatch(r"p-[a-z0-9]{6}", new["shortId"]) and new["shortId"] != old["shortId"]
        assert len(new["description"]) - len(old["description"]) in range(-3, 4)
    assert len(set(new_id.values())) == len(new_id)  # different ids stay different
    parents = [b["parentId"] for b in after["backups"] if "parentId" in b]
    assert parents and set(parents) <= {s["id"] for s in after["schedules"]}

    capsys.readouterr()
    with MockServer(Settings(fixtures=[anonymous], tokens=[TOKEN])) as replay:
        project = after["projects"][0]
        served = get(f"{replay.url}/v2/projects/{project['shortId']}/backups").json()
        assert {b["id"] for b in served} == {
            b["id"] for b in after["backups"] if b["projectId"] == project["id"]
        }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--page-size", "0"], "record: --page-size must be 1 to 1000 (got 0)"),
        (["--api-url", "ftp://example"], "record: --api-url must be an http(s) URL"),
    ],
)
def test_bad_options_stop_with_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "x.json"
    code = main(["record", "--token", TOKEN, "--all-projects", "-o", str(output), *args])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mockapi: {message}") and err.count("\n") == 1


def test_a_missing_token_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MITTWALD_API_TOKEN", raising=False)
    assert main(["record", "--all-projects", "-o", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == (
        "mockapi: record needs a token (--token, or the variable MITTWALD_API_TOKEN)\n"
    )


def test_an_unreachable_api_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with MockServer() as server:
        url = server.url  # a port that was just served and is closed now
    code = main(
        [
            "record",
            "--token",
            TOKEN,
            "--api-url",
            url,
            "--all-projects",
            "-o",
            str(tmp_path / "x.json"),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        f"mockapi: record: project list: cannot reach the API at {url}: ConnectError "
        "(check --api-url and the network)\n"
    )


def test_a_mistyped_flag_never_echoes_the_value_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["record", "--tokn", TOKEN, "--all-projects", "-o", str(tmp_path / "x.json")])
    err = capsys.readouterr().err
    assert "--tokn" in err and TOKEN not in err
