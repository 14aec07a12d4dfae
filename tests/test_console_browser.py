"""The console and /docs in a real headless Chromium (Debian's, driven by Playwright),
against a real mockapi on a free port with a frozen clock: the click paths a presenter takes.

The browser may reach nothing but the mock: any request elsewhere, and any script error,
fails the test. Waits are on what the page shows (Playwright's `expect` retries until its
timeout), never on a fixed delay; timeouts are upper bounds for a broken build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mockapi import MockServer, Settings
from tests.support import TOKEN, check_answer

try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        Locator,
        Page,
        expect,
        sync_playwright,
    )
except ImportError:  # only a local run without the test extra; CI installs it
    sync_playwright = None  # type: ignore[assignment]
    Page = Any  # type: ignore[misc,assignment]  # named in annotations read at import

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.skipif(
        (CHROMIUM is None or sync_playwright is None) and not os.environ.get("CI"),
        reason="needs headless Chromium and Playwright (.ci/run installs Debian's chromium; "
        "pip install '.[test]')",
    ),
    # One worker launches the browser and the server once for the whole module.
    pytest.mark.xdist_group("browser"),
]
PROJECT = "p-kbuygq"
SYSTEM_SCHEDULE = "b6e2c8a4-1f3d-4c5b-8e7a-9d0f2a4c6e81"
STARTUP_NOW = "2026-01-30T12:00:00.000Z"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    assert CHROMIUM is not None, "CI must have chromium: .ci/run installs it"
    assert sync_playwright is not None, "CI must have playwright: it is in the test extra"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    """The default dataset on a frozen clock, on a free port; the console looks five times a
    second, so each wait for a change is short."""
    with MockServer(Settings(console_poll_ms=200)) as running:
        yield running


def api_get(server: MockServer, path: str) -> Any:
    """An API answer, checked against the official spec."""
    url = server.url + path
    response = httpx2.get(url, headers=TOKEN)
    check_answer("GET", url, response.status_code, response.headers, response.content)
    assert response.status_code == 200, response.text
    return response.json()


def api_post(server: MockServer, path: str, body: Any) -> Any:
    """An API write, checked against the official spec."""
    url = server.url + path
    response = httpx2.post(url, headers=TOKEN, json=body)
    check_answer("POST", url, response.status_code, response.headers, response.content)
    return response.json() if response.content else None


NewTab = Callable[..., Page]
OpenConsole = Callable[..., Page]


@dataclass
class Guard:
    """What the running test's tabs (popups included) may reach, what they did wrong, and
    which to close when it ends."""

    origin: str = ""  # empty between tests: the held tabs' own loads
    problems: list[str] = field(default_factory=list)
    tabs: list[Page] = field(default_factory=list)

    def route(self, route: Any) -> None:
        """Let a request to the mock through; refuse and note any other."""
        if route.request.url.startswith(self.origin):
            route.continue_()
        else:
            self.problems.append(f"request elsewhere: {route.request.url}")
            route.abort()

    def watch(self, page: Page) -> None:
        """Note the page's script errors, and close it when the test ends."""
        self.tabs.append(page)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))


@pytest.fixture(scope="module")
def guarded_contexts(
    browser: Browser, server: MockServer
) -> Iterator[tuple[Guard, Callable[[str], BrowserContext]]]:
    """One browser context per time zone for the module, each holding a tab open on the mock.

    A tab opened on a site no tab shows starts a renderer process (about 1.4 s of CPU here,
    most of the browser tests' cost); beside the held tab it joins the running one. Each
    test's tabs still have their own pages and session storage (all the console keeps), and
    are closed at the test's end. Ports do not make sites: the held tab serves every server."""
    guard = Guard()
    made: dict[str, BrowserContext] = {}

    def context_for(zone: str) -> BrowserContext:
        if zone not in made:
            context = browser.new_context(timezone_id=zone, locale="en-GB")
            # On the context, not the page: a popup is guarded from its first request.
            context.route("**/*", guard.route)
            context.new_page().goto(server.url + "/_mockapi/health")
            context.on("page", guard.watch)
            made[zone] = context
        return made[zone]

    yield guard, context_for
    for context in made.values():
        context.close()


@pytest.fixture
def new_tab(guarded_contexts: tuple[Guard, Callable[[str], BrowserContext]]) -> Iterator[NewTab]:
    """A new tab that may reach nothing but the mock it is opened on, and must raise no
    script error (checked when the test ends)."""
    guard, context_for = guarded_contexts

    def opening(
        url: str, width: int = 1280, height: int = 800, zone: str = "Europe/Berlin"
    ) -> Page:
        guard.origin = "/".join(url.split("/", 3)[:3]) + "/"
        page = context_for(zone).new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        return page

    yield opening
    problems = list(guard.problems)
    for page in guard.tabs:
        page.close()
    guard.origin, guard.problems, guard.tabs = "", [], []
    assert problems == []


@pytest.fixture
def open_console(new_tab: NewTab, server: MockServer) -> OpenConsole:
    """Open the console as a browser would (at /), once the server is back at its start."""
    server.reset()

    def opening(
        width: int = 1280,
        height: int = 800,
        zone: str = "Europe/Berlin",
        on: MockServer | None = None,
        ready: bool = True,
    ) -> Page:
        target = on or server
        page = new_tab(target.url + "/", width, height, zone)
        assert page.url == target.url + "/_mockapi/console"
        if ready:
            wait_until_shown(page)
        return page

    return opening


def test_docs_render_the_operation_offline(new_tab: NewTab, server: MockServer) -> None:
    # Swagger UI's files come from the package: nothing but the mock is reached.
    page = new_tab(server.url + "/docs")
    # The tags come first, drawn by Swagger UI's script from the document; a click opens one.
    page.get_by_role("link", name="Backup", exact=True).click(timeout=30_000)
    operation = page.locator("#operations-Backup-backup-list-project-backups")
    expect(operation.locator('[data-path="/v2/projects/{projectId}/backups"]')).to_be_visible()
    expect(operation.get_by_text("List Backups belonging to a Project.")).to_be_visible()
    assert page.get_by_text("Unable to render this definition").count() == 0


def wait_until_shown(page: Page) -> None:
    """The first reading of every view is done."""
    expect(page.locator("#backup-rows tr[data-id]").first).to_be_visible()
    expect(page.locator("#schedule-rows tr[data-id]").first).to_be_visible()
    expect(page.locator("#timeline svg")).to_be_visible()
    expect(page.locator("#rate-now")).not_to_be_empty()


def click_clock(page: Page, step: str) -> None:
    """Press +1 min, +1 h, +1 day or +1 week."""
    names = {"min": "1 minute", "h": "1 hour", "day": "1 day", "week": "1 week"}
    page.get_by_role("button", name=f"Move the clock {names[step]} forward").click()


def back_up_now(page: Page, description: str) -> Locator:
    """Fill in and send the 'Back up now' form; the new backup's row."""
    form = page.get_by_role("form", name="Back up now")
    form.get_by_label("Description").fill(description)
    form.get_by_role("button", name="Back up now").click()
    return page.locator("#backup-rows tr", has_text=description)


def clock_now(page: Page) -> str:
    """The UTC time the clock shows (its datetime)."""
    return page.locator("#clock-now").get_attribute("datetime") or ""


# --- the click paths -------------------------------------------------------------------------


def test_a_created_backup_shows_in_progress_then_completed_a_minute_later(
    open_console: OpenConsole,
) -> None:
    page = open_console()
    row = back_up_now(page, "before the demo")
    expect(row.locator(".status")).to_have_text("InProgress")
    expect(row.locator("td[data-label=Created]")).to_have_class(re.compile(r"\bnone\b"))
    click_clock(page, "min")
    expect(row.locator(".status")).to_have_text("Completed")
    expect(page.locator("#clock-now")).to_have_attribute("datetime", "2026-01-30T12:01:00.000Z")
    expect(row.locator("td[data-label=Created] time")).to_have_count(1)


def test_an_export_moves_through_its_phases_and_its_download_matches_its_checksum(
    open_console: OpenConsole, server: MockServer
) -> None:
    page = open_console()
    row = back_up_now(page, "to export")
    click_clock(page, "min")
    expect(row.locator(".status")).to_have_text("Completed")
    row.get_by_role("button", name=re.compile("^Open the backup")).click()
    dialog = page.locator("#backup-dialog")
    dialog.get_by_role("form", name="Export the backup").get_by_role(
        "button", name="Export", exact=True
    ).click()
    expect(dialog).to_have_attribute("data-export-phase", "Pending")
    # Another client moves the clock: the open dialog follows without a reload.
    server.advance_clock(10)
    expect(dialog).to_have_attribute("data-export-phase", "Exporting")
    page.keyboard.press("Escape")
    expect(row.locator(".phase")).to_have_text("Exporting")
    click_clock(page, "min")
    link = row.get_by_role("link", name="Download the tar.gz export")
    expect(link).to_be_visible()
    row.get_by_role("button", name=re.compile("^Open the backup")).click()
    expect(dialog).to_have_attribute("data-export-phase", "Completed")
    checksum = dialog.locator("#dialog-checksum").inner_text()
    with page.expect_download() as download:
        dialog.locator("#dialog-download").click()
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == checksum
    assert download.value.url == link.get_attribute("href")


def test_a_fault_turns_the_next_request_red_in_the_journal(open_console: OpenConsole) -> None:
    page = open_console()
    form = page.get_by_role("form", name="Add a fault rule")
    form.get_by_label("Requests to").select_option("project")
    form.get_by_label("get", exact=True).select_option("503")
    form.get_by_label("for the next").fill("1")
    form.get_by_role("button", name="Add fault").click()
    expect(page.locator("#fault-list .fault")).to_contain_text(f"{PROJECT}: 503")
    back_up_now(page, "meets the fault")
    # The error as the API sent it: its status, type and message.
    expect(page.locator(".notice.error")).to_contain_text("503 ServiceUnavailable")
    expect(page.locator(".notice.error")).to_contain_text(f"POST /v2/projects/{PROJECT}/backups")
    newest = page.locator("#journal-list .entry").first
    expect(newest).to_have_attribute("data-status", "503")
    expect(newest.locator(".method")).to_have_text("POST")
    expect(newest.locator(".target")).to_have_text(f"/v2/projects/{PROJECT}/backups")
    red = newest.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert red == "rgb(196, 37, 37)"
    # The rule was for one request: it is gone, and the next request is answered.
    expect(page.locator("#fault-list")).to_contain_text("None")
    row = back_up_now(page, "after the fault")
    expect(row.locator(".status")).to_have_text("InProgress")


def test_a_week_later_the_nightly_backups_are_in_the_table_and_on_the_timeline(
    open_console: OpenConsole, server: MockServer
) -> None:
    page = open_console()
    expect(page.locator("#timeline .mark.planned")).not_to_have_count(0)
    click_clock(page, "week")
    expect(page.locator("#clock-now")).to_have_attribute("datetime", "2026-02-06T12:00:00.000Z")
    newest = api_get(server, f"/v2/projects/{PROJECT}/backups?limit=10&sortOrder=newestFirst")
    nightly = [b for b in newest if b.get("parentId") == SYSTEM_SCHEDULE][:7]
    assert [b["requestedAt"][:10] for b in nightly] == [
        f"2026-02-0{d}" for d in range(6, 0, -1)
    ] + ["2026-01-31"]
    for backup in nightly:
        row = page.locator(f'#backup-rows tr[data-id="{backup["id"]}"]')
        expect(row.locator("td[data-label=Requested] time")).to_have_attribute(
            "datetime", backup["requestedAt"]
        )
        expect(row.locator(".tag")).to_have_text("scheduled")
        expect(page.locator(f'#timeline circle.mark.ok[data-id="{backup["id"]}"]')).to_have_count(1)
    # The runs drawn ahead are after the new now, none before it.
    runs = page.locator("#timeline circle.mark.planned title").all_text_contents()
    planned = [re.search(r"\((\S+Z) UTC\)", text)[1] for text in runs]  # type: ignore[index]
    assert planned and min(planned) == "2026-02-07T03:00:00.000Z"


def test_reset_brings_back_the_startup_state(open_console: OpenConsole, server: MockServer) -> None:
    page = open_console()
    startup = [b["id"] for b in api_get(server, f"/v2/projects/{PROJECT}/backups?limit=25")[::-1]]
    back_up_now(page, "gone after the reset")
    form = page.get_by_role("form", name="Add a fault rule")
    form.get_by_label("get", exact=True).select_option("500")
    form.get_by_label("for the next").fill("")
    form.get_by_label("Requests to").select_option("")
    form.get_by_role("button", name="Add fault").click()
    expect(page.locator("#fault-list .fault")).to_have_count(1)
    click_clock(page, "day")
    expect(page.locator("#clock-now")).not_to_have_attribute("datetime", STARTUP_NOW)
    page.get_by_role("button", name="Reset").click()
    expect(page.locator("#clock-now")).to_have_attribute("datetime", STARTUP_NOW)
    expect(page.locator("#fault-list")).to_contain_text("None")
    rows = page.locator("#backup-rows tr[data-id]")
    expect(rows).to_have_count(len(startup))
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.id)") == startup
    expect(page.locator("#backup-range")).to_have_text("1\u201320 of 20 backups")
    # The journal starts afresh: only the console's own reads since the reset.
    methods = page.locator("#journal-list .entry .method").all_inner_texts()
    assert set(methods) <= {"GET"}


# --- how else it is used ---------------------------------------------------------------------


def test_a_change_by_another_client_shows_without_a_reload(
    open_console: OpenConsole, server: MockServer
) -> None:
    page = open_console()
    created = api_post(
        server,
        f"/v2/projects/{PROJECT}/backups",
        {"expirationTime": "2026-03-01T00:00:00Z", "description": "from a client"},
    )
    row = page.locator(f'#backup-rows tr[data-id="{created["id"]}"]')
    expect(row).to_contain_text("from a client")
    server.advance_clock(60)
    expect(row.locator(".status")).to_have_text("Completed")
    expect(page.locator("#clock-now")).to_have_attribute("datetime", "2026-01-30T12:01:00.000Z")


def test_errors_show_in_the_apis_own_words(open_console: OpenConsole) -> None:
    page = open_console()
    # The newest Completed backup is kept: deleting it is refused with 412.
    newest = page.locator("#backup-rows tr[data-id]", has_text="Completed").first
    newest.get_by_role("button", name=re.compile("^Open the backup")).click()
    dialog = page.locator("#backup-dialog")
    dialog.get_by_role("button", name="Delete this backup").click()
    error = dialog.locator("#backup-dialog-error")
    expect(error).to_contain_text("412 FailedPrecondition")
    expect(error).to_contain_text("the newest Completed backup of a project is kept")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).not_to_be_visible()
    # An older one goes.
    older = page.locator("#backup-rows tr[data-id]", has_text="Completed").nth(1)
    older_id = older.get_attribute("data-id")
    older.get_by_role("button", name=re.compile("^Open the backup")).click()
    dialog.get_by_role("button", name="Delete this backup").click()
    expect(dialog).not_to_be_visible()
    expect(page.locator(f'#backup-rows tr[data-id="{older_id}"]')).to_have_count(0)
    # The clock never goes back: the refusal names the field.
    page.get_by_label("Set to").fill("2026-01-01T10:00")
    page.get_by_role("form", name="Set the clock").get_by_role("button", name="Set").click()
    notice = page.locator(".notice.error")
    expect(notice).to_contain_text("400 ValidationError")
    expect(notice.locator(".validation code")).to_have_text("now")


def test_a_restore_runs_from_the_dialog(open_console: OpenConsole) -> None:
    page = open_console()
    row = back_up_now(page, "to restore")
    click_clock(page, "min")
    row.get_by_role("button", name=re.compile("^Open the backup")).click()
    restore = page.get_by_role("form", name="Restore a path")
    restore.get_by_label("Path").fill("/html/app/config/")
    restore.get_by_role("button", name="Restore").click()
    expect(page.locator("#backup-details")).to_contain_text("running /html/app/config/")
    page.keyboard.press("Escape")
    expect(row.locator("td[data-label=Restore] .phase")).to_have_text("running")


def test_a_schedule_is_added_with_its_next_run_and_deleted(open_console: OpenConsole) -> None:
    page = open_console()
    form = page.get_by_role("form", name="Add a schedule")
    form.get_by_label("Cron (UTC)").fill("61 * * * *")
    form.get_by_role("button", name="Add schedule").click()
    notice = page.locator(".notice.error")
    expect(notice).to_contain_text("400 ValidationError")
    expect(notice.locator(".validation code")).to_have_text("schedule")
    form.get_by_label("Cron (UTC)").fill("0 5 * * *")
    form.get_by_label("Keep for").select_option("7d")
    form.get_by_label("Description").fill("early bird")
    form.get_by_role("button", name="Add schedule").click()
    row = page.locator("#schedule-rows tr", has_text="early bird")
    expect(row.locator("td[data-label='Next run'] time")).to_have_attribute(
        "datetime", "2026-01-31T05:00:00.000Z"
    )
    expect(row).to_contain_text("7d")
    expect(page.locator("#timeline .lane-label", has_text="early bird")).to_have_count(1)
    row.get_by_role("button", name="Delete the schedule early bird").click()
    expect(row).to_have_count(0)
    expect(page.locator("#timeline .lane-label", has_text="early bird")).to_have_count(0)


def test_a_write_shows_its_body_in_the_journal_on_click(open_console: OpenConsole) -> None:
    page = open_console()
    back_up_now(page, "look at my body")
    entry = page.locator("#journal-list .entry.write").first
    expect(entry).to_contain_text("201")
    body = entry.locator("pre.body")
    expect(body).not_to_be_visible()
    entry.locator("summary").click()
    expect(body).to_contain_text('"description": "look at my body"')
    expect(body).to_contain_text('"expirationTime": "2026-03-01T12:00:00.000Z"')
    page.get_by_label("Writes only").check()
    expect(page.locator("#journal-list .entry.read").first).not_to_be_visible()


def test_the_table_pages_through_the_apis_own_paging(
    open_console: OpenConsole, server: MockServer
) -> None:
    page = open_console()
    page.get_by_label("Per page").select_option("10")
    expect(page.locator("#page-label")).to_have_text("Page 1 of 2")
    page.get_by_role("button", name="Next page").click()
    expect(page.locator("#page-label")).to_have_text("Page 2 of 2")
    second = api_get(
        server, f"/v2/projects/{PROJECT}/backups?limit=10&skip=10&sortOrder=newestFirst"
    )
    rows = page.locator("#backup-rows tr[data-id]")
    expect(rows).to_have_count(10)
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.id)") == [b["id"] for b in second]
    queries = [entry["query"] for entry in server.journal()]
    assert "limit=10&skip=10&sortOrder=newestFirst" in queries
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()


def test_times_show_in_the_browsers_zone_with_utc_on_hover(open_console: OpenConsole) -> None:
    for zone, hour in [("Europe/Berlin", "13:00:00"), ("America/New_York", "07:00:00")]:
        page = open_console(zone=zone)
        clock = page.locator("#clock-now")
        expect(clock).to_contain_text(hour)
        expect(clock).to_have_attribute("title", f"{STARTUP_NOW} (UTC)")
        requested = page.locator('time[datetime="2026-01-30T03:00:00.000Z"]').first
        expect(requested).to_have_attribute("title", "2026-01-30T03:00:00.000Z (UTC)")
        expect(requested).to_have_text(
            "30 Jan, 04:00" if zone == "Europe/Berlin" else "29 Jan, 22:00"
        )


def test_the_console_asks_for_the_tokens_the_server_wants(open_console: OpenConsole) -> None:
    with MockServer(
        Settings(tokens=["api-secret"], control_token="ctl-secret", console_poll_ms=200)
    ) as guarded:
        page = open_console(on=guarded, ready=False)
        dialog = page.get_by_role("dialog", name="Tokens")
        expect(dialog).to_be_visible()
        dialog.get_by_label("API token (x-access-token)").fill("api-secret")
        dialog.get_by_label("Control token (x-mockapi-control-token)").fill("ctl-secret")
        dialog.get_by_role("button", name="Use").click()
        wait_until_shown(page)
        # A wrong API token is refused (401) and asked for again.
        page.get_by_role("button", name="Tokens").click()
        dialog.get_by_label("API token (x-access-token)").fill("wrong")
        dialog.get_by_role("button", name="Use").click()
        back_up_now(page, "needs the right token")
        expect(dialog).to_be_visible()
        dialog.get_by_label("API token (x-access-token)").fill("api-secret")
        dialog.get_by_role("button", name="Use").click()
        expect(page.locator("#backup-rows tr", has_text="needs the right token")).to_have_count(1)
        page.close()


# --- usable by anyone ------------------------------------------------------------------------


def tab_to(page: Page, locator: Locator, limit: int = 120) -> None:
    """Press Tab until `locator` has the focus."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_the_console_works_with_the_keyboard_alone(open_console: OpenConsole) -> None:
    page = open_console()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the backups")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#backups")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back to where the page starts
    tab_to(page, page.get_by_role("button", name="Move the clock 1 minute forward"))
    page.keyboard.press("Enter")
    expect(page.locator("#clock-now")).to_have_attribute("datetime", "2026-01-30T12:01:00.000Z")
    description = page.get_by_role("form", name="Back up now").get_by_label("Description")
    tab_to(page, description)
    page.keyboard.type("typed, not clicked")
    page.keyboard.press("Enter")
    row = page.locator("#backup-rows tr", has_text="typed, not clicked")
    expect(row.locator(".status")).to_have_text("InProgress")
    opener = row.get_by_role("button", name=re.compile("^Open the backup"))
    tab_to(page, opener)
    page.keyboard.press("Enter")
    dialog = page.locator("#backup-dialog")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()
    expect(opener).to_be_focused()
    # A journal entry opens with the keyboard too.
    entry = page.locator("#journal-list .entry.write summary").first
    tab_to(page, entry, limit=300)
    page.keyboard.press("Enter")
    expect(page.locator("#journal-list .entry.write pre.body").first).to_be_visible()


def test_every_control_has_a_name_for_screen_readers(open_console: OpenConsole) -> None:
    page = open_console()
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, input, select, a[href], summary')]
            .filter(e => !e.closest('[hidden]'))
            .filter(e => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
                || (e.labels && e.labels.length) || e.textContent.trim()))
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []
    assert page.locator("#timeline svg").get_attribute("role") == "img"
    assert "backups" in (page.locator("#timeline svg").get_attribute("aria-label") or "")


def test_the_console_fits_a_390_pixel_phone(open_console: OpenConsole) -> None:
    page = open_console(width=390, height=844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("1 minute", "1 week"):
        box = page.get_by_role("button", name=f"Move the clock {name} forward").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Each backup is a card: the column headings are hidden, each value carries its label.
    head = page.locator("table.backups thead").bounding_box()
    assert head is not None and head["width"] <= 1
    first = page.locator("#backup-rows tr[data-id]").first
    status = first.locator("td[data-label=Status]").bounding_box()
    requested = first.locator("td[data-label=Requested]").bounding_box()
    assert status is not None and requested is not None
    assert requested["y"] >= status["y"] + status["height"]  # one value under the other
    assert (first.bounding_box() or {"width": 999})["width"] <= 390
    # Nothing to scroll sideways, not even inside the table's box.
    assert page.locator("#backups .table-wrap").evaluate("e => e.scrollWidth <= e.clientWidth")
    svg = page.locator("#timeline svg").bounding_box()
    assert svg is not None and svg["x"] + svg["width"] <= 390
    row = back_up_now(page, "from a phone")
    expect(row.locator(".status")).to_have_text("InProgress")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
