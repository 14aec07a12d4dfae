"""create_app(settings) -> FastAPI: routes, error handlers and the documented OpenAPI."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from mockapi.control import CONTROL_PREFIX, control_router
from mockapi.dataset import Dataset, DatasetError
from mockapi.errors import (
    ApiError,
    FieldError,
    MethodNotAllowed,
    NotFound,
    ValidationFailed,
    error_response,
)
from mockapi.loading import load_dataset
from mockapi.middleware import MockMiddleware
from mockapi.routes import LIST_PATH, FastPath, ListBackups, list_backup_routes
from mockapi.settings import Settings
from mockapi.state import MockState
from mockapi.store import Store

RESERVED_PREFIX = CONTROL_PREFIX
# A browser client can read only the headers CORS exposes.
EXPOSED_HEADERS = [
    "X-Pagination-Limit",
    "X-Pagination-Skip",
    "X-Pagination-Page",
    "X-Pagination-TotalCount",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]


@cache
def official_spec() -> dict[str, Any]:
    """The official OpenAPI subset shipped in the package (read once, never mutated)."""
    data = (resources.files("mockapi") / "data" / "mittwald-v2-backup-openapi.json").read_bytes()
    spec: dict[str, Any] = orjson.loads(data)
    return spec


class BrowserCORS(CORSMiddleware):
    """Starlette's CORS, skipped for requests without an Origin header (non-browser clients).

    Why: the CORS wrapper costs a noticeable share of a list request, and only browsers,
    which always send Origin, need its headers.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Apply CORS only when the request carries an Origin header."""
        if scope["type"] == "http" and not any(k == b"origin" for k, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's own schema plus the official operation and components, verbatim."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    spec = copy.deepcopy(official_spec())
    operation = spec["paths"][LIST_PATH]["get"]
    document["paths"] = {LIST_PATH: {"get": operation}, **document.get("paths", {})}
    components = document.setdefault("components", {})
    for section in ("schemas", "responses", "securitySchemes"):
        components.setdefault(section, {}).update(spec["components"].get(section, {}))
    # Bad input to the control API answers 400 in the API's shape, never FastAPI's 422.
    for path, operations in document["paths"].items():
        if path == LIST_PATH:
            continue
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["400"] = {
                "$ref": "#/components/responses/de.mittwald.v1.commons.ValidationError"
            }
            responses["default"] = {
                "$ref": "#/components/responses/de.mittwald.v1.commons.DefaultError"
            }
    schemas = components["schemas"]
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return document


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(NotFound(f"no route for {request.method} {request.url.path}"))
    if exc.status_code == 405:
        # Starlette names only the first matching route's methods; a path served by several
        # routes (GET and DELETE /_mockapi/journal) must list them all.
        routes = request.app.router.routes
        allowed = ", ".join(
            method
            for method in _METHODS
            if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
        )
        return error_response(
            MethodNotAllowed(
                f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}",
                headers={"Allow": allowed} if allowed else None,
            )
        )
    error = ApiError(str(exc.detail))
    error.status = exc.status_code
    error.type = "HTTPError"
    return error_response(error)


def _request_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(
            path=".".join(str(part) for part in detail["loc"]),
            message=str(detail["msg"]),
            type=str(detail["type"]),
        )
        for detail in exc.errors()
    ]
    return error_response(ValidationFailed(errors))


def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


def _dataset_error(request: Request, exc: Exception) -> Response:
    lines = [line.strip() for line in str(exc).splitlines()[1:]] or [str(exc)]
    errors = [FieldError("body", line, "fixture") for line in lines if line]
    return error_response(ValidationFailed(errors, str(exc).splitlines()[0]))


def _unexpected_error(request: Request, exc: Exception) -> Response:
    return error_response(ApiError(f"unexpected server error: {type(exc).__name__}"))


def create_app(settings: Settings, dataset: Dataset | None = None) -> FastAPI:
    """Build the mock; loads the settings' data unless a dataset is given."""
    state = MockState(settings, Store(dataset if dataset is not None else load_dataset(settings)))
    # FastAPIOffline serves Swagger UI's assets from its installed package: /docs needs no CDN.
    app = FastAPIOffline(
        redoc_url=None,
        static_url=f"{RESERVED_PREFIX}/docs-static",
        title="mockapi: mittwald API v2 project backups",
        version="2.0",
        description="Offline mock of the mittwald API v2 operation "
        "'List Backups belonging to a Project'.",
        redirect_slashes=False,
    )
    app.state.mockapi = state
    handler = ListBackups(settings, state)
    app.router.routes[:0] = list_backup_routes(handler)

    @app.get(f"{RESERVED_PREFIX}/health", tags=["mockapi"], summary="Health of the mock")
    async def health() -> dict[str, Any]:
        """Ready: the dataset is loaded; says how much is served."""
        store = state.store
        return {"status": "ok", "projects": len(store.projects), "backups": store.backup_count}

    if settings.control_api:
        app.include_router(control_router(settings, state))

    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(DatasetError, _dataset_error)
    app.add_exception_handler(Exception, _unexpected_error)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    # add_middleware wraps outward: FastPath innermost, then the journal/faults, then CORS.
    app.add_middleware(FastPath, handler=handler)
    app.add_middleware(MockMiddleware, state=state)
    if settings.cors_origins:
        app.add_middleware(
            BrowserCORS,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=EXPOSED_HEADERS,
        )
    return app


__all__ = ["RESERVED_PREFIX", "create_app", "official_spec"]
