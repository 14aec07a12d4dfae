"""Provoked failures, rate limits and CORS: Prefer, fault rules, real HTTP where it matters."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable, Iterator

import httpx2
import pytest
from pydantic import ValidationError

from mockapi import FaultRule, MockServer, Settings
from mockapi.http.faults import MAX_RULES
from mockapi.state.faults import FaultRules
from tests.conftest import table_dataset
from tests.support import TOKEN, SpecClient, check_answer, numbers

URL = "/v2/projects/p-tbl001/backups"


@pytest.mark.parametrize(
    ("prefer", "status", "kind", "message"),
    [
        ("code=429", 429, "RateLimitError", "too many requests"),
        ("code=503", 503, "ServiceUnavailable", "service unavailable"),
        ("code=500", 500, "InternalServerError", "status 500 provoked on request"),
        ("code=403", 403, "PermissionDenied", "access denied; verdict: abstain"),
        ("code=401", 401, "Unauthenticated", "unauthenticated"),
        ("code=404", 404, "NotFound", "The requested resource was not found."),
        ("code=400", 400, "ValidationError", "validation failed"),
        ("code=418", 418, "Error", "status 418 provoked on request"),
        ('code="502", example=x', 502, "BadGateway", "status 502 provoked on request"),
    ],
)
def test_prefer_code_answers_that_status_in_the_api_dialect(
    api: SpecClient, prefer: str, status: int, kind: str, message: str
) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": prefer})
    assert response.status_code == status
    body = response.json()
    assert (body["type"], body["message"]) == (kind, message)
    # A provoked 400 names no parameter: nothing in the request was wrong.
    assert body.get("validationErrors", []) == []


def test_prefer_code_429_has_the_spec_body_and_a_trace_id(api: SpecClient) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": "code=429"})
    body = response.json()
    assert {k: v for k, v in body.items() if k != "params"} == {
        "type": "RateLimitError",
        "message": "too many requests",
    }
    assert body["params"]["traceId"] == response.headers["x-traceid"]


def test_prefer_code_200_and_unrelated_preferences_answer_normally(api: SpecClient) -> None:
    for prefer in ("code=200", "return=minimal", "example=x", "respond-async"):
        response = api.get(f"{URL}?limit=2", headers={**TOKEN, "Prefer": prefer})
        assert numbers(response) == [1, 2]


def test_prefer_answers_even_without_a_token(api: SpecClient) -> None:
    assert api.get(URL, headers={"Prefer": "code=503"}).status_code == 503


@pytest.mark.parametrize(
    ("prefer", "kind"),
    [
        ("code=302", "enum"),
        ("code=abc", "type"),
        ("code=1e3", "type"),
        ("code=" + "9" * 30, "maximum"),
        ("delay=-5", "minimum"),
        ("delay=999999", "maximum"),
        ("delay=x", "type"),
        ("delay=" + "1" * 2000, "maxLength"),
    ],
)
def test_bad_prefer_values_are_a_400_naming_the_header(
    api: SpecClient, prefer: str, kind: str
) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": prefer})
    assert response.status_code == 400
    [item] = response.json()["validationErrors"]
    assert item["path"] == "Prefer"
    assert item["type"] == kind


def test_several_prefer_lines_combine_and_the_first_of_each_preference_wins(
    api: SpecClient,
) -> None:
    headers = [("x-access-token", "t"), ("Prefer", "return=minimal"), ("Prefer", "code=503")]
    assert api.client.get(URL, headers=headers).status_code == 503
    headers = [("x-access-token", "t"), ("Prefer", "code=502"), ("Prefer", "code=503")]
    assert api.client.get(URL, headers=headers).status_code == 502


def test_next_n_requests_to_a_project_get_a_status(api: SpecClient) -> None:
    rule = {"project": "p-tbl001", "status": 503, "count": 2}
    assert api.control("POST", "faults", json=rule).status_code == 201
    assert api.get("/v2/projects/p-tbl002/backups").status_code == 200
    uuid_url = "/v2/projects/11111111-1111-4111-8111-111111111111/backups"
    assert [api.get(u).status_code for u in (URL, uuid_url, URL)] == [503, 503, 200]
    assert api.control("GET", "faults").json() == []


def test_a_project_rule_also_hits_that_projects_backups_by_id(api: SpecClient) -> None:
    api.control("POST", "faults", json={"project": "p-tbl001", "status": 502})
    assert api.get("/v2/project-backups/00000000-0000-4000-8000-000000000001").status_code == 502
    assert api.get("/v2/project-backups/00000000-0000-4000-8000-000000000021").status_code == 200


def test_prefer_code_200_does_not_use_up_a_rule(api: SpecClient) -> None:
    api.control("POST", "faults", json={"status": 503, "count": 1})
    assert api.get(URL, headers={**TOKEN, "Prefer": "code=200"}).status_code == 200
    assert api.get(URL).status_code == 503
    assert api.get(URL).status_code == 200


@pytest.mark.parametrize("probability", [0.25, 0.1, 0.5, 0.9, 0.01])
def test_probability_hits_are_spread_evenly_from_the_first_request(
    make_api: Callable[..., SpecClient], probability: float
) -> None:
    api = make_api()
    api.control("POST", "faults", json={"status": 503, "probability": probability})
    hits = 0
    for n in range(1, 201):
        hits += api.get(URL).status_code == 503
        assert abs(hits - probability * n) <= 1, (n, hits)


def test_a_fraction_of_requests_fail_and_the_run_repeats(
    make_api: Callable[..., SpecClient],
) -> None:
    def run(seed: int) -> list[int]:
        api = make_api(fault_seed=seed)
        api.control("POST", "faults", json={"status": 500, "probability": 0.3})
        return [api.get(URL).status_code for _ in range(50)]

    assert run(7) == run(7)
    assert run(7) != run(8)


@pytest.mark.parametrize(
    ("probability", "kind", "message", "context"),
    [
        ("x", "type", "Invalid type. Expected: number, given: string", {"type": "number"}),
        (True, "type", "Invalid type. Expected: number, given: boolean", {"type": "number"}),
        (None, "type", "Invalid type. Expected: number, given: null", {"type": "number"}),
        ([0.5], "type", "Invalid type. Expected: number, given: array", {"type": "number"}),
        ({"p": 1}, "type", "Invalid type. Expected: number, given: object", {"type": "number"}),
        ("NaN", "type", "Must be a finite number", {"type": "number"}),
        ("-Infinity", "type", "Must be a finite number", {"type": "number"}),
        (-0.1, "minimum", "Must be greater than or equal to 0", {"limit": "0"}),
        (1.5, "maximum", "Must be less than or equal to 1", {"limit": "1"}),
        (2, "maximum", "Must be less than or equal to 1", {"limit": "1"}),
    ],
)
def test_probability_must_be_a_finite_number_between_0_and_1(
    api: SpecClient, probability: object, kind: str, message: str, context: dict[str, str]
) -> None:
    response = api.control("POST", "faults", json={"status": 503, "probability": probability})
    assert response.status_code == 400
    assert response.json()["validationErrors"] == [
        {"type": kind, "message": message, "path": "probability", "context": context}
    ]
    assert api.control("GET", "faults").json() == []


@pytest.mark.parametrize(
    ("probability", "listed"),
    [(0, 0.0), (1, 1.0), (0.5, 0.5), ("0.25", 0.25), ("1e-3", 0.001)],
)
def test_probability_accepts_a_fraction_as_a_number_or_a_decimal_string(
    api: SpecClient, probability: object, listed: float
) -> None:
    rule = {"status": 503, "probability": probability}
    assert api.control("POST", "faults", json=rule).status_code == 201
    [active] = api.control("GET", "faults").json()
    assert active["probability"] == listed


@pytest.mark.parametrize(
    ("rule", "field", "kind", "context"),
    [
        ({"status": 199}, "status", "minimum", {"limit": "200"}),
        ({"status": 600}, "status", "maximum", {"limit": "599"}),
        ({"status": "503"}, "status", "type", {"type": "integer"}),  # a JSON string
        ({"status": 503.5}, "status", "type", {"type": "integer"}),
        ({"status": True}, "status", "type", {"type": "integer"}),
        ({"delayMs": -1}, "delayMs", "minimum", {"limit": "0"}),
        ({"delayMs": 60_001}, "delayMs", "maximum", {"limit": "60000"}),
        ({"status": 503, "count": 0}, "count", "minimum", {"limit": "1"}),
    ],
)
def test_fault_rule_integers_must_be_json_integers_within_their_range(
    api: SpecClient, rule: dict[str, object], field: str, kind: str, context: dict[str, str]
) -> None:
    response = api.control("POST", "faults", json=rule)
    assert response.status_code == 400
    [item] = response.json()["validationErrors"]
    assert (item["path"], item["type"], item["context"]) == (field, kind, context)
    assert api.control("GET", "faults").json() == []


def test_fault_rule_integers_take_whole_numbers_up_to_the_ends_of_their_range(
    api: SpecClient,
) -> None:
    rule = {"status": 599.0, "delayMs": 60_000, "count": 1_000_000_000}
    assert api.control("POST", "faults", json=rule).status_code == 201
    [active] = api.control("GET", "faults").json()
    assert (active["status"], active["delayMs"], active["remaining"]) == (599, 60_000, 10**9)


def test_openapi_states_the_type_and_range_of_every_fault_rule_number(api: SpecClient) -> None:
    document = api.client.get("/openapi.json").json()
    body = document["paths"]["/_mockapi/faults"]["post"]["requestBody"]
    fields = body["content"]["application/json"]["schema"]["properties"]

    def bounds(name: str) -> dict[str, object]:
        schema = fields[name]
        schema = schema["anyOf"][0] if "anyOf" in schema else schema
        return {k: schema.get(k) for k in ("type", "minimum", "maximum")}

    assert bounds("status") == {"type": "integer", "minimum": 200, "maximum": 599}
    assert bounds("delayMs") == {"type": "integer", "minimum": 0, "maximum": 60_000}
    assert bounds("count") == {"type": "integer", "minimum": 1, "maximum": 1_000_000_000}
    assert bounds("probability") == {"type": "number", "minimum": 0, "maximum": 1}


def test_faults_from_settings_and_reset_restores_them(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(faults='[{"status": 502, "count": 1}]')
    assert api.get(URL).status_code == 502
    assert api.get(URL).status_code == 200
    api.control("POST", "reset")
    assert api.get(URL).status_code == 502


def test_fault_rules_can_be_listed_and_removed(api: SpecClient) -> None:
    first = api.control("POST", "faults", json={"status": 500}).json()["id"]
    api.control("POST", "faults", json={"delayMs": 10, "delayMaxMs": 20})
    assert [r["id"] for r in api.control("GET", "faults").json()] == [first, first + 1]
    assert api.control("DELETE", f"faults/{first}").status_code == 204
    assert api.control("DELETE", f"faults/{first}").status_code == 404
    assert api.control("DELETE", "faults").status_code == 204
    assert api.control("GET", "faults").json() == []


def test_control_and_docs_paths_are_never_faulted(api: SpecClient) -> None:
    api.control("POST", "faults", json={"status": 500})
    assert api.control("GET", "health").status_code == 200
    assert api.client.get("/openapi.json").status_code == 200


def test_rate_limit_headers_are_on_every_answer_by_default_and_never_enforced(
    api: SpecClient,
) -> None:
    seen = []
    for _ in range(5):
        response = api.get(URL)
        assert response.status_code == 200
        seen.append(
            (
                response.headers["x-ratelimit-limit"],
                response.headers["x-ratelimit-remaining"],
                response.headers["x-ratelimit-reset"],
            )
        )
    assert seen == [("3000", str(2999 - n), "600") for n in range(5)]


def test_remaining_stops_at_zero_without_enforcement(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(rate_limit_enforce=False, rate_limit=2)
    statuses = [api.get(URL) for _ in range(4)]
    assert [r.status_code for r in statuses] == [200] * 4
    assert [r.headers["x-ratelimit-remaining"] for r in statuses] == ["1", "0", "0", "0"]


def remaining_after(api: SpecClient, tokens: str) -> list[str]:
    """x-ratelimit-remaining of one request per token letter, in order."""
    return [
        api.get(URL, headers={"x-access-token": token}).headers["x-ratelimit-remaining"]
        for token in tokens
    ]


def test_each_token_has_its_own_window(api: SpecClient) -> None:
    assert api.get(URL, headers={"x-access-token": "a"}).headers["x-ratelimit-remaining"] == "2999"
    assert api.get(URL, headers={"x-access-token": "a"}).headers["x-ratelimit-remaining"] == "2998"
    assert (
        api.get(URL, headers={"Authorization": "Bearer b"}).headers["x-ratelimit-remaining"]
        == "2999"
    )
    # Another token's first request leaves the running windows alone.
    assert remaining_after(api, "a") == ["2997"]


def test_past_the_client_cap_the_oldest_client_starts_a_fresh_window(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(rate_limit_clients=2)
    assert remaining_after(api, "aab") == ["2999", "2998", "2999"]
    # A third client: the table is full, so the oldest (a) is forgotten; b keeps counting.
    assert remaining_after(api, "cba") == ["2999", "2998", "2999"]


def test_a_refused_token_is_neither_counted_nor_given_headers(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(tokens=["good"])
    refused = api.get(URL, headers={"x-access-token": "bad"})
    assert refused.status_code == 401
    assert "x-ratelimit-limit" not in refused.headers
    assert len(api.app.mock.rate_limiter) == 0


def test_given_rate_limit_is_enforced_with_the_spec_429(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(rate_limit=3)
    remaining = [api.get(URL).headers["x-ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = api.get(URL)
    assert limited.status_code == 429
    assert limited.json()["type"] == "RateLimitError"
    assert limited.headers["x-ratelimit-remaining"] == "0"


def test_the_window_resets_when_the_mock_clock_passes_it(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(rate_limit=1, rate_limit_window=60)
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    api.advance(30)
    assert api.get(URL).headers["x-ratelimit-reset"] == "30"
    api.advance(30)
    assert api.get(URL).status_code == 200


def test_rate_limit_enforcement_is_set_at_runtime_and_reset(api: SpecClient) -> None:
    assert api.control("PUT", "rate-limit", json={"limit": 1}).status_code == 200
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    assert api.control("GET", "rate-limit").json() == {"limit": 1, "windowSeconds": 600}
    api.control("POST", "reset")
    assert api.get(URL).status_code == 200
    assert api.get(URL).headers["x-ratelimit-limit"] == "3000"


def test_rate_limit_headers_can_be_turned_off(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(rate_limit_headers=False)
    assert "x-ratelimit-limit" not in api.get(URL).headers


BROWSER = "http://localhost:3000"


def test_cors_answers_like_the_real_api(api: SpecClient) -> None:
    response = api.get(URL, headers={**TOKEN, "Origin": BROWSER})
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["vary"] == "Origin"
    exposed = response.headers["access-control-expose-headers"].lower()
    for name in ("x-pagination-totalcount", "x-ratelimit-remaining", "x-traceid"):
        assert name in exposed
    preflight = api.client.options(
        URL,
        headers={
            "Origin": BROWSER,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-access-token, prefer",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-headers"] == "*"
    assert preflight.headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE, OPTIONS"
    assert preflight.headers["access-control-max-age"] == "3600"
    assert preflight.headers["vary"] == "Origin"


def test_cors_origins_are_configurable_and_a_refused_preflight_is_json(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(cors_origins="http://app.test")
    allowed = api.get(URL, headers={**TOKEN, "Origin": "http://app.test"})
    assert allowed.headers["access-control-allow-origin"] == "http://app.test"
    other = api.get(URL, headers={**TOKEN, "Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in other.headers
    refused = api.client.options(
        URL, headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"}
    )
    assert refused.status_code == 403
    check_answer("OPTIONS", URL, 403, refused.headers, refused.content)
    off = make_api(cors_origins="")
    answer = off.get(URL, headers={**TOKEN, "Origin": "x"})
    assert "access-control-allow-origin" not in answer.headers


@pytest.fixture
def real_server() -> Iterator[MockServer]:
    with MockServer(Settings(), table_dataset()) as server:
        yield server


def raw_answer(server: MockServer, method: str) -> bytes:
    """Every byte the server sends for one request, read until it closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        head = f"{method} {URL} HTTP/1.1\r\nHost: x\r\nx-access-token: t\r\nConnection: close\r\n"
        sock.sendall(head.encode() + b"\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_dropped_request_gets_no_byte_of_an_answer(real_server: MockServer, method: str) -> None:
    real_server.add_fault(drop=True, count=1)
    assert raw_answer(real_server, method) == b""
    assert raw_answer(real_server, method).startswith(b"HTTP/1.1 200 OK")
    assert [e["status"] for e in real_server.journal()] == [0, 200]


def test_a_dropped_request_is_a_protocol_error_for_a_client(real_server: MockServer) -> None:
    with httpx2.Client(base_url=real_server.url, headers=TOKEN) as client:
        client.post("/_mockapi/faults", json={"drop": True, "count": 1})
        with pytest.raises(httpx2.RemoteProtocolError):
            client.get(URL)
        assert client.get(f"{URL}?limit=1").status_code == 200


def test_a_delay_holds_the_answer_while_others_are_served(real_server: MockServer) -> None:
    answered: list[int] = []
    done = threading.Event()

    def delayed() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", real_server.port, timeout=30)
        connection.request("GET", URL, headers={**TOKEN, "Prefer": "delay=1500"})
        answered.append(connection.getresponse().status)
        connection.close()
        done.set()

    thread = threading.Thread(target=delayed)
    thread.start()
    with httpx2.Client(base_url=real_server.url, headers=TOKEN) as client:
        # The journal records an answered request; the delayed one is not there yet.
        for _ in range(20):
            assert client.get(f"{URL}?limit=1").status_code == 200
        assert not done.is_set()
        assert answered == []
    assert done.wait(10)
    thread.join()
    assert answered == [200]


def test_fault_rules_are_capped_in_number_and_total_delay(api: SpecClient) -> None:
    for n in range(MAX_RULES):
        rule = {"project": f"p-none{n:02d}", "status": 503}
        assert api.control("POST", "faults", json=rule).status_code == 201
    refused = api.control("POST", "faults", json={"status": 503})
    assert refused.status_code == 400
    assert refused.json()["type"] == "BadRequest"
    assert refused.json()["message"] == (
        "at most 100 fault rules can be active at once; remove one "
        "(DELETE /_mockapi/faults/{id}) or all (DELETE /_mockapi/faults) first"
    )
    assert len(api.control("GET", "faults").json()) == MAX_RULES
    with pytest.raises(ValidationError, match="at most 100 fault rules"):
        Settings(faults=[{"status": 503}] * (MAX_RULES + 1))
    # Three matching rules of a minute each hold a request for one minute, not three.
    rules = FaultRules(0, [FaultRule(delayMs=60_000)] * 3)
    assert rules.decide(lambda project: True).delay_s == 60.0
    # Below the cap, the delays of the matching rules add up.
    rules = FaultRules(0, [FaultRule(delayMs=250), FaultRule(delayMs=500)])
    assert rules.decide(lambda project: True).delay_s == 0.75


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v2/projects/p-tbl001/backups", {"expirationTime": "2026-03-01T00:00:00Z"}),
        ("PATCH", "/v2/project-backups/00000000-0000-4000-8000-000000000001", {}),
        ("DELETE", "/v2/project-backups/00000000-0000-4000-8000-000000000002", None),
    ],
)
def test_a_writes_own_remaining_counts_that_write(
    api: SpecClient, method: str, path: str, body: object
) -> None:
    write = api.request(method, path, json=body)
    assert write.status_code < 300
    assert write.headers["x-ratelimit-remaining"] == "2999"
    assert api.get(URL).headers["x-ratelimit-remaining"] == "2998"


def test_the_reset_header_rounds_a_partial_second_up(api: SpecClient) -> None:
    assert api.get(URL).headers["x-ratelimit-reset"] == "600"  # the window began at 12:00:00
    api.control("POST", "clock", json={"now": "2026-01-30T12:00:00.250Z"})
    assert api.get(URL).headers["x-ratelimit-reset"] == "600"  # 599.75 s: rounded up
    api.control("POST", "clock", json={"now": "2026-01-30T12:09:59.001Z"})
    assert api.get(URL).headers["x-ratelimit-reset"] == "1"  # 0.999 s
