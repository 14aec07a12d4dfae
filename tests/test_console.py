"""The console's server side: the page and its files, where a browser at / goes, the pulse the
page polls and the schedules' next runs. The page itself is driven in a real browser in
`test_console_browser.py`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from mockapi import Settings
from mockapi.control.console import wants_html
from tests.support import SpecClient

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
NO_ROUTE = {"type": "NotFound", "message": "The requested resource was not found."}


def page_config(api: SpecClient) -> dict[str, Any]:
    """The config the page carries for its script."""
    page = api.client.get("/_mockapi/console").text
    found = re.search(r'<script type="application/json" id="console-config">(.*?)</script>', page)
    assert found, page[:500]
    config: dict[str, Any] = json.loads(found[1])
    return config


# --- where a browser at / goes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "accept", "control_api", "location"),
    [
        ("GET", BROWSER_ACCEPT, True, "/_mockapi/console"),
        ("GET", "text/html", True, "/_mockapi/console"),
        ("HEAD", BROWSER_ACCEPT, True, "/_mockapi/console"),
        ("GET", BROWSER_ACCEPT, False, "/docs"),
        ("GET", "application/xhtml+xml", False, "/docs"),
        # Not a browser: the JSON 404 every client got before.
        ("GET", "*/*", True, None),
        ("GET", "application/json", True, None),
        ("GET", "text/html;q=0", True, None),
        ("GET", "text/htmlx", True, None),
        ("GET", None, True, None),
        ("POST", BROWSER_ACCEPT, True, None),
        ("DELETE", BROWSER_ACCEPT, False, None),
    ],
)
def test_a_browser_at_the_root_is_sent_to_the_console_or_the_docs(
    make_api: Callable[..., SpecClient],
    method: str,
    accept: str | None,
    control_api: bool,
    location: str | None,
) -> None:
    api = make_api(control_api=control_api)
    headers = {"accept": accept} if accept is not None else {}
    response = api.client.request(method, "/", headers=headers, follow_redirects=False)
    if location is None:
        assert response.status_code == 404
        assert response.json() == NO_ROUTE
        assert response.json() == api.client.get("/no-such-path").json()
    else:
        assert (response.status_code, response.headers["location"]) == (302, location)
        assert response.headers["vary"] == "Accept"
        assert api.client.get(location).status_code == 200


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html", True),
        ("TEXT/HTML; charset=utf-8", True),
        ("application/json, text/html;q=0.1", True),
        ("text/html;q=0.0", False),
        ("text/html;q=x", False),
        ("*/*", False),
        ("text/*", False),
        ("", False),
    ],
)
def test_only_an_accept_asking_for_html_counts_as_a_browser(accept: str, html: bool) -> None:
    assert wants_html(accept) is html


# --- the page and its files ------------------------------------------------------------------


def referenced(text: str) -> list[str]:
    """Every address a page, a module or a style sheet makes the browser load."""
    found = re.findall(r'(?:src|href)="([^"]+)"', text)
    found += re.findall(r'\bfrom\s+"([^"]+)"', text)
    found += re.findall(r'\bimport\s+"([^"]+)"', text)
    found += re.findall(r"url\(([^)]+)\)", text)
    return found


def test_the_console_loads_nothing_from_another_host(api: SpecClient) -> None:
    page = api.client.get("/_mockapi/console")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    for directive in ("script-src", "style-src", "connect-src"):
        assert f"{directive} 'self';" in policy
    # Every file the page loads, and every module those load, is served from the package.
    waiting, served = ["/_mockapi/console"], {}
    while waiting:
        address = waiting.pop()
        if address in served:
            continue
        response = api.client.get(address)
        assert response.status_code == 200, address
        served[address] = response.headers["content-type"]
        base = "/_mockapi/" if address == "/_mockapi/console" else "/_mockapi/console/"
        for target in referenced(response.text):
            if target.startswith(("#", "/docs", "/openapi.json", "/_mockapi/health")):
                continue  # links to the mock's own pages, opened on purpose
            assert "//" not in target and not target.startswith("data:"), (address, target)
            waiting.append(target if target.startswith("/") else base + target.removeprefix("./"))
    modules = [a for a, kind in served.items() if a.endswith(".js")]
    assert len(modules) >= 5
    assert all(served[a] == "text/javascript; charset=utf-8" for a in modules)
    assert served["/_mockapi/console/console.css"] == "text/css; charset=utf-8"


def test_a_console_file_is_answered_304_while_unchanged(api: SpecClient) -> None:
    first = api.client.get("/_mockapi/console/app.js")
    again = api.client.get(
        "/_mockapi/console/app.js", headers={"if-none-match": first.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    assert api.client.get("/_mockapi/console/no-such.js").status_code == 404


def test_the_console_is_off_without_the_control_api(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(control_api=False)
    for path in ("console", "console/app.js", "console/pulse", "next-runs?project=p-tbl001"):
        assert api.control("GET", path).status_code == 404, path


@pytest.mark.parametrize(
    ("settings", "config"),
    [
        ({}, {"apiAuth": "any", "controlToken": False, "readOnly": False}),
        ({"tokens": ["api-secret"]}, {"apiAuth": "tokens", "controlToken": False}),
        ({"auth": "none"}, {"apiAuth": "none"}),
        ({"control_token": "ctl-secret"}, {"controlToken": True}),
        ({"workers": 2, "clock": "running"}, {"readOnly": True}),
    ],
)
def test_the_page_says_which_tokens_to_ask_for_and_never_holds_one(
    make_api: Callable[..., SpecClient], settings: dict[str, Any], config: dict[str, Any]
) -> None:
    api = make_api(**settings)
    given = page_config(api)
    assert {key: given[key] for key in config} == config
    page = api.client.get("/_mockapi/console").text
    assert "secret" not in page


@pytest.mark.parametrize(("given", "poll_ms"), [({}, 1000), ({"console_poll_ms": 200}, 200)])
def test_the_page_polls_as_often_as_the_setting_says(
    make_api: Callable[..., SpecClient], given: dict[str, Any], poll_ms: int
) -> None:
    assert page_config(make_api(**given))["pollMs"] == poll_ms


@pytest.mark.parametrize("poll_ms", ["99", "60001", "0.5"])
def test_a_poll_interval_out_of_range_is_refused_naming_the_setting(poll_ms: str) -> None:
    with pytest.raises(ValueError, match="console_poll_ms"):
        Settings.from_environment({"MOCKAPI_CONSOLE_POLL_MS": poll_ms})


def test_the_consoles_calls_need_the_control_token_its_page_does_not(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(control_token="ctl")
    assert api.client.get("/_mockapi/console").status_code == 200
    assert api.client.get("/_mockapi/console/app.js").status_code == 200
    for path in ("console/pulse", "next-runs?project=p-tbl001"):
        denied = api.control("GET", path)
        assert (denied.status_code, denied.json()["type"]) == (403, "PermissionDenied"), path
        allowed = api.control("GET", path, headers={"x-mockapi-control-token": "ctl"})
        assert allowed.status_code == 200, path


def test_the_console_is_not_in_the_openapi_document_but_next_runs_is(api: SpecClient) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert "/_mockapi/next-runs" in paths
    assert not [path for path in paths if "console" in path]


# --- the pulse -------------------------------------------------------------------------------

STAMPS = ("projects", "backups", "schedules", "journal", "faults", "rateLimit")
NEW_BACKUP = {"expirationTime": "2026-03-01T00:00:00Z", "description": "pulse"}


def pulse(api: SpecClient, project: str = "p-tbl001") -> dict[str, Any]:
    """The pulse the console polls."""
    response = api.control("GET", f"console/pulse?project={project}")
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        ("nothing", set()),
        ("read the list", {"journal"}),
        ("read another project", {"journal"}),
        ("create a backup", {"projects", "backups", "journal"}),
        ("create one in another project", {"projects", "journal"}),
        ("move the clock past nothing", set()),
        ("move the clock past a completion", {"projects", "backups"}),
        ("move the clock past a schedule run", {"projects", "backups", "schedules"}),
        ("create a schedule", {"schedules", "journal"}),
        ("add a fault", {"faults"}),
        ("set the rate limit", {"rateLimit"}),
        ("clear the journal", {"journal"}),
        ("reset", {"projects", "backups", "schedules", "journal", "faults", "rateLimit"}),
    ],
)
def test_a_pulse_stamp_changes_exactly_when_its_view_does(
    make_api: Callable[..., SpecClient], change: str, changed: set[str]
) -> None:
    api = make_api()
    # Something to reset, and a journal to clear; a first change of the data (which copies
    # the startup data, so every project's backups are read once more).
    api.get("/v2/projects/p-tbl001/backups")
    api.control("PUT", "rate-limit", json={"limit": 50})
    api.control("POST", "faults", json={"project": "p-tbl003", "status": 503, "count": 5})
    api.post("/v2/projects/p-tbl002/backups", NEW_BACKUP)
    before = pulse(api)
    actions: dict[str, Callable[[], Any]] = {
        "nothing": lambda: None,
        "read the list": lambda: api.get("/v2/projects/p-tbl001/backups"),
        "read another project": lambda: api.get("/v2/projects/p-tbl002/backups"),
        "create a backup": lambda: api.post("/v2/projects/p-tbl001/backups", NEW_BACKUP),
        "create one in another project": lambda: api.post(
            "/v2/projects/p-tbl002/backups", NEW_BACKUP
        ),
        "move the clock past nothing": lambda: api.control(
            "POST", "clock", json={"advanceSeconds": 1}
        ),
        # The table's backup 7 is InProgress: it completes backup seconds after loading.
        "move the clock past a completion": lambda: api.advance(10),
        "move the clock past a schedule run": lambda: api.advance(86_400),
        "create a schedule": lambda: api.post(
            "/v2/projects/p-tbl001/backup-schedules", {"schedule": "0 5 * * *", "ttl": "7d"}
        ),
        "add a fault": lambda: api.control("POST", "faults", json={"status": 500}),
        "set the rate limit": lambda: api.control("PUT", "rate-limit", json={"limit": 9}),
        "clear the journal": lambda: api.control("DELETE", "journal"),
        "reset": lambda: api.control("POST", "reset"),
    }
    actions[change]()
    after = pulse(api)
    assert {name for name in STAMPS if before[name] != after[name]} == changed


def test_the_pulse_carries_the_clock(make_api: Callable[..., SpecClient]) -> None:
    api = make_api()
    assert {k: pulse(api)[k] for k in ("now", "mode", "readOnly")} == {
        "now": "2026-01-30T12:00:00.000Z",
        "mode": "frozen",
        "readOnly": False,
    }
    api.advance(90)
    assert pulse(api)["now"] == "2026-01-30T12:01:30.000Z"


def test_an_unknown_project_has_no_stamps(api: SpecClient) -> None:
    answer = pulse(api, "p-nope00")
    assert (answer["backups"], answer["schedules"]) == (None, None)
    assert answer["projects"] == pulse(api)["projects"]


def test_the_journal_stamp_moves_with_each_request_at_once(
    make_api: Callable[..., SpecClient],
) -> None:
    # A count of changes, not a reading of the journal: a request right after a look shows
    # in the next look, however large the journal.
    api = make_api()
    seen = [pulse(api)["journal"]]
    for _ in range(3):
        api.get("/v2/projects/p-tbl001/backups")
        seen.append(pulse(api)["journal"])
    api.control("DELETE", "journal")
    seen.append(pulse(api)["journal"])
    assert len(set(seen)) == 5


# --- next runs -------------------------------------------------------------------------------


def test_next_runs_lists_each_schedules_runs_ahead(make_api: Callable[..., SpecClient]) -> None:
    api = make_api(dataset=None)  # the default dataset, at 2026-01-30T12:00:00Z
    answer = api.control("GET", "next-runs?project=p-kbuygq&hours=48").json()
    assert (answer["now"], answer["until"]) == (
        "2026-01-30T12:00:00.000Z",
        "2026-02-01T12:00:00.000Z",
    )
    assert [
        (entry["schedule"], entry["nextRun"], entry["runs"]) for entry in answer["schedules"]
    ] == [
        (
            "0 3 * * *",
            "2026-01-31T03:00:00.000Z",
            [
                "2026-01-31T03:00:00.000Z",
                "2026-02-01T03:00:00.000Z",
            ],
        ),
        ("0 22 * * 0", "2026-02-01T22:00:00.000Z", []),
    ]
    # By UUID as well, and a week ahead by default.
    week = api.control("GET", "next-runs?project=3f1a5d2e-8c4b-4e7a-9b61-2d0c7e5f4a13").json()
    assert len(week["schedules"][0]["runs"]) == 7


def test_next_runs_of_an_hourly_schedule_are_capped(make_api: Callable[..., SpecClient]) -> None:
    api = make_api()
    api.post("/v2/projects/p-tbl001/backup-schedules", {"schedule": "5 * * * *", "ttl": "7d"})
    answer = api.control("GET", "next-runs?project=p-tbl001&hours=8784").json()
    hourly = answer["schedules"][-1]
    assert (len(hourly["runs"]), hourly["truncated"]) == (1000, True)
    assert hourly["runs"][0] == hourly["nextRun"] == "2026-01-30T12:05:00.000Z"
    assert "truncated" not in answer["schedules"][0]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("project=p-nope00", 404, None),
        ("project=p-tbl001&hours=0", 400, "hours"),
        ("project=p-tbl001&hours=8785", 400, "hours"),
        ("project=p-tbl001&hours=soon", 400, "hours"),
        ("hours=5", 400, "project"),
        ("project=" + "x" * 101, 400, "project"),
    ],
)
def test_next_runs_refuses_bad_input_in_the_apis_words(
    api: SpecClient, query: str, status: int, field: str | None
) -> None:
    response = api.control("GET", f"next-runs?{query}")
    assert response.status_code == status
    body = response.json()
    if field is None:
        assert body["type"] == "NotFound" and "p-nope00" in body["message"]
    else:
        assert body["type"] == "ValidationError"
        assert [item["path"] for item in body["validationErrors"]] == [field]
