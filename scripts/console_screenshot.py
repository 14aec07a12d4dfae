"""Take the console's screenshot for the README (docs/console.png).

    python scripts/console_screenshot.py                 # 1280x800, into docs/console.png
    python scripts/console_screenshot.py --width 390 --height 844 --out /tmp/phone.png

Starts mockapi with the default dataset on a frozen clock, drives the console in headless
Chromium (Debian's, through Playwright) the way a presenter would, and saves the picture.
The clock is frozen and the data fixed, so each run shows the same demo (only the count of
the console's own reads in the journal may differ with the timing of its polls).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import httpx2
from playwright.sync_api import Page, expect, sync_playwright

from mockapi import MockServer, Settings

REPO = Path(__file__).resolve().parent.parent
TOKEN = {"x-access-token": "demo"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
]


def stage(page: Page, server: MockServer) -> None:
    """A demo in progress: a backup running, an export on its way, a fault that just hit."""
    expect(page.locator("#backup-rows tr[data-id]").first).to_be_visible()
    # Export yesterday's nightly backup; the clock moves on a little, so it is Exporting.
    nightly = page.locator("#backup-rows tr", has_text="scheduled").first
    nightly.get_by_role("button", name=re.compile("^Open the backup")).click()
    dialog = page.locator("#backup-dialog")
    dialog.get_by_role("button", name="Export", exact=True).click()
    expect(dialog).to_have_attribute("data-export-phase", "Pending")
    page.keyboard.press("Escape")
    server.advance_clock(12)
    expect(nightly.locator(".phase")).to_have_text("Exporting")
    # The next request to this project fails: the client's "back up now" meets it.
    faults = page.get_by_role("form", name="Add a fault rule")
    faults.get_by_label("for the next").fill("1")
    faults.get_by_role("button", name="Add fault").click()
    form = page.get_by_role("form", name="Back up now")
    form.get_by_label("Description").fill("before the release 4.4")
    form.get_by_role("button", name="Back up now").click()
    expect(page.locator("#journal-list .entry.bad")).to_have_count(1)
    page.locator(".notice.error .dismiss").click()
    # Tried again, it works; a rule for another project stays active.
    form.get_by_label("Description").fill("before the release 4.4")
    form.get_by_role("button", name="Back up now").click()
    expect(page.locator("#backup-rows tr", has_text="before the release 4.4")).to_have_count(1)
    # Meanwhile a client reads the list (the journal shows it; the console's reads are hidden).
    client = httpx2.get(f"{server.url}/v2/projects/p-kbuygq/backups?limit=5", headers=TOKEN)
    client.raise_for_status()
    expect(page.locator("#journal-list .entry.read:not(.own)")).to_have_count(1)
    faults.get_by_label("Requests to").select_option("")
    faults.get_by_label("get", exact=True).select_option("429")
    faults.get_by_label("for the next").fill("")
    faults.get_by_label("share").fill("10")
    faults.get_by_role("button", name="Add fault").click()
    expect(page.locator("#fault-list .fault")).to_have_count(1)
    page.wait_for_function("() => !document.querySelector('.notice.ok')", timeout=10_000)
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")


def main() -> int:
    """Take the screenshot; 0 on success."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "console.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--zone", default="Europe/Berlin", help="the browser's time zone")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    options = parser.parse_args()
    with MockServer(Settings()) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": options.width, "height": options.height},
            timezone_id=options.zone,
            locale="en-GB",
        )
        page = context.new_page()
        page.goto(server.url + "/")
        stage(page, server)
        page.screenshot(path=str(options.out))
        context.close()
        browser.close()
    print(f"wrote {options.out} ({options.width}x{options.height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
