"""Run the mock on uvicorn: blocking for the CLI, or in a thread on a free port (no pytest)."""

from __future__ import annotations

import contextlib
import copy
import gc
import sys
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mockapi.app import create_app
from mockapi.dataset import Dataset, ProjectInfo
from mockapi.faults import FaultRule
from mockapi.loading import load_dataset
from mockapi.progress import progress_reporter
from mockapi.settings import Settings
from mockapi.state import MockState
from mockapi.store import Store
from mockapi.workers import run_forked


def _log_config(access_log: bool) -> dict[str, Any]:
    # uvicorn's own start-up chatter is dropped: the mock prints one ready line instead.
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["filters"] = {"drops": {"()": "mockapi.middleware.DropLogFilter"}}
    config["handlers"]["default"]["filters"] = ["drops"]
    config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    return config


class _JsonErrorHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering unparsable requests in the API's error shape.

    Why: the parser refuses oversized or malformed requests (over 80 kB of request line and
    headers) before the app sees them, and uvicorn's plain-text 400 would break clients that
    expect `{"type", "message"}` on every non-200 answer.
    """

    def send_400_response(self, msg: str) -> None:
        body = orjson.dumps({"type": "BadRequestError", "message": msg})
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
        )
        self.transport.close()


def _uvicorn_config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_config=_log_config(settings.access_log),
        lifespan="off",
        http=_JsonErrorHttpTools,
        server_header=False,
        # In-flight requests finish on SIGTERM, but a stop never waits longer than this.
        timeout_graceful_shutdown=5,
    )


class _Server(uvicorn.Server):
    """uvicorn.Server that knows the port it actually bound (port 0 picks one)."""

    on_ready: Any = None

    @property
    def bound_port(self) -> int:
        """The listening port, once started."""
        return int(self.servers[0].sockets[0].getsockname()[1])

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, so the process would
        # die by the signal; a requested stop is a clean stop, so exit 0 for Docker and CI.
        with super().capture_signals():
            yield
            self._captured_signals.clear()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self.on_ready(self)


def ready_line(settings: Settings, port: int, store: Store) -> str:
    """The one line printed on start: URL, what is loaded, and a curl to paste."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{port}"
    origin = "built-in default dataset" if settings.uses_default_dataset else store.source
    example = max(store.projects.values(), key=lambda p: len(p.json), default=None)
    curl = ""
    if example is not None:
        # Configured tokens are secrets and never printed; the curl names a placeholder then.
        token = "<one of your --tokens>" if settings.tokens else "demo"
        header = "" if settings.auth == "none" else f" -H 'x-access-token: {token}'"
        path = f"/v2/projects/{example.info.short_id}/backups?limit=5"
        curl = f" | try: curl -i{header} '{url}{path}'"
    return (
        f"mockapi serving {len(store.projects)} projects, {store.backup_count} backups "
        f"({origin or 'no data'}) at {url}{curl}"
    )


def serve(settings: Settings) -> int:
    """Load, print the ready line, and serve until SIGTERM or Ctrl-C; the CLI's `serve`."""
    total = settings.projects * settings.backups_per_project if settings.seed is not None else 0
    app = create_app(settings, load_dataset(settings, progress_reporter(sys.stderr, total)))
    store = app.state.mockapi.store
    config = _uvicorn_config(app, settings)
    # The loaded data never changes shape again: moving it out of the collector's reach
    # keeps GC pauses off the request path (and keeps forked workers' pages shared).
    gc.collect()
    gc.freeze()
    if settings.workers == 1:
        server = _Server(config)
        server.on_ready = lambda s: print(ready_line(settings, s.bound_port, store), flush=True)
        server.run()
        return 0
    sock = config.bind_socket()
    # Listen before saying "ready": connections then queue until a worker accepts them,
    # instead of being refused while the workers start.
    sock.listen(config.backlog)
    port = int(sock.getsockname()[1])
    print(f"{ready_line(settings, port, store)} | {settings.workers} workers", flush=True)
    return run_forked(settings.workers, sock, lambda: _Server(config).run(sockets=[sock]))


class MockServer:
    """A real mockapi HTTP server in a background thread, on 127.0.0.1 and a free port."""

    def __init__(self, settings: Settings | None = None, dataset: Dataset | None = None) -> None:
        self.settings = (settings or Settings()).model_copy(
            update={"host": "127.0.0.1", "port": 0, "access_log": False, "workers": 1}
        )
        self.app = create_app(self.settings, dataset)
        self.state: MockState = self.app.state.mockapi
        self._server = _Server(_uvicorn_config(self.app, self.settings))
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> MockServer:
        """Start serving and wait until the port accepts requests."""
        self._thread = threading.Thread(target=self._server.run, name="mockapi", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("mockapi server did not start")
            time.sleep(0.005)
        self.port = self._server.bound_port
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

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
        """URL of the list operation for a project (UUID or short id)."""
        return f"{self.url}/v2/projects/{project}/backups"

    def reset(self) -> None:
        """Startup data, empty journal, startup faults, fresh rate limits."""
        self.state.reset()

    def put_backups(self, data: list[dict[str, Any]] | dict[str, Any]) -> None:
        """Serve only these backups: a list of ProjectBackup dicts or a fixture document."""
        self.state.replace_document(data, source="put_backups")

    def add_backups(self, data: list[dict[str, Any]] | dict[str, Any]) -> None:
        """Serve these backups beside the current ones."""
        self.state.replace_document(data, add=True, source="add_backups")

    def use_default_dataset(self) -> None:
        """Serve the built-in default dataset."""
        self.state.use_default_dataset()

    def use_generated(self, seed: int, projects: int = 3, backups_per_project: int = 30) -> None:
        """Serve generated data."""
        self.state.use_generated(seed, projects, backups_per_project)

    def projects(self) -> list[ProjectInfo]:
        """The projects served now (id, short_id, description)."""
        return self.state.projects()

    def journal(self) -> list[dict[str, Any]]:
        """Requests received since the last reset: method, path, query, status, time."""
        return self.state.read_journal()

    def clear_journal(self) -> None:
        """Forget the recorded requests."""
        self.state.clear_journal()

    def add_fault(self, rule: FaultRule | None = None, **fields: Any) -> int:
        """Activate a fault rule, e.g. add_fault(status=503, count=2); returns its id."""
        return self.state.add_fault(rule or FaultRule(**fields))

    def remove_fault(self, rule_id: int) -> bool:
        """Deactivate one fault rule."""
        return self.state.remove_fault(rule_id)

    def clear_faults(self) -> None:
        """Deactivate every fault rule."""
        self.state.clear_faults()

    def set_rate_limit(self, limit: int, window_s: float = 60.0) -> None:
        """Limit requests per token per window; 0 turns it off."""
        self.state.set_rate_limit(limit, window_s)
