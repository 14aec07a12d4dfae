"""Run the mock on uvicorn: blocking for the CLI, or in a thread on a free port (no pytest)."""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import gc
import resource
import socket
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import uvicorn

from mockapi.app import MockApp, create_app
from mockapi.backups.clock import ClockError, ClockMode
from mockapi.backups.dataset import Dataset, ProjectInfo
from mockapi.backups.store import Store
from mockapi.data.loading import load_dataset
from mockapi.data.progress import progress_reporter
from mockapi.http.faults import FaultRule
from mockapi.http.logs import configure_logging
from mockapi.http.protocol import protocol_class
from mockapi.http.stubs import Stub
from mockapi.persist import StateKeeper, keeper_for
from mockapi.settings import Settings
from mockapi.state.journal import JournalQuery
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms
from mockapi.watch import signature as watch_signature

READY_PROJECTS_SHOWN = 5
T = TypeVar("T")


def bind(settings: Settings) -> socket.socket:
    """The listening socket, bound before anything is served (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: MockApp, settings: Settings) -> uvicorn.Config:
    """uvicorn as mockapi runs it: its own protocol, logs, timeouts and limits."""
    return uvicorn.Config(
        app,
        access_log=False,  # mockapi writes its own, batched
        log_config=None,
        lifespan="off",
        http=protocol_class(
            settings.max_header_bytes, settings.timeout_headers, settings.limit_concurrency
        ),
        server_header=False,
        proxy_headers=False,
        date_header=False,  # the date comes from the mock's clock
        timeout_keep_alive=settings.timeout_keep_alive,
        timeout_graceful_shutdown=settings.timeout_graceful_shutdown,
    )


class _Server(uvicorn.Server):
    """uvicorn.Server with a hook once listening, and a clean exit on SIGTERM."""

    on_ready: Any = None
    watcher: Any = None
    keeper: StateKeeper | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, so the process would
        # die by the signal; a requested stop is a clean stop, so exit 0 for Docker and CI.
        with super().capture_signals():
            yield
            self._captured_signals.clear()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if self.started and self.keeper is not None:
            self.keeper.start()
        if self.started and self.on_ready is not None:
            self.on_ready(self)

    async def shutdown(self, sockets: Any = None) -> None:
        await super().shutdown(sockets)
        access = getattr(self.config.app, "access_log", None)
        if access is not None:
            access.flush()
        if self.keeper is not None:
            await self.keeper.close()  # after the last request: the final state


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def ready_line(settings: Settings, url: str, store: Store, origin: str | None = None) -> str:
    """The one line printed on start: version, URL, what is loaded, short ids, the docs, the
    clock's mode and now, and a curl."""
    from mockapi import __version__

    if origin is None:
        origin = "built-in default dataset" if settings.uses_default_dataset else store.source
    if len(origin) > 60:
        origin = origin[:57] + "..."
    records = sorted(store.projects.values(), key=lambda r: -len(r.backups))
    shorts = [r.info.short_id for r in records[:READY_PROJECTS_SHOWN]]
    more = len(records) - len(shorts)
    named = ", ".join(shorts) + (f" and {more} more (GET {url}/_mockapi/projects)" if more else "")
    curl = ""
    if records:
        # Configured tokens are secrets and never printed; the curl names a placeholder then.
        token = "<one of your --tokens>" if settings.tokens else "demo"
        header = "" if settings.auth == "none" else f" -H 'x-access-token: {token}'"
        path = f"/v2/projects/{records[0].info.short_id}/backups?limit=5"
        curl = f" | try: curl -i{header} '{url}{path}'"
    # Where to look, and what time the mock thinks it is: a demo's dates make sense then.
    now = format_epoch_ms(store.now_ms)
    clock = f" | docs: {url}/docs | clock {settings.clock.value}, now {now}"
    return (
        f"mockapi {__version__} serving {_plural(len(store.projects), 'project')}"
        f"{' (' + named + ')' if named else ''}, {_plural(store.backup_count, 'backup')} "
        f"({origin or 'no data'}) at {url}{clock}{curl}"
    )


def _more_file_descriptors() -> None:
    # Many clients at once should meet the connection limit, not the process's fd limit.
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve(settings: Settings) -> int:
    """Load, print the ready line, and serve until SIGTERM or Ctrl-C; the CLI's `serve`."""
    from mockapi.workers import run_forked

    configure_logging(settings.log_format.value == "json")
    _more_file_descriptors()
    sock = bind(settings)
    port = int(sock.getsockname()[1])
    url = settings.base_url(port)
    total = settings.projects * settings.backups_per_project if settings.seed is not None else 0
    loaded = watch_signature(settings.fixtures) if settings.watch else ()
    dataset = load_dataset(settings, progress_reporter(sys.stderr, total))
    app = create_app(settings, dataset, url)
    keeper = keeper_for(settings, app.mock)
    # The loaded data never changes shape again: moving it out of the collector's reach
    # keeps GC pauses off the request path (and keeps forked workers' pages shared).
    gc.collect()
    gc.freeze()
    config = uvicorn_config(app, settings)
    resumed = keeper.origin if keeper is not None and keeper.resumed else None
    line = ready_line(settings, url, app.mock.store, resumed)
    if settings.workers == 1:
        server = _Server(config)
        server.keeper = keeper

        def ready(_: _Server) -> None:
            if settings.watch:
                from mockapi.watch import start_watching

                server.watcher = start_watching(settings, app.mock, loaded)
            print(line, flush=True)

        server.on_ready = ready
        server.run(sockets=[sock])
        return 0
    # Listen before saying "ready": connections then queue until a worker accepts them.
    sock.listen(config.backlog)
    print(f"{line} | {settings.workers} workers, read-only API", flush=True)

    def run_worker(index: int) -> None:
        app.mock.trace_ids = type(app.mock.trace_ids)(index)
        _Server(config).run(sockets=[sock])

    return run_forked(settings.workers, sock, run_worker)


def _in_process(what: str) -> Any:
    """httpx2, which the in-process clients need; a missing one is named with its extra."""
    try:
        import httpx2
    except ImportError:
        raise ModuleNotFoundError(
            f"mockapi's {what} needs httpx2, which is not installed: "
            "pip install 'mockapi[inprocess]'"
        ) from None
    return httpx2


def _moment(when: datetime | str) -> datetime:
    """A datetime as given, or one read from RFC 3339 text (a zone is checked by the clock)."""
    if isinstance(when, datetime):
        return when
    try:
        return datetime.fromisoformat(when.strip())
    except ValueError:
        raise ClockError(
            f"{when!r} is not an RFC 3339 time; give one such as 2026-01-30T12:00:00.500Z"
        ) from None


def _contains(body: Any, part: Any) -> bool:
    """True when `part` is in a recorded body: a sub-object's fields, an item, or text."""
    if isinstance(part, dict):
        return isinstance(body, dict) and all(
            key in body and (body[key] == value or _contains(body[key], value))
            for key, value in part.items()
        )
    if isinstance(body, dict):
        return any(_contains(value, part) for value in body.values())
    if isinstance(body, list):
        return part in body or any(_contains(value, part) for value in body)
    if isinstance(body, str) and isinstance(part, str):
        return part in body
    return bool(body == part)


def near_misses(entries: list[dict[str, Any]], operation_id: str, shown: int = 10) -> str:
    """What was called instead, the operations most like the wanted one first."""
    if not entries:
        return "nothing was called"
    counts: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        counts.setdefault(entry.get("operationId") or "(no operation)", []).append(entry)
    likeness = {name: difflib.SequenceMatcher(None, name, operation_id).ratio() for name in counts}
    lines = ["called, nearest first:"]
    for name in sorted(counts, key=lambda n: -likeness[n])[:shown]:
        example = counts[name][-1]
        lines.append(
            f"  {name} x{len(counts[name])} (last: {example['method']} {example['path']} "
            f"-> {example['status']})"
        )
    return "\n".join(lines)


class MockServer:
    """A real mockapi HTTP server in a background thread, on 127.0.0.1 and a free port.

    Settings come only from code; the clock is frozen unless the settings say otherwise.
    """

    def __init__(self, settings: Settings | None = None, dataset: Dataset | None = None) -> None:
        given = settings or Settings()
        changes: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "access_log": False}
        changes["workers"] = 1
        if "clock" not in given.model_fields_set:
            changes["clock"] = ClockMode.FROZEN
        self.settings = given.model_copy(update=changes)
        self._socket = bind(self.settings)
        self.port = int(self._socket.getsockname()[1])
        try:
            self.app = create_app(self.settings, dataset, self.settings.base_url(self.port))
            self.keeper = keeper_for(self.settings, self.app.mock)
        except BaseException:
            self._socket.close()
            raise
        self.state: MockState = self.app.mock
        self._server = _Server(uvicorn_config(self.app, self.settings))
        self._server.keeper = self.keeper
        self._server.on_ready = self._on_ready
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _on_ready(self, server: _Server) -> None:
        self._loop = asyncio.get_running_loop()

    def _on_loop(self, action: Callable[[], T]) -> T:
        """Run a change of state on the server's event loop, where requests are answered.

        Called from a test's thread, a change would race the requests being answered.
        """
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or threading.current_thread() is thread:
            return action()

        async def run() -> T:
            return action()  # its exception, if any, is raised in the caller's thread

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout=120)

    def _on_loop_awaiting(
        self, action: Callable[[], Coroutine[Any, Any, T]], done: Callable[[], T]
    ) -> T:
        """Run a long change on the server's loop, which answers requests between its
        slices; without a running loop, `done` makes the same change in one go."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or threading.current_thread() is thread:
            return done()
        return asyncio.run_coroutine_threadsafe(action(), loop).result(timeout=600)

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> MockServer:
        """Start serving and wait until the port accepts requests."""
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="mockapi", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started or self._loop is None:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("mockapi server did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._loop = None
        self._socket.close()
        if self.keeper is not None:
            self.keeper.lock.release()  # already released when it served; never left held

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def api_url(self, project: str) -> str:
        """URL of the backup list of a project (UUID or short id)."""
        return f"{self.url}/v2/projects/{project}/backups"

    def transport(self) -> Any:
        """An httpx2 ASGI transport to this server's app and state: tests without a socket
        (needs `pip install 'mockapi[inprocess]'`)."""
        httpx2 = _in_process("transport()")
        return httpx2.ASGITransport(app=self.app, client=("127.0.0.1", 12345))

    def client(self, **kwargs: Any) -> Any:
        """A ready synchronous client (Starlette's TestClient) on this server's app and state
        (needs `pip install 'mockapi[inprocess]'`)."""
        _in_process("client() and the mockapi_client fixture")
        from starlette.testclient import TestClient

        return TestClient(self.app, base_url=self.url, **kwargs)

    def reset(self) -> None:
        """Startup data and clock, empty journal, startup faults, fresh rate limits."""
        self._on_loop(self.state.reset)

    def put_backups(self, data: list[dict[str, Any]] | dict[str, Any]) -> None:
        """Serve only this data: a list of ProjectBackup dicts or a fixture document."""
        store = self.state.build(self.state.validated(data, "put_backups"))
        self._on_loop(lambda: self.state.serve(store))

    def add_backups(self, data: list[dict[str, Any]] | dict[str, Any]) -> None:
        """Serve this data beside the current data."""
        dataset = self.state.validated(data, "add_backups", derive=False)
        self._on_loop(lambda: self.state.add(dataset))

    def use_default_dataset(self) -> None:
        """Serve the built-in default dataset."""
        from mockapi.data.loading import load_default_dataset

        store = self.state.build(load_default_dataset(self.settings.now))
        self._on_loop(lambda: self.state.serve(store))

    def use_generated(self, seed: int, projects: int = 3, backups_per_project: int = 30) -> None:
        """Serve generated data (made for the clock's now)."""
        from mockapi.data.generate import GenerationOptions, generate

        options = GenerationOptions(seed, projects, backups_per_project, self.state.clock.now())
        store = self.state.build(generate(options))
        self._on_loop(lambda: self.state.serve(store))

    def projects(self) -> list[ProjectInfo]:
        """The projects served now (id, short_id, description)."""
        return self._on_loop(self.state.projects)

    def journal(self) -> list[dict[str, Any]]:
        """Requests received since the last reset: method, path, query, status, time, body."""
        return self._on_loop(self.state.read_journal)

    def clear_journal(self) -> None:
        """Forget the recorded requests."""
        self._on_loop(self.state.clear_journal)

    def requests(
        self,
        operation_id: str | None = None,
        method: str | None = None,
        status: int | None = None,
        path: str | None = None,
    ) -> list[dict[str, Any]]:
        """The recorded requests that match every given filter (path: exact, or a template
        with {name} segments), oldest first."""
        wanted = JournalQuery(operation_id, method, path, status)
        return self._on_loop(lambda: [e for e in self.state.read_journal() if wanted.selects(e)])

    def assert_called(
        self, operation_id: str, times: int | None = None, body_contains: Any = None
    ) -> list[dict[str, Any]]:
        """Assert the operation was called (exactly `times` times, when given; with a body
        holding `body_contains`, when given); on failure the message lists what was called,
        nearest first. Returns the matching requests."""
        everything = self._on_loop(self.state.read_journal)
        calls = [e for e in everything if e.get("operationId") == operation_id]
        if body_contains is not None:
            calls = [e for e in calls if _contains(e.get("body"), body_contains)]
        if (times is None and calls) or (times is not None and len(calls) == times):
            return calls
        wanted = f"{operation_id}" + (
            f" with a body holding {body_contains!r}" if body_contains is not None else ""
        )
        expected = "at least once" if times is None else f"{times} time(s)"
        raise AssertionError(
            f"expected {wanted} {expected}, but it was called {len(calls)} time(s)\n"
            + near_misses(everything, operation_id)
        )

    def add_stub(
        self,
        path: str,
        method: str | None = None,
        status: int = 200,
        body: Any = None,
        times: int | None = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        response_headers: dict[str, str] | None = None,
    ) -> int:
        """Answer matching requests with this, ahead of the model, e.g.
        add_stub("/v2/project-backup-schedules/{id}", "DELETE", 403, times=1); returns its
        id. Without a body, an error status gets the API's error body."""
        stub = Stub.model_validate(
            {
                "request": {
                    "method": method,
                    "path": path,
                    "query": query or {},
                    "headers": headers or {},
                },
                "response": {"status": status, "headers": response_headers or {}, "body": body},
                "times": times,
            }
        )
        return self._on_loop(lambda: self.state.add_stub(stub))

    def remove_stub(self, stub_id: int) -> bool:
        """Deactivate one stub."""
        return self._on_loop(lambda: self.state.remove_stub(stub_id))

    def clear_stubs(self) -> None:
        """Deactivate every stub."""
        self._on_loop(self.state.clear_stubs)

    def add_fault(self, rule: FaultRule | None = None, **fields: Any) -> int:
        """Activate a fault rule, e.g. add_fault(status=503, count=2); returns its id."""
        chosen = rule or FaultRule(**fields)
        return self._on_loop(lambda: self.state.add_fault(chosen))

    def remove_fault(self, rule_id: int) -> bool:
        """Deactivate one fault rule."""
        return self._on_loop(lambda: self.state.remove_fault(rule_id))

    def clear_faults(self) -> None:
        """Deactivate every fault rule."""
        self._on_loop(self.state.clear_faults)

    def set_rate_limit(self, limit: int, window_s: int | None = None) -> None:
        """Enforce `limit` requests per token per window (default: --rate-limit-window);
        0 turns enforcement off."""
        self._on_loop(lambda: self.state.set_rate_limit(limit, window_s))

    def now(self) -> datetime:
        """The mock clock's now."""
        return self.state.clock.now()

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward; what falls due on the way happens, in order (other
        requests are answered meanwhile, from the data as it stands)."""
        self._on_loop_awaiting(
            lambda: self.state.move_clock(seconds=seconds),
            lambda: self.state.advance_clock(seconds),
        )

    def set_now(self, when: datetime | str) -> None:
        """Move the clock forward to `when` (never backwards): an aware datetime, or an
        RFC 3339 text such as "2026-01-30T12:00:00.500Z"."""
        moment = _moment(when)
        self._on_loop_awaiting(
            lambda: self.state.move_clock(when=moment), lambda: self.state.set_now(moment)
        )

    def url_for(self, path: str) -> str:
        """The full URL of a path on this server, e.g. url_for("/v2/projects/p-kbuygq")."""
        return f"{self.url}/{path.lstrip('/')}"
