"""Test helpers: clients whose every answer is checked against the official spec.

`check_answer` is the one check: an API answer must satisfy the official operation
(status, headers, body, via openapi-core), carry a trace id (the same in `x-traceid` and in
an error body's `params.traceId`), and every error must be JSON with `type` and `message`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from starlette.testclient import TestClient

DATA = Path(__file__).parent.parent / "mockapi" / "data"
SPEC_PATH = DATA / "mittwald-v2-backup-openapi.json"
PROJECT_SPEC_PATH = DATA / "mittwald-v2-project-openapi.json"
TOKEN = {"x-access-token": "test-token"}
TRACE_ID = re.compile(r"[0-9a-f]{16}")


def merged_spec() -> dict[str, Any]:
    """Both official parts as one OpenAPI document (their paths do not overlap)."""
    backup = json.loads(SPEC_PATH.read_text())
    project = json.loads(PROJECT_SPEC_PATH.read_text())
    merged = dict(backup)
    merged["paths"] = {**backup["paths"], **project["paths"]}
    merged["components"] = {
        section: {**project["components"].get(section, {}), **backup["components"].get(section, {})}
        for section in set(backup["components"]) | set(project["components"])
    }
    return merged


OFFICIAL_DICT = merged_spec()
OFFICIAL = OpenAPI.from_dict(OFFICIAL_DICT)
_TEMPLATES = [
    (re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", path) + "$"), path)
    for path in OFFICIAL_DICT["paths"]
]


def spec_path(path: str) -> str | None:
    """The official path template a request path belongs to, or None."""
    path = path.rstrip("/") or "/"
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return template
    return None


def check_answer(
    method: str, url: str, status: int, headers: Mapping[str, str], body: bytes
) -> None:
    """Validate one API answer: the official spec, the trace id, the error shape."""
    trace = headers.get("x-traceid", "")
    assert TRACE_ID.fullmatch(trace), f"x-traceid {trace!r} is not 16 lowercase hex digits"
    if status >= 400:
        assert headers.get("content-type") == "application/json", headers.get("content-type")
        error = json.loads(body)
        assert isinstance(error.get("type"), str) and error["type"], error
        assert isinstance(error.get("message"), str) and error["message"], error
        if "params" in error:
            assert error["params"] == {"traceId": trace}, error
    parts = urlsplit(url)
    template = spec_path(parts.path)
    if template is None or method.upper() == "HEAD":
        return
    operation = OFFICIAL_DICT["paths"][template].get(method.lower())
    if operation is None:
        return  # a 405: no operation to hold it against; the shape was checked above
    request = MockRequest(
        "http://localhost",
        method.lower(),
        parts.path.rstrip("/"),
        args=dict(parse_qsl(parts.query, keep_blank_values=True)),
    )
    content_type = headers.get("content-type", "") if body else None
    response = MockResponse(
        body, status_code=status, headers=dict(headers), content_type=content_type
    )
    OFFICIAL.validate_response(request, response)


class SpecClient:
    """A TestClient for the API; each answer must satisfy `check_answer`."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    @property
    def app(self) -> Any:
        """The app under test (its `mock` is the MockState)."""
        return self.client.app

    def request(
        self, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        """Any request, with a token by default, checked."""
        response = self.client.request(
            method, url, headers=TOKEN if headers is None else headers, **kwargs
        )
        check_answer(method, url, response.status_code, response.headers, response.content)
        return response

    def get(self, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """GET, checked."""
        return self.request("GET", url, headers, **kwargs)

    def post(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        """POST a JSON body, checked."""
        return self.request("POST", url, json=json, **kwargs)

    def patch(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        """PATCH a JSON body, checked."""
        return self.request("PATCH", url, json=json, **kwargs)

    def put(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        """PUT a JSON body, checked."""
        return self.request("PUT", url, json=json, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        """DELETE, checked."""
        return self.request("DELETE", url, **kwargs)

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        """A control API call (not an API operation: only the error shape is checked)."""
        response = self.client.request(method, f"/_mockapi/{path}", **kwargs)
        check_answer(method, path, response.status_code, response.headers, response.content)
        return response

    def advance(self, seconds: float) -> None:
        """Move the mock clock forward."""
        assert self.control("POST", "clock", json={"advanceSeconds": seconds}).status_code == 200


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
