"""Bounded memory, bounded time, one answer shape: what a hostile client cannot do.

Each test names a rule of the README's Reliability section and sends, over a real socket,
the input that used to break it. Waiting is on events (an answer, a closed connection),
never on sleeps; the socket timeouts below are only upper bounds for a broken server.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mockapi import MockServer, Settings
from mockapi.data.loading import load_default_dataset
from mockapi.http.protocol import DISCARD_SECONDS
from tests.support import TOKEN, SpecClient

LIST = "/v2/projects/p-kbuygq/backups"
UPPER_BOUND_S = 15


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    settings = Settings(
        max_header_bytes=8192,
        timeout_headers=1,
        timeout_keep_alive=1,
        timeout_body=1,
        max_body_bytes=100_000,
        max_api_body_bytes=10_000,
        control_token="ctl",
    )
    with MockServer(settings, load_default_dataset()) as running:
        yield running


def connect(server: MockServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=UPPER_BOUND_S)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def status_and_body(answer: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/json" in head.lower(), head
    return status, json.loads(body)


def test_headers_over_the_cap_get_431_before_the_rest_is_read(server: MockServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET " + LIST.encode() + b" HTTP/1.1\r\nHost: x\r\nx-big: " + b"a" * 20_000)
        status, body = status_and_body(read_all(sock))  # answered without a header end
    assert status == 431
    assert body["type"] == "RequestHeaderFieldsTooLarge"


def test_a_connection_that_never_sends_a_byte_is_closed(server: MockServer) -> None:
    with connect(server) as sock:
        assert read_all(sock) == b""


def test_a_connection_that_trickles_its_headers_gets_408_and_is_closed(
    server: MockServer,
) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET " + LIST.encode() + b" HTTP/1.1\r\nHost: x\r\n")
        status, body = status_and_body(read_all(sock))
    assert status == 408
    assert body["type"] == "RequestTimeout"


def test_an_idle_keep_alive_connection_is_closed(server: MockServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /_mockapi/health HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_all(sock)  # the answer, then the close once the keep-alive ends
    assert answer.startswith(b"HTTP/1.1 200 OK")


def test_a_body_that_never_arrives_gets_408(server: MockServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST " + LIST.encode() + b" HTTP/1.1\r\nHost: x\r\nx-access-token: t\r\n"
            b"content-type: application/json\r\ncontent-length: 100\r\n\r\n{"
        )
        status, body = status_and_body(read_all(sock))
    assert status == 408
    assert body["type"] == "RequestTimeout"


def test_a_refused_body_does_not_cut_off_the_next_request_on_the_connection() -> None:
    # A request refused before its body was read (here: no token) leaves the server reading
    # on for DISCARD_SECONDS; that window belongs to the refused request, not to the next
    # one the client sends on the same keep-alive connection.
    settings = Settings(timeout_body=DISCARD_SECONDS + 5, timeout_keep_alive=DISCARD_SECONDS + 5)
    body = b'{"description": "sent slowly"}'
    head = (
        f"PATCH /v2/project-backups/{{}} HTTP/1.1\r\nHost: x\r\nx-access-token: t\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    with MockServer(settings, load_default_dataset()) as running, connect(running) as sock:
        backup = running.client().get(LIST, headers=TOKEN).json()[0]["id"]
        sock.sendall(
            b"POST " + LIST.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"content-type: application/json\r\ncontent-length: 2\r\n\r\n"
        )
        assert sock.recv(65536).startswith(b"HTTP/1.1 401")  # answered before its body came
        sock.sendall(b"{}" + head.format(backup).encode() + body[:5])
        # Upper bound past the refused request's window: a close within it is the bug.
        sock.settimeout(DISCARD_SECONDS + 1)
        with pytest.raises(TimeoutError):
            sock.recv(65536)
        sock.settimeout(UPPER_BOUND_S)
        sock.sendall(body[5:])
        assert sock.recv(65536).startswith(b"HTTP/1.1 204")


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/_mockapi/faults", {}, 403),  # no control token: refused before reading the body
        ("/_mockapi/faults", {"x-mockapi-control-token": "wrong"}, 403),
        ("/_mockapi/faults", {"x-mockapi-control-token": "ctl"}, 413),  # then the size
        ("/_mockapi/data", {"x-mockapi-control-token": "ctl"}, 413),
        (LIST, {"x-access-token": "t"}, 413),
        (LIST, {}, 401),
    ],
)
def test_a_huge_declared_body_is_refused_before_it_is_read(
    server: MockServer, path: str, headers: dict[str, str], status: int
) -> None:
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with connect(server) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\n{lines}content-type: application/json\r\n"
            "content-length: 300000000\r\n\r\n[".encode()
        )
        got, body = status_and_body(read_all(sock))  # answered while 300 MB are still due
    assert got == status
    assert "300000000" not in json.dumps(body) or status == 413


def control(server: MockServer, method: str, path: str, body: bytes | None = None) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=UPPER_BOUND_S)
    try:
        headers = {"x-mockapi-control-token": "ctl", "content-type": "application/json"}
        connection.request(method, f"/_mockapi/{path}", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "rate-limit", b'{"limit": 5, "windowSeconds": 1e400}'),
        ("PUT", "rate-limit", b'{"limit": 5, "windowSeconds": Infinity}'),
        ("PUT", "rate-limit", b'{"limit": 5, "windowSeconds": 1e300}'),
        ("PUT", "rate-limit", b'{"limit": 5, "windowSeconds": 0.5}'),
        ("PUT", "rate-limit", b'{"limit": true}'),
        ("PUT", "rate-limit", b'{"limit": "5"}' + b" " * 0),
        ("PUT", "rate-limit", b'{"limit": 5e9}'),
        ("POST", "faults", b'{"status": 503, "probability": NaN}'),
        ("POST", "faults", b'{"status": 503, "probability": 1.5}'),
        ("POST", "faults", b'{"delayMs": 1e20}'),
        ("POST", "faults", b'{"status": 503, "count": 0}'),
        ("POST", "faults", b'{"status": 503.5}'),
        ("POST", "faults", b'{"status": 503, "project": "' + b"p" * 200 + b'"}'),
        ("POST", "generate", b'{"seed": -1}'),
        ("POST", "generate", b'{"seed": 1, "projects": 1e6}'),
        ("POST", "clock", b'{"advanceSeconds": 1e400}'),
        ("POST", "clock", b'{"advanceSeconds": -1}'),
        ("POST", "clock", b'{"advanceSeconds": 999999999999}'),
        ("POST", "clock", b'{"now": "' + b"2" * 100 + b'"}'),
    ],
)
def test_every_number_and_text_crossing_the_control_api_is_checked(
    server: MockServer, method: str, path: str, body: bytes
) -> None:
    status, answer = control(server, method, path, body)
    assert status == 400, answer
    assert answer["type"] == "ValidationError"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=UPPER_BOUND_S)
    connection.request("GET", LIST + "?limit=1", headers=TOKEN)
    assert connection.getresponse().status == 200  # nothing broke for later requests
    connection.close()


def test_refused_tokens_leave_no_state(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(tokens=["good"])
    assert api.get(LIST, headers={"x-access-token": "wrong"}).status_code == 401  # spec-checked
    for n in range(500):
        wrong = {"x-access-token": f"wrong-{n}-" + "x" * 200}
        assert api.client.get(LIST, headers=wrong).status_code == 401
    assert len(api.app.mock.rate_limiter) == 0


def test_per_token_state_is_bounded(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(None, rate_limit_clients=50)
    for n in range(500):
        assert api.get(LIST + "?limit=1", headers={"x-access-token": f"t{n}"}).status_code == 200
    assert len(api.app.mock.rate_limiter) <= 50


def test_ambiguous_credentials_cannot_pass_the_rate_limit(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, rate_limit=1)
    assert api.get(LIST, headers={"x-access-token": "a"}).status_code == 200
    assert api.get(LIST, headers={"x-access-token": "a"}).status_code == 429
    twice = [("x-access-token", "a"), ("x-access-token", "b")]
    assert api.client.get(LIST, headers=twice).status_code == 401
    mixed = [("x-access-token", "b"), ("authorization", "Bearer a")]
    assert api.client.get(LIST, headers=mixed).status_code == 401


def test_large_reads_of_the_data_are_streamed(server: MockServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=UPPER_BOUND_S)
    connection.request("GET", "/_mockapi/data", headers={"x-mockapi-control-token": "ctl"})
    response = connection.getresponse()
    assert response.getheader("transfer-encoding") == "chunked"
    document = json.loads(response.read())
    connection.close()
    assert len(document["backups"]) == 25


# 50,000 backups: about a second of work, in which a free event loop answers ~100 health
# checks and a blocked one none.
BACKUPS = 5000


def test_a_heavy_load_runs_off_the_event_loop_while_the_api_answers() -> None:
    with MockServer(Settings(), load_default_dataset()) as running:
        done = threading.Event()
        answered_meanwhile = 0

        def generate() -> None:
            control_connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=120)
            body = json.dumps({"seed": 1, "projects": 10, "backupsPerProject": BACKUPS}).encode()
            control_connection.request("POST", "/_mockapi/generate", body=body)
            assert control_connection.getresponse().status == 200
            control_connection.close()
            done.set()

        thread = threading.Thread(target=generate)
        thread.start()
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
        while not done.is_set():
            connection.request("GET", "/_mockapi/health")
            answer = connection.getresponse()
            answer.read()
            if not done.is_set():
                answered_meanwhile += 1
        connection.close()
        thread.join()
        # On the event loop the generation would let nothing be answered meanwhile.
        assert answered_meanwhile >= 10


def test_connections_past_the_limit_get_a_json_503_and_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with MockServer(Settings(limit_concurrency=3, timeout_headers=60)) as running:
        held = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(3)]
        try:
            # A request on a held connection is answered, so all three are open by now.
            held[0].sendall(b"GET /_mockapi/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert held[0].recv(65536).startswith(b"HTTP/1.1 200")
            with connect(running) as extra:
                status, body = status_and_body(read_all(extra))
        finally:
            for sock in held:
                sock.close()
    assert status == 503
    assert body == {"type": "ServiceUnavailable", "message": "too many open connections"}
    assert "connection limit reached: 3 open connections" in caplog.text
