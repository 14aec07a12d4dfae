"""Thin HTTP layer: path and raw query in, response out; no filtering or sorting here."""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from mockapi.auth import TokenCheck
from mockapi.errors import ApiError, Forbidden, NotFound, error_response
from mockapi.query import parse_query
from mockapi.responses import page_response
from mockapi.settings import Settings, SkipPrecedence, UnknownProjectMode
from mockapi.state import MockState
from mockapi.store import Page

LIST_PATH = "/v2/projects/{projectId}/backups"
OPERATION_ID = "backup-list-project-backups"
# The same paths as the two routes below; Starlette's `{projectId}` matches `[^/]+`.
LIST_PATH_PATTERN = re.compile(r"^/v2/projects/([^/]+)/backups/?$")


def _check_unknown_project(mode: UnknownProjectMode, project_id: str) -> None:
    """Raise the configured error for an unknown project; return in 'empty' mode."""
    if mode is UnknownProjectMode.EMPTY:
        return
    message = f"project {project_id!r} does not exist or is not accessible with this token"
    if mode is UnknownProjectMode.NOT_FOUND:
        raise NotFound(message)
    raise Forbidden(message)


class ListBackups:
    """The list operation's handler: ASGI scope and projectId in, response out."""

    def __init__(self, settings: Settings, state: MockState) -> None:
        self.tokens = TokenCheck(settings.auth, settings.tokens)
        self.unknown_mode = settings.unknown_project
        self.given_skip_wins = settings.skip_precedence is SkipPrecedence.GIVEN
        self.state = state

    def answer(self, scope: Scope, project_id: str) -> Response:
        """Answer one request; every failure becomes the API's error body, never an exception."""
        try:
            self.tokens.check(Headers(scope=scope))
            query = parse_query(scope["query_string"].decode("latin-1"), self.given_skip_wins)
            store = self.state.store  # read once: a concurrent reload is seen wholly or not at all
            project = store.find(project_id)
            if project is None:
                _check_unknown_project(self.unknown_mode, project_id)
                return page_response(Page((), 0, query.limit, query.skip))
            return page_response(store.run(project, query))
        except ApiError as error:
            return error_response(error)

    async def endpoint(self, request: Request) -> Response:
        """The Starlette endpoint (used when the fast path does not take the request)."""
        return self.answer(request.scope, request.path_params["projectId"])


class FastPath:
    """Innermost middleware answering GET/HEAD of the list operation straight from the handler.

    Why: FastAPI's exception middleware, router and per-route machinery cost more per request
    than the whole answer from memory. Outer middleware (CORS, journal, faults) still apply,
    and the registered routes keep serving 405s and documenting the operation.
    """

    def __init__(self, app: ASGIApp, handler: ListBackups) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Take list requests; hand everything else on."""
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            match = LIST_PATH_PATTERN.match(scope["path"])
            if match is not None:
                await self.handler.answer(scope, match[1])(scope, receive, send)
                return
        await self.app(scope, receive, send)


def list_backup_routes(handler: ListBackups) -> list[Route]:
    """The list operation, with and without trailing slash, answered directly (no redirect)."""
    return [
        Route(LIST_PATH, handler.endpoint, methods=["GET"], name=OPERATION_ID),
        Route(LIST_PATH + "/", handler.endpoint, methods=["GET"], include_in_schema=False),
    ]
