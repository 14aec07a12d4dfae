"""Turn a Page into the 200 response: a JSON array of ready bytes plus X-Pagination-* headers."""

from __future__ import annotations

from starlette.responses import Response

from mockapi.store import Page


def page_response(page: Page) -> Response:
    """The list operation's 200: body joined from pre-serialised items, four headers."""
    return Response(
        b"[" + b",".join(page.items) + b"]",
        media_type="application/json",
        headers={
            "X-Pagination-Limit": str(page.limit),
            "X-Pagination-Skip": str(page.skip),
            "X-Pagination-Page": str(page.skip // page.limit + 1),
            "X-Pagination-TotalCount": str(page.total),
        },
    )
