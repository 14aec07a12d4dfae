"""Test helpers: a client whose every answer is checked against the official spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPEC_PATH = Path(__file__).parent.parent / "mockapi" / "data" / "mittwald-v2-backup-openapi.json"
OFFICIAL = OpenAPI.from_dict(json.loads(SPEC_PATH.read_text()))
TOKEN = {"x-access-token": "test-token"}


def assert_matches_spec(method: str, url: str, status: int, headers: Any, body: bytes) -> None:
    """Validate status, headers and body against the official operation (openapi-core)."""
    parts = urlsplit(url)
    # The spec names the path without the trailing slash that the docs page shows.
    path = parts.path.rstrip("/")
    request = MockRequest(
        "http://localhost", method.lower(), path, args=dict(parse_qsl(parts.query))
    )
    response = MockResponse(
        body,
        status_code=status,
        headers=dict(headers),
        content_type=headers.get("content-type", ""),
    )
    OFFICIAL.validate_response(request, response)


class SpecClient:
    """A TestClient for the API routes; each answer must satisfy the official spec."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """GET with a token by default, validated against the spec."""
        response = self.client.get(url, headers=TOKEN if headers is None else headers, **kwargs)
        assert_matches_spec("GET", url, response.status_code, response.headers, response.content)
        return response


def backup_id(n: int) -> str:
    """The UUID of test backup number n."""
    return f"00000000-0000-4000-8000-{n:012d}"


def numbers(response: Any) -> list[int]:
    """The test backup numbers in a response, in order."""
    return [int(item["id"].rsplit("-", 1)[1]) for item in response.json()]


def pagination(response: Any) -> tuple[int, int, int, int]:
    """(limit, skip, page, total) from the X-Pagination-* headers."""
    h = response.headers
    return (
        int(h["x-pagination-limit"]),
        int(h["x-pagination-skip"]),
        int(h["x-pagination-page"]),
        int(h["x-pagination-totalcount"]),
    )
