"""The console in a browser with 100,000 backups loaded: how soon it paints, shows its first
page of backups and its timeline, how soon a change by another client shows, and what its
once-a-second pulse costs the server.

    python benchmarks/console_paint.py                  # 10 projects x 10,000 backups
    python benchmarks/console_paint.py --runs 10 --changes 20

mockapi runs as its own process (`mockapi serve`, frozen clock, generated data); the page
loads in headless Chromium (Debian's, through Playwright), each load in a fresh context
(nothing cached). Times are the browser's own: the Paint Timing API's first-paint and
first-contentful-paint, and the marks the console sets when its first page of backups and
its timeline are shown. The goal: first paint under 1 s. No test asserts these figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, expect, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TOKEN = {"x-access-token": "bench"}
MEASURES = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType("paint").map(e => [e.name, e.startTime]));
  const mark = (name) => (performance.getEntriesByName(name)[0] || {}).startTime;
  const navigation = performance.getEntriesByType("navigation")[0];
  return {
    "first paint": paint["first-paint"],
    "first contentful paint": paint["first-contentful-paint"],
    "DOM content loaded": navigation.domContentLoadedEventEnd,
    "first page of backups shown": mark("console:backups"),
    "timeline drawn": mark("console:timeline"),
  };
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, method: str = "GET", body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {**TOKEN, "content-type": "application/json"}
    with urllib.request.urlopen(
        urllib.request.Request(url, data, headers, method=method)
    ) as answer:
        payload = answer.read()
    return json.loads(payload) if payload else None


@contextmanager
def mockapi(projects: int, per_project: int) -> Iterator[str]:
    """`mockapi serve` with generated data on a frozen clock; its URL once it is ready."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mockapi",
        "serve",
        "--port",
        str(port),
        "--clock",
        "frozen",
        "--seed",
        "1",
        "--projects",
        str(projects),
        "--backups-per-project",
        str(per_project),
        "--no-access-log",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(process.stderr.read().decode() if process.stderr else "failed")
            try:
                request(url + "/_mockapi/health")
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def loads(browser: Browser, url: str, runs: int) -> list[dict[str, float]]:
    """Open the console `runs` times, each in a fresh context; the browser's figures."""
    found = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_function(
            "() => performance.getEntriesByName('console:timeline').length"
            " && performance.getEntriesByName('console:backups').length",
            timeout=60_000,
        )
        found.append(page.evaluate(MEASURES))
        context.close()
    return found


def changes(browser: Browser, url: str, count: int) -> list[float]:
    """Milliseconds from another client's write to the console showing it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url + "/")
    expect(page.locator("#backup-rows tr[data-id]").first).to_be_visible(timeout=60_000)
    project = page.locator("#project-title").inner_text()
    now = datetime.fromisoformat(request(url + "/_mockapi/clock")["now"])
    expires = (now + timedelta(days=30)).isoformat()
    shown = []
    for n in range(count):
        # Spread over the poll's second, as real changes are.
        time.sleep(0.137 * (n % 7))
        began = time.perf_counter()
        created = request(
            f"{url}/v2/projects/{project}/backups",
            "POST",
            {"expirationTime": expires, "description": f"change {n}"},
        )
        page.locator(f'#backup-rows tr[data-id="{created["id"]}"]').wait_for(timeout=30_000)
        shown.append((time.perf_counter() - began) * 1000)
    context.close()
    return shown


def pulse_cost(url: str, count: int) -> list[float]:
    """Milliseconds per pulse answer (one a second per open console), with a full journal."""
    for _ in range(1000):
        request(url + "/v2/projects?limit=1")
    project = request(url + "/_mockapi/projects")[0]["shortId"]
    timings = []
    for _ in range(count):
        began = time.perf_counter()
        request(f"{url}/_mockapi/console/pulse?project={project}")
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def row(name: str, values: list[float], goal: str = "") -> str:
    median, worst = statistics.median(values), max(values)
    shown = ",.1f" if worst < 100 else ",.0f"
    return f"| {name} | {median:{shown}} | {worst:{shown}} | {goal} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--per-project", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    options = parser.parse_args()
    total = options.projects * options.per_project
    with mockapi(options.projects, options.per_project) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=CHROMIUM_ARGS)
        print(
            f"# console in {browser.version} headless, {total:,} backups "
            f"({options.projects} x {options.per_project:,}), {options.runs} cold loads; "
            f"{platform.machine()}, Python {platform.python_version()}"
        )
        figures = loads(browser, url, options.runs)
        print("\n| after navigation starts | median ms | max ms | goal |\n|---|---|---|---|")
        for name in figures[0]:
            goal = "< 1,000 " + ("met" if max(f[name] for f in figures) < 1000 else "MISSED")
            print(row(name, [f[name] for f in figures], goal if name == "first paint" else ""))
        shown = changes(browser, url, options.changes)
        print("\n| live | median ms | max ms | goal |\n|---|---|---|---|")
        print(row("another client's new backup shown", shown, "about 1,000 (one poll a second)"))
        browser.close()
        cost = pulse_cost(url, 200)
        print("\n| server | median ms | max ms | goal |\n|---|---|---|---|")
        print(row("one pulse answer (journal of 1,000), over HTTP", cost))
    return 0


if __name__ == "__main__":
    sys.exit(main())
