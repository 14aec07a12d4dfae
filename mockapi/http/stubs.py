"""What a stub is: the requests it matches and the answer it gives (validated input)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from mockapi.numbers import IntegerRange

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
API_PATHS = ("/v2/", "/v2-experimental/", "/experimental-v2/")
_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}")


class StubRequest(BaseModel):
    """Which requests a stub answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: str | None = Field(None, description="GET, POST, ...; any method if absent.")
    path: str = Field(
        ...,
        max_length=2048,
        description="An API path under /v2/, exact or with {name} segments.",
    )
    query: dict[str, Annotated[str, Field(max_length=2048)]] = Field(
        default_factory=dict, max_length=50, description="Query values that must be present."
    )
    headers: dict[str, Annotated[str, Field(max_length=4096)]] = Field(
        default_factory=dict, max_length=50, description="Headers that must be present."
    )

    @field_validator("method")
    @classmethod
    def _method(cls, method: str | None) -> str | None:
        if method is not None and method.upper() not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
        return None if method is None else method.upper()

    @field_validator("path")
    @classmethod
    def _path(cls, path: str) -> str:
        if not path.startswith(API_PATHS) or any(c in path for c in "?# "):
            raise ValueError(
                f"path must be an API path under /v2/, without query or spaces (got {path!r})"
            )
        return path

    @field_validator("headers")
    @classmethod
    def _headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name in headers:
            if not _NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a header name")
        return {name.lower(): value for name, value in headers.items()}


class StubResponse(BaseModel):
    """What a stub answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Annotated[int, IntegerRange(200, 599)] = Field(200, description="200 to 599.")
    headers: dict[str, Annotated[str, Field(max_length=4096)]] = Field(
        default_factory=dict, max_length=50, description="Headers to send."
    )
    body: JsonValue | None = Field(
        None,
        description="A JSON body; without one, an error status gets the API's error body.",
    )

    @field_validator("headers")
    @classmethod
    def _headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not _NAME.fullmatch(name) or any(c in value for c in "\r\n"):
                raise ValueError(f"{name!r} is not a header this mock can send")
            if name.lower() in ("content-length", "transfer-encoding", "connection"):
                raise ValueError(f"{name!r} is the server's to send")
        return headers


class Stub(BaseModel):
    """A request to match, the answer to give, and how many times."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: StubRequest
    response: StubResponse = Field(default_factory=StubResponse)
    times: Annotated[int, IntegerRange(1, 1_000_000_000)] | None = Field(
        None, description="Answer this many matches, then end; every match if absent."
    )
