"""Reference apps for the benchmark: the same constant 50-item page, served three ways.

`ceiling`: a bare FastAPI route returning pre-serialised bytes with the four headers (the bar).
`params`: the same route declaring the operation's 8 query parameters (FastAPI parsing).
`starlette`: the same constant page as a plain Starlette route (the framework horizon).
Run: python benchmarks/ceiling.py KIND PORT
"""

from __future__ import annotations

import sys
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockapi.data.generate import GenerationOptions, generate

PATH = "/v2/projects/{projectId}/backups"


def constant_page() -> tuple[bytes, dict[str, str]]:
    """A realistic 50-item page and its headers, made once."""
    backups = generate(GenerationOptions(1, 1, 50)).backups
    body = orjson.dumps(list(backups))
    headers = {
        "X-Pagination-Limit": "50",
        "X-Pagination-Skip": "0",
        "X-Pagination-Page": "1",
        "X-Pagination-TotalCount": "10000",
    }
    return body, headers


def build(kind: str) -> Any:
    """The reference app of the given kind."""
    body, headers = constant_page()
    if kind == "starlette":

        async def page(request: Request) -> Response:
            return Response(body, headers=headers, media_type="application/json")

        return Starlette(routes=[Route(PATH, page)])
    app = FastAPI()
    if kind == "ceiling":

        @app.get(PATH)
        async def ceiling(projectId: str) -> Response:
            return Response(body, headers=headers, media_type="application/json")

    elif kind == "params":

        @app.get(PATH)
        async def params(
            projectId: str,
            searchTerm: str | None = None,
            withExportsOnly: bool | None = None,
            sortOrder: str | None = None,
            runningRestoresOnly: bool | None = None,
            runningBackupsOnly: bool | None = None,
            limit: int = 1000,
            skip: int = 0,
            page: int | None = None,
        ) -> Response:
            return Response(body, headers=headers, media_type="application/json")

    else:
        raise SystemExit(f"unknown kind {kind!r}: ceiling, params or starlette")
    return app


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(build(kind), host="127.0.0.1", port=port, access_log=False, log_level="warning")
