"""The one error hierarchy and the API's error dialect; every non-2xx body is rendered here.

The dialect is the real mittwald API's, as recorded responses show it: `type` names such as
`PermissionDenied` and `Unauthenticated`, `params.traceId` in every body, and validation
errors whose items carry the bare field name and JSON-schema keyword types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import orjson

JSON_HEADER = (b"content-type", b"application/json")


class InvalidValue(ValueError):
    """An input value that is not accepted; `kind` is the JSON-schema keyword it failed."""

    def __init__(self, message: str, kind: str, context: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.context = context or {}


class ApiError(Exception):
    """An error answered in the mittwald API's `{"type", "message"}` shape."""

    status: ClassVar[int] = 500
    type: ClassVar[str] = "InternalServerError"
    default_message: ClassVar[str] = "internal server error"
    # The recorded 404 for a path with no route came from the gateway: no `params`.
    traced: ClassVar[bool] = True

    def __init__(self, message: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)
        self.headers = headers or {}

    def body(self, trace_id: str, prefixed_paths: bool = False) -> dict[str, Any]:
        """The JSON body as the API sends it (key order as recorded)."""
        if not self.traced:
            return {"type": self.type, "message": self.message}
        return {"params": {"traceId": trace_id}, "message": self.message, "type": self.type}


@dataclass(frozen=True, slots=True)
class FieldError:
    """One entry of `validationErrors`: what was wrong with one input."""

    name: str
    kind: str
    message: str
    context: dict[str, str] = field(default_factory=dict)
    location: str = "query"

    def path(self, prefixed: bool) -> str:
        """The item's `path`: the bare field name, or `query.limit` when prefixed."""
        return f"{self.location}.{self.name}" if prefixed and self.name else self.name

    def body(self, prefixed: bool) -> dict[str, Any]:
        """The entry as the spec's ValidationErrorSchema, in the recorded key order."""
        return {
            "type": self.kind,
            "message": self.message,
            "path": self.path(prefixed),
            "context": self.context,
        }


def js_path(parts: Iterable[Any]) -> str:
    """('a', 0, 'b') as 'a[0].b': a field's `path`, in the spec's JavaScript property access
    notation."""
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


class ValidationFailed(ApiError):
    """400: one or more inputs are invalid; every one of them is listed."""

    status = 400
    type = "ValidationError"

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        super().__init__(message or "validation failed")
        self.errors = errors
        self.custom_message = message

    def body(self, trace_id: str, prefixed_paths: bool = False) -> dict[str, Any]:
        """The spec's ValidationErrors body, with the recorded gRPC-style message."""
        message = self.custom_message or (
            "3 INVALID_ARGUMENT: validation failed with ["
            + ", ".join(f"'{e.path(prefixed_paths)}: {e.message}'" for e in self.errors)
            + "]"
        )
        return {
            "type": self.type,
            "message": message,
            "validationErrors": [e.body(prefixed_paths) for e in self.errors],
            "params": {"traceId": trace_id},
        }


class BadRequest(ApiError):
    """400: a request that is malformed beyond any one field (HTTP, encoding, ambiguity)."""

    status = 400
    type = "BadRequest"
    default_message = "bad request"


class Unauthenticated(ApiError):
    """401: no, an unknown or an ambiguous access token (recorded as `unauthenticated`)."""

    status = 401
    type = "Unauthenticated"
    default_message = "unauthenticated"


class PermissionDenied(ApiError):
    """403: the resource is not visible to this token, or does not exist (as recorded)."""

    status = 403
    type = "PermissionDenied"
    default_message = "access denied; verdict: abstain"


class NotFound(ApiError):
    """404: no such resource (when configured to say so)."""

    status = 404
    type = "NotFound"
    default_message = "The requested resource was not found."


class NoRoute(NotFound):
    """404 for a path no operation serves: the gateway's recorded body, without `params`."""

    traced = False


class MethodNotAllowed(ApiError):
    """405: the path exists, but not for this method."""

    status = 405
    type = "MethodNotAllowed"
    default_message = "method not allowed"


class Conflict(ApiError):
    """409: the request cannot be carried out in the server's current configuration."""

    status = 409
    type = "Conflict"
    default_message = "conflict"


class RequestTimeout(ApiError):
    """408: the request's body did not arrive in time."""

    status = 408
    type = "RequestTimeout"
    default_message = "request timeout"


class PreconditionFailed(ApiError):
    """412: a business rule refuses the change (not deletable, system schedule, ...)."""

    status = 412
    type = "FailedPrecondition"
    default_message = "precondition failed"


class PayloadTooLarge(ApiError):
    """413: a request body over the configured cap."""

    status = 413
    type = "PayloadTooLarge"
    default_message = "request body too large"


class UriTooLong(ApiError):
    """414: the request target is longer than the mock accepts."""

    status = 414
    type = "URITooLong"
    default_message = "request target too long"


class HeadersTooLarge(ApiError):
    """431: the request line and headers are over the configured cap."""

    status = 431
    type = "RequestHeaderFieldsTooLarge"
    default_message = "request header fields too large"


class RangeNotSatisfiable(ApiError):
    """416: a download's Range lies outside the file."""

    status = 416
    type = "RangeNotSatisfiable"
    default_message = "the requested range is not satisfiable"


class RateLimited(ApiError):
    """429: the spec's RateLimitError."""

    status = 429
    type = "RateLimitError"
    default_message = "too many requests"

    def body(self, trace_id: str, prefixed_paths: bool = False) -> dict[str, Any]:
        """The spec's RateLimitError body, plus the trace id every error body carries."""
        return {"type": self.type, "message": self.message, "params": {"traceId": trace_id}}


class ServiceUnavailable(ApiError):
    """503: the server is stopping, or too busy to take the request."""

    status = 503
    type = "ServiceUnavailable"
    default_message = "service unavailable"


_KNOWN: dict[int, type[ApiError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthenticated,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        Conflict,
        RequestTimeout,
        PreconditionFailed,
        PayloadTooLarge,
        UriTooLong,
        RangeNotSatisfiable,
        RateLimited,
        HeadersTooLarge,
        ServiceUnavailable,
    )
}
_STATUS_TYPES = {
    500: "InternalServerError",
    501: "NotImplemented",
    502: "BadGateway",
    504: "GatewayTimeout",
}


def error_for_status(status: int) -> ApiError:
    """An error of the given status, as the API would send it, for forced (fault) answers."""
    if status == 400:
        return ValidationFailed([], "validation failed")
    known = _KNOWN.get(status)
    if known is not None:
        return known()
    error = ApiError(f"status {status} provoked on request")
    # A forced status outside the hierarchy: an instance-level override of the class data.
    error.status = status  # type: ignore[misc]
    error.type = _STATUS_TYPES.get(status, "Error")  # type: ignore[misc]
    return error


def plain_body(error: ApiError) -> bytes:
    """The body of a refusal made before the app sees a request (no trace id exists yet)."""
    return orjson.dumps({"type": error.type, "message": error.message})


def render_error(
    error: ApiError, trace_id: str, prefixed_paths: bool = False
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and JSON body of an error: the only place an error body is built."""
    headers = [JSON_HEADER]
    headers += [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()
    ]
    return error.status, headers, orjson.dumps(error.body(trace_id, prefixed_paths))
