"""Project look-up: get one project, list them all (paged like the backup list)."""

from __future__ import annotations

from mockapi.api import resources
from mockapi.api.core import Call, Operation
from mockapi.http.responses import Reply, object_reply, page_reply
from mockapi.query import parse_project_query


def get_project(call: Call) -> Reply:
    """GET /v2/projects/{projectId}: the full Project (UUID or short id)."""
    return object_reply(resources.project(call).document)


def list_projects(call: Call) -> Reply:
    """GET /v2/projects: filters, sort, order and paging, with X-Pagination-* headers."""
    query = parse_project_query(call.query, call.config.given_skip_wins)
    return page_reply(call.store.list_projects(query))


OPERATIONS = [
    Operation("project-list-projects", "GET", "/v2/projects", list_projects),
    Operation("project-get-project", "GET", "/v2/projects/{projectId}", get_project),
]
