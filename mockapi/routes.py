"""Thin HTTP layer: path and raw query in, response out; no filtering or sorting here."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapi.auth import TokenCheck
from mockapi.errors import ApiError, Forbidden, NotFound, error_response
from mockapi.query import parse_query
from mockapi.responses import page_response
from mockapi.settings import Settings, UnknownProjectMode
from mockapi.state import MockState
from mockapi.store import Page

LIST_PATH = "/v2/projects/{projectId}/backups"


def _check_unknown_project(mode: UnknownProjectMode, project_id: str) -> None:
    """Raise the configured error for an unknown project; return in 'empty' mode."""
    if mode is UnknownProjectMode.EMPTY:
        return
    message = f"project {project_id!r} does not exist or is not accessible with this token"
    if mode is UnknownProjectMode.NOT_FOUND:
        raise NotFound(message)
    raise Forbidden(message)


def list_backup_routes(settings: Settings, state: MockState) -> list[Route]:
    """The list operation, with and without trailing slash, answered directly (no redirect)."""
    tokens = TokenCheck(settings.auth, settings.tokens)
    unknown_mode = settings.unknown_project

    # A plain Starlette endpoint: FastAPI's per-parameter machinery costs more than the whole
    # answer from memory. /openapi.json still documents the operation from the official spec.
    async def list_project_backups(request: Request) -> Response:
        try:
            tokens.check(request.headers)
            query = parse_query(request.scope["query_string"].decode("latin-1"))
            store = state.store
            project_id: str = request.path_params["projectId"]
            project = store.find(project_id)
            if project is None:
                _check_unknown_project(unknown_mode, project_id)
                return page_response(Page((), 0, query.limit, query.skip))
            return page_response(store.run(project, query))
        except ApiError as error:
            return error_response(error)

    return [
        Route(LIST_PATH, list_project_backups, methods=["GET"], name="backup-list-project-backups"),
        Route(LIST_PATH + "/", list_project_backups, methods=["GET"], include_in_schema=False),
    ]
