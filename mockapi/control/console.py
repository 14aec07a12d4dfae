"""The console at /_mockapi/console: a page of plain ES modules served from the package, and
the two read-only calls it needs beside the API and the control API.

The page changes nothing itself: every action goes through the API (/v2/...) or the control
API, as any client's would. What it needs from here is the pulse, which says in one small
answer what changed since the last look (the page polls it once a second by default and
fetches only what changed), and the schedules' next runs, which no API call tells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from mockapi.backups import lifecycle as life
from mockapi.errors import NoRoute, NotFound
from mockapi.numbers import IntegerRange
from mockapi.settings import Settings
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms

ASSET_FOLDER = "console"  # beside this module, shipped in the wheel with it
# Set here, not guessed from the system's MIME table: a browser refuses a module script
# served as anything but JavaScript, and some systems map .js to text/plain.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# The page may load and call nothing but this server: no CDN, no font host, no beacon.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_RUNS = 1000  # per schedule in one answer; an hourly one makes 168 a week
MAX_HOURS = 366 * 24
ControlGuard = Callable[[Request], Awaitable[None]]


@dataclass(frozen=True)
class Asset:
    """One static file of the console, read once."""

    body: bytes
    content_type: str
    etag: str


@cache
def load_assets() -> dict[str, Asset]:
    """The console's files by name, from the package (a folder, a wheel or a zip alike)."""
    assets = {}
    folder = resources.files("mockapi.control") / ASSET_FOLDER
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in CONTENT_TYPES:
            body = entry.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            assets[entry.name] = Asset(body, CONTENT_TYPES[suffix], etag)
    return assets


def page_config(settings: Settings, state: MockState) -> dict[str, Any]:
    """What the page must know before its first call: which tokens to ask for."""
    return {
        "apiAuth": settings.auth.value,
        "controlToken": settings.control_token is not None,
        "readOnly": state.read_only,
        "pollMs": settings.console_poll_ms,
    }


def render_page(template: bytes, config: dict[str, Any]) -> bytes:
    """index.html with its config as inert JSON (no `<` can end the script element)."""
    data = orjson.dumps(config).replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    return template.replace(b"{{config}}", data)


def wants_html(accept: str) -> bool:
    """True when an Accept header asks for a web page (a browser), not for `*/*` or JSON."""
    for item in accept.split(","):
        media, _, params = item.partition(";")
        if media.strip().lower() not in ("text/html", "application/xhtml+xml"):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            return True
    return False


def front_door(control_prefix: str, console_on: bool) -> APIRouter:
    """`/`: a browser is sent to the console (to /docs without the control API); any other
    client gets the JSON 404 it always got."""
    router = APIRouter()
    target = f"{control_prefix}/console" if console_on else "/docs"

    @router.api_route(
        "/",
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
    )
    async def home(request: Request) -> Response:
        if request.method in ("GET", "HEAD") and wants_html(request.headers.get("accept", "")):
            return RedirectResponse(target, 302, headers={"Vary": "Accept"})
        raise NoRoute()

    return router


def _token(*parts: Any) -> str:
    """A short stamp of some values: equal stamps, (almost surely) equal values."""
    digest = hashlib.blake2b(orjson.dumps(parts), digest_size=8)
    return digest.hexdigest()


class Pulse:
    """What the console polls: the clock, and a stamp per view that changes with its data."""

    def __init__(self, state: MockState) -> None:
        self.state = state

    def read(self, project: str | None) -> dict[str, Any]:
        """The clock and the stamps; a project's are None when no such project is served."""
        state = self.state
        store = state.current()  # lets what is due happen, as any request does
        generation = state.generation
        records = store.projects
        answer: dict[str, Any] = {
            **state.clock_state(),
            "readOnly": state.read_only,
            "projects": _token(
                generation,
                id(store),
                len(records),
                store.backup_count,
                sum(record.backups.version for record in records.values()),
            ),
            "backups": None,
            "schedules": None,
        }
        record = store.find(project) if project else None
        if record is not None:
            now = state.clock.now_ms()
            schedules = list(record.schedules.values())
            # The index's version moves with every change of a backup (time's included). The
            # store's identity tells other data from the same (the first change after a start
            # or reset copies the data, so every project's backups are read once more then).
            answer["backups"] = _token(
                generation, id(store), record.info.id, record.backups.version, len(record.backups)
            )
            answer["schedules"] = _token(
                generation,
                record.info.id,
                [(s["id"], s.get("updatedAt"), s["schedule"], s.get("ttl")) for s in schedules],
                min((life.next_run_ms(s["schedule"], now) for s in schedules), default=None),
            )
        limiter = state.rate_limiter
        answer["rateLimit"] = _token(limiter.limit, limiter.enforce, limiter.window_s)
        if state.read_only:  # each worker has its own journal and faults: none to show
            answer["faults"] = answer["journal"] = None
        else:
            answer["faults"] = _token(generation, state.faults.listing())
            # The journal's count of changes: no read of a journal however large.
            answer["journal"] = _token(generation, state.journal.changes)
        return answer


def next_runs(state: MockState, project: str, hours: int) -> dict[str, Any]:
    """Each schedule of a project with its next run and its runs in the coming hours."""
    record = state.current().find(project)
    if record is None:
        raise NotFound(f"no project {project!r} is served (GET /_mockapi/projects lists them)")
    now = state.clock.now_ms()
    until = now + hours * life.HOUR_MS
    schedules = []
    for schedule in record.schedules.values():
        runs = life.runs_between(schedule["schedule"], now, until)
        entry = {
            "id": schedule["id"],
            "schedule": schedule["schedule"],
            "nextRun": format_epoch_ms(life.next_run_ms(schedule["schedule"], now)),
            "runs": [format_epoch_ms(at) for at in runs[:MAX_RUNS]],
        }
        if len(runs) > MAX_RUNS:
            entry["truncated"] = True
        schedules.append(entry)
    return {"now": format_epoch_ms(now), "until": format_epoch_ms(until), "schedules": schedules}


def console_router(
    control_prefix: str, settings: Settings, state: MockState, guard: ControlGuard
) -> APIRouter:
    """The console's page and files (no token: they hold no data) and its two guarded calls."""
    router = APIRouter(prefix=control_prefix)
    assets = dict(load_assets())
    page = render_page(assets.pop("index.html").body, page_config(settings, state))
    pulse = Pulse(state)
    guarded = [Depends(guard)]
    page_headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    @router.get("/console", include_in_schema=False)
    async def console_page() -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers=page_headers)

    @router.get("/console/pulse", include_in_schema=False, dependencies=guarded)
    async def console_pulse(
        project: Annotated[str | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        return pulse.read(project)

    @router.get("/console/{name}", include_in_schema=False)
    async def console_file(name: str, request: Request) -> Response:
        asset = assets.get(name)
        if asset is None:
            raise NotFound(f"the console has no file {name!r}")
        headers = {
            "ETag": asset.etag,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        return Response(asset.body, media_type=asset.content_type, headers=headers)

    @router.get(
        "/next-runs",
        tags=["mockapi"],
        summary="When a project's schedules run next",
        dependencies=guarded,
    )
    async def schedule_runs(
        project: Annotated[str, Query(max_length=100, description="UUID or short id")],
        hours: Annotated[
            int,
            IntegerRange(1, MAX_HOURS, text=True),
            Query(description="How far ahead to list runs"),
        ] = 168,
    ) -> dict[str, Any]:
        """Each schedule's next run and its runs within `hours` of the mock's now."""
        return next_runs(state, project, hours)

    return router
