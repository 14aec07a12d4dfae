"""Hostile input gets a clear 4xx in the API's shape (or a clean startup error), never a 500."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockapi import MockServer, Settings
from mockapi.cli import main

TOKEN = "hostile-token-5f2c"


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer(Settings(max_body_bytes=1_000_000)) as running:
        yield running


def raw(
    server: MockServer,
    target: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send the request target exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in {"x-access-token": TOKEN, **(headers or {})}.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("content-type", "application/json")
            connection.putheader("content-length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def api_error(status: int, body: bytes) -> dict[str, str]:
    assert 400 <= status < 500, (status, body[:200])
    payload = json.loads(body)
    assert isinstance(payload["type"], str) and isinstance(payload["message"], str)
    return payload


@pytest.mark.parametrize(
    "target",
    [
        "/v2/projects/p-kbuygq/backups?searchTerm=" + "x" * 100_000,
        "/v2/projects/p-kbuygq/backups?" + "&".join(["limit=1"] * 20_000),
        "/v2/projects/" + "p" * 50_000 + "/backups",
    ],
)
def test_huge_requests_get_a_clear_4xx(server: MockServer, target: str) -> None:
    status, _, body = raw(server, target)
    api_error(status, body)


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/v2/projects/p-kbuygq/backups?searchTerm=%E2%98%83", 200),
        ("/v2/projects/p-kbuygq/backups?searchTerm=%FF%FE%00", 200),
        ("/v2/projects/p-kbuygq/backups?searchTerm=%", 200),
        ("/v2/projects/p-kbuygq/backups?searchTerm=%zz&limit=%", 400),
        ("/v2/projects/p-kbuygq/backups?limit=%EF%BC%91", 400),  # a full-width digit one
        ("/v2/projects/%E2%98%83/backups", 403),
        ("/v2/projects/%FF%FE/backups", 403),
        ("/v2/projects/%00/backups", 403),
        # An encoded slash is decoded before routing: no such route.
        ("/v2/projects/p-kbuygq%2F..%2F/backups", 404),
        ("/v2/projects/..%2F..%2Fetc%2Fpasswd/backups", 404),
        ("/v2/projects/p-kbuygq/backups?sortOrder=%0d%0aSet-Cookie:%20a=b", 400),
    ],
)
def test_encodings_and_unicode_never_break_the_answer(
    server: MockServer, target: str, status: int
) -> None:
    got, headers, body = raw(server, target)
    assert got == status, body[:300]
    assert "set-cookie" not in headers
    payload = json.loads(body)
    if status != 200:
        api_error(got, body)
    else:
        assert isinstance(payload, list)


def test_header_injection_through_the_path_stays_in_the_body(server: MockServer) -> None:
    status, headers, body = raw(server, "/v2/projects/p-x%0d%0aSet-Cookie:%20a=b/backups")
    assert status == 403
    assert "set-cookie" not in headers
    assert api_error(status, body)["type"] == "PermissionDenied"


@pytest.mark.parametrize(
    "target",
    [
        "/_mockapi/docs-static/../../../../etc/passwd",
        "/_mockapi/docs-static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/_mockapi/docs-static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/_mockapi/../../etc/passwd",
    ],
)
def test_path_traversal_serves_no_file(server: MockServer, target: str) -> None:
    status, _, body = raw(server, target)
    assert status == 404
    assert b"root:" not in body


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"backups": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b"[NaN]",
        b'[{"id": 1e999}]',
        b'[{"deletable": ' + b"9" * 5000 + b"}]",
        b"\xff\xfe not utf-8",
        b'{"fixtures": "../../../../etc/passwd"}',
    ],
)
def test_hostile_control_bodies_get_a_clean_400(server: MockServer, body: bytes) -> None:
    before = raw(server, "/_mockapi/health")[2]
    status, _, answer = raw(server, "/_mockapi/data", "PUT", body)
    assert status == 400
    api_error(status, answer)
    assert raw(server, "/_mockapi/health")[2] == before


def test_oversized_control_body_gets_a_413(server: MockServer) -> None:
    status, _, body = raw(server, "/_mockapi/data", "PUT", b"[" + b" " * 1_000_001 + b"]")
    assert status == 413
    assert api_error(status, body)["type"] == "PayloadTooLarge"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[NaN]", "not valid JSON"),
        ('[{"id": 1e999}]', "not valid JSON"),
        ("[" * 100_000, "not valid JSON"),
        (
            '[{"id": "aaaaaaaa-0000-4000-8000-000000000001", "status": ' + "9" * 5000 + "}]",
            "not valid JSON",
        ),
        (
            '[{"id": "aaaaaaaa-0000-4000-8000-000000000001", "status": 123456789012345678901}]',
            "item 0",
        ),
        ("\ufeff[]", "not valid JSON"),
    ],
)
def test_hostile_fixture_files_stop_startup_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(content)
    assert main(["validate", str(path)]) == 2
    output = capsys.readouterr().err
    assert fragment in output and str(path) in output
    assert "Traceback" not in output


def test_a_folder_given_as_a_file_or_a_missing_path_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "missing" / "x.json")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_tokens_never_reach_logs_journal_or_errors(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockapi", "--port", "0", "--tokens", "good-one"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MOCKAPI_CONTROL_TOKEN": "control-secret"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    port = int(line.split("http://127.0.0.1:")[1].split()[0].split("/")[0].rstrip("'"))
    seen: list[bytes] = []
    for headers in (
        {"x-access-token": "good-one"},
        {"Authorization": "Bearer wrong-one"},
        {"x-access-token": "wrong-two"},
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/v2/projects/p-kbuygq/backups?limit=1", headers=headers)
        seen.append(connection.getresponse().read())
        connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/_mockapi/journal", headers={"x-mockapi-control-token": "x"})
    seen.append(connection.getresponse().read())
    connection.request(
        "GET", "/_mockapi/journal", headers={"x-mockapi-control-token": "control-secret"}
    )
    seen.append(connection.getresponse().read())
    connection.close()
    process.terminate()
    out, err = process.communicate(timeout=15)
    everything = line + out + err + b"".join(seen).decode()
    assert "GET /v2/projects/p-kbuygq/backups?limit=1" in everything  # the log did run
    for secret in ("good-one", "wrong-one", "wrong-two", "control-secret"):
        assert secret not in everything


def test_default_bind_is_loopback_only() -> None:
    assert Settings().host == "127.0.0.1"
