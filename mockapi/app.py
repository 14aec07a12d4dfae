"""create_app(settings) -> the mock as one ASGI app: the API, the control API and the docs."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from mockapi.api import operations
from mockapi.api.bodies import field_errors
from mockapi.api.core import API_PREFIX, ApiApp, Operation
from mockapi.api.exports import DOWNLOAD_PREFIX
from mockapi.api.generic import GenericApi
from mockapi.backups.dataset import Dataset, DatasetError
from mockapi.control import CONTROL_PREFIX
from mockapi.data.loading import load_dataset
from mockapi.errors import (
    ApiError,
    FieldError,
    MethodNotAllowed,
    NoRoute,
    ValidationFailed,
    error_for_status,
    render_error,
)
from mockapi.http.cors import Cors
from mockapi.http.logs import AccessLog
from mockapi.settings import ApiScope, Settings
from mockapi.spec.catalog import load_catalog
from mockapi.state.mock import MockState

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("mockapi")


class Deferred:
    """An ASGI app built on its first call: importing FastAPI and building its routes is most
    of the cost of building an app and a quarter of a start, and a client that only calls
    the API never needs them."""

    def __init__(self, build: Callable[[], FastAPI]) -> None:
        self._build = build
        self._app: FastAPI | None = None

    @property
    def app(self) -> FastAPI:
        """The app, built now if it was not yet."""
        if self._app is None:
            self._app = self._build()
        return self._app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the call to the app."""
        await self.app(scope, receive, send)


class MockApp(ApiApp):
    """The whole mock: the API answered directly, everything else by FastAPI."""

    @property
    def fastapi(self) -> FastAPI:
        """The app answering everything but the API (control API, console, docs)."""
        assert isinstance(self.app, Deferred)
        return self.app.app

    @property
    def mock(self) -> MockState:
        """The running state: data, clock, journal, faults, rate limits."""
        return self.state


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _error_handlers(prefixed: bool) -> dict[Any, Any]:
    """FastAPI's failures, each in the API's error dialect."""
    from fastapi.exceptions import RequestValidationError

    def answer(request: Request, error: ApiError) -> Response:
        trace = request.scope.get("mockapi.trace_id", "")
        status, headers, body = render_error(error, trace, prefixed)
        return Response(
            body,
            status,
            {k.decode(): v.decode() for k, v in headers[1:]},
            media_type="application/json",
        )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            # Starlette names only the first matching route's methods; list them all.
            routes = request.app.router.routes
            allowed = ", ".join(
                method
                for method in _METHODS
                if any(
                    r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes
                )
            )
            return answer(
                request,
                MethodNotAllowed(
                    f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}",
                    headers={"Allow": allowed} if allowed else None,
                ),
            )
        if exc.status_code == 404:
            return answer(request, NoRoute())
        return answer(request, error_for_status(exc.status_code))

    async def request_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = []
        for detail in exc.errors():
            location = str(detail["loc"][0]) if detail["loc"] else "body"
            errors += field_errors([detail], location)
        return answer(request, ValidationFailed(errors))

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return answer(request, exc)

    async def dataset_error(request: Request, exc: Exception) -> Response:
        lines = [line.strip() for line in str(exc).splitlines()[1:]] or [str(exc)]
        errors = [FieldError("", "fixture", line, {}, "body") for line in lines if line]
        return answer(request, ValidationFailed(errors, str(exc).splitlines()[0]))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error(
            "unexpected error answering %s %s", request.method, request.url.path, exc_info=exc
        )
        return answer(request, ApiError())

    return {
        HTTPException: http_error,
        RequestValidationError: request_validation,
        ApiError: api_error,
        DatasetError: dataset_error,
        Exception: unexpected,
    }


def api_prefixes(ops: list[Operation]) -> tuple[str, ...]:
    """The first path segments the API's operations live under: `/v2/`, and the document's
    `/experimental-v2/` and `/v2-experimental/`."""
    documented = {"/" + op.path[1:].partition("/")[0] + "/" for op in ops}
    return tuple(sorted({API_PREFIX, *documented} - {CONTROL_PREFIX + "/"}))


def create_app(
    settings: Settings,
    dataset: Dataset | None = None,
    public_url: str | None = None,
    worker: int = 0,
) -> MockApp:
    """Build the mock; loads the settings' data unless a dataset is given."""
    url = public_url or settings.base_url(settings.port or 8080)
    state = MockState(
        settings, dataset if dataset is not None else load_dataset(settings), url, worker
    )
    ops = operations()
    if settings.scope is ApiScope.ALL:
        generic = GenericApi(state, load_catalog())
        ops += generic.operations((op.method, op.path) for op in ops)
    access_log = AccessLog(settings.log_format.value == "json") if settings.access_log else None
    app = MockApp(
        Deferred(lambda: _inner_app(settings, state, ops)),
        state,
        settings,
        ops,
        access_log,
        Cors(settings.cors_origins),
        (*api_prefixes(ops), DOWNLOAD_PREFIX),
    )
    return app


def _inner_app(settings: Settings, state: MockState, ops: list[Operation]) -> FastAPI:
    """FastAPI: the control API, the console, /docs and /openapi.json."""
    from fastapi_offline import FastAPIOffline

    from mockapi.control.api import control_router
    from mockapi.control.console import front_door
    from mockapi.openapi import control_document, openapi_document

    # FastAPIOffline serves Swagger UI's assets from its installed package: /docs needs no CDN.
    fastapi = FastAPIOffline(
        redoc_url=None,
        static_url=f"{CONTROL_PREFIX}/docs-static",
        title="mockapi: mittwald API v2, project backups and project look-up",
        version="2.0",
        description="Offline mock of the mittwald API v2 backup operations and project "
        "look-up, with a control API under /_mockapi/.",
        redirect_slashes=False,
        # 670 operations: the tags come first (a click opens one, the filter finds one), so
        # the page is ready in a second or two rather than after drawing every operation.
        swagger_ui_parameters={"docExpansion": "none", "filter": True},
        exception_handlers=_error_handlers(settings.validation_paths.value == "prefixed"),
    )

    @fastapi.get(f"{CONTROL_PREFIX}/health", tags=["mockapi"], summary="Health of the mock")
    async def health() -> dict[str, Any]:
        """Ready: the data is loaded; says how much is served."""
        store = state.store
        return {
            "status": "ok",
            "projects": len(store.projects),
            "backups": store.backup_count,
            "inFlight": state.in_flight,
            "pid": os.getpid(),
        }

    # Routes are taken as built: `include_router` would build each one again.
    if settings.control_api:
        fastapi.router.routes.extend(control_router(settings, state).routes)
    fastapi.router.routes.extend(front_door(CONTROL_PREFIX, settings.control_api).routes)

    # Built on the first request, when every route is in place; only the examples change.
    control = cache(lambda: control_document(fastapi, settings))

    def openapi() -> dict[str, Any]:
        return openapi_document(control(), ops, state)

    fastapi.openapi = openapi  # type: ignore[method-assign]
    return fastapi
