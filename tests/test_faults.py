"""Provoked failures: Prefer headers, fault rules, rate limits, CORS; real HTTP where it matters."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx2
import pytest

from mockapi import MockServer, Settings
from tests.conftest import table_dataset
from tests.support import TOKEN, SpecClient, check_answer, numbers

URL = "/v2/projects/p-tbl001/backups"


@pytest.mark.parametrize(
    ("prefer", "status", "kind"),
    [
        ("code=429", 429, "RateLimitError"),
        ("code=503", 503, "ServiceUnavailableError"),
        ("code=500", 500, "InternalServerError"),
        ("code=404", 404, "NotFoundError"),
        ("code=400", 400, "ValidationError"),
        ("code=418", 418, "HTTPError"),
        ('code="502", example=x', 502, "BadGatewayError"),
    ],
)
def test_prefer_code_answers_that_status_in_the_api_shape(
    api: SpecClient, prefer: str, status: int, kind: str
) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": prefer})
    assert response.status_code == status
    assert response.json()["type"] == kind
    assert response.json()["message"]


def test_prefer_code_429_has_the_spec_body(api: SpecClient) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": "code=429"})
    assert response.json() == {"type": "RateLimitError", "message": "too many requests"}


def test_prefer_code_200_and_unrelated_preferences_answer_normally(api: SpecClient) -> None:
    for prefer in ("code=200", "return=minimal", "example=x"):
        response = api.get(f"{URL}?limit=2", headers={**TOKEN, "Prefer": prefer})
        assert numbers(response) == [1, 2]


@pytest.mark.parametrize("prefer", ["code=302", "code=abc", "delay=-5", "delay=999999", "delay=x"])
def test_bad_prefer_values_are_a_400_naming_the_header(api: SpecClient, prefer: str) -> None:
    response = api.get(URL, headers={**TOKEN, "Prefer": prefer})
    assert response.status_code == 400
    assert response.json()["validationErrors"][0]["path"] == "header.Prefer"


def test_prefer_delay_waits_then_answers(api: SpecClient) -> None:
    began = time.monotonic()
    response = api.get(f"{URL}?limit=1", headers={**TOKEN, "Prefer": "delay=150, code=503"})
    assert time.monotonic() - began >= 0.15
    assert response.status_code == 503


def test_next_n_requests_to_a_project_get_a_status(api: SpecClient) -> None:
    rule = {"project": "p-tbl001", "status": 503, "count": 2}
    assert api.client.post("/_mockapi/faults", json=rule).status_code == 201
    assert api.get("/v2/projects/p-tbl002/backups").status_code == 200
    uuid_url = "/v2/projects/11111111-1111-4111-8111-111111111111/backups"
    assert [api.get(u).status_code for u in (URL, uuid_url, URL)] == [503, 503, 200]
    assert api.client.get("/_mockapi/faults").json() == []


def test_a_fraction_of_requests_fail_and_the_run_repeats(
    make_api: Callable[..., SpecClient],
) -> None:
    def run() -> list[int]:
        api = make_api(fault_seed=7)
        api.client.post("/_mockapi/faults", json={"status": 500, "probability": 0.3})
        return [api.get(URL).status_code for _ in range(200)]

    first, second = run(), run()
    assert first == second
    assert 30 < first.count(500) < 90
    assert set(first) == {200, 500}


def test_faults_from_settings_and_reset_restores_them(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(faults='[{"status": 502, "count": 1}]')
    assert api.get(URL).status_code == 502
    assert api.get(URL).status_code == 200
    api.client.post("/_mockapi/reset")
    assert api.get(URL).status_code == 502


def test_fault_rules_can_be_listed_and_removed(api: SpecClient) -> None:
    first = api.client.post("/_mockapi/faults", json={"status": 500}).json()["id"]
    api.client.post("/_mockapi/faults", json={"delayMs": 10, "delayMaxMs": 20})
    assert [r["id"] for r in api.client.get("/_mockapi/faults").json()] == [first, first + 1]
    assert api.client.delete(f"/_mockapi/faults/{first}").status_code == 204
    assert api.client.delete(f"/_mockapi/faults/{first}").status_code == 404
    assert api.get(URL).status_code == 200
    assert api.client.delete("/_mockapi/faults").status_code == 204
    assert api.client.get("/_mockapi/faults").json() == []


def test_control_and_docs_paths_are_never_faulted(api: SpecClient) -> None:
    api.client.post("/_mockapi/faults", json={"status": 500})
    assert api.client.get("/_mockapi/health").status_code == 200
    assert api.client.get("/openapi.json").status_code == 200


def test_rate_limit_headers_and_429(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(rate_limit=3, rate_limit_window=60)
    remaining = []
    for _ in range(3):
        response = api.get(URL, headers={"x-access-token": "a"})
        assert response.status_code == 200
        remaining.append(response.headers["x-ratelimit-remaining"])
        assert response.headers["x-ratelimit-limit"] == "3"
        assert 0 < int(response.headers["x-ratelimit-reset"]) <= 60
    assert remaining == ["2", "1", "0"]
    limited = api.get(URL, headers={"x-access-token": "a"})
    assert limited.status_code == 429
    assert limited.json() == {"type": "RateLimitError", "message": "too many requests"}
    assert limited.headers["x-ratelimit-remaining"] == "0"
    # Another token has its own window.
    assert api.get(URL, headers={"Authorization": "Bearer b"}).status_code == 200


def test_rate_limit_window_resets(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(rate_limit=1, rate_limit_window=0.2)
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    time.sleep(0.25)
    assert api.get(URL).status_code == 200


def test_rate_limit_is_off_by_default_and_set_at_runtime(api: SpecClient) -> None:
    assert "x-ratelimit-limit" not in api.get(URL).headers
    assert api.client.put("/_mockapi/rate-limit", json={"limit": 1}).status_code == 200
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    assert api.client.get("/_mockapi/rate-limit").json() == {"limit": 1, "windowSeconds": 60.0}
    api.client.post("/_mockapi/reset")
    assert "x-ratelimit-limit" not in api.get(URL).headers


def test_cors_lets_a_browser_read_every_header(api: SpecClient) -> None:
    response = api.get(URL, headers={**TOKEN, "Origin": "http://localhost:3000"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = response.headers["access-control-expose-headers"].lower()
    for name in ("x-pagination-totalcount", "x-pagination-page", "x-ratelimit-remaining"):
        assert name in exposed
    preflight = api.client.options(
        URL,
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-access-token, authorization, prefer",
        },
    )
    assert preflight.status_code == 200
    assert "x-access-token" in preflight.headers["access-control-allow-headers"].lower()


def test_cors_origins_are_configurable(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(cors_origins="http://app.test")
    allowed = api.get(URL, headers={**TOKEN, "Origin": "http://app.test"})
    assert allowed.headers["access-control-allow-origin"] == "http://app.test"
    other = api.get(URL, headers={**TOKEN, "Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in other.headers
    off = make_api(cors_origins="")
    assert (
        "access-control-allow-origin" not in off.get(URL, headers={**TOKEN, "Origin": "x"}).headers
    )


@pytest.fixture
def real_server() -> Iterator[MockServer]:
    with MockServer(Settings(), table_dataset()) as server:
        yield server


def test_drop_closes_the_connection_without_an_answer(real_server: MockServer) -> None:
    with httpx2.Client(base_url=real_server.url, headers=TOKEN) as client:
        client.post("/_mockapi/faults", json={"drop": True, "count": 1})
        with pytest.raises(httpx2.RemoteProtocolError):
            client.get(URL)
        response = client.get(f"{URL}?limit=1")
        assert response.status_code == 200
        check_answer("GET", f"{URL}?limit=1", 200, response.headers, response.content)
        assert [e["status"] for e in real_server.journal()] == [0, 200]


def test_random_delay_range_over_real_http(real_server: MockServer) -> None:
    with httpx2.Client(base_url=real_server.url, headers=TOKEN) as client:
        client.post("/_mockapi/faults", json={"delayMs": 50, "delayMaxMs": 80, "count": 3})
        for _ in range(3):
            began = time.monotonic()
            assert client.get(URL).status_code == 200
            assert time.monotonic() - began >= 0.05
