"""The one error hierarchy; every non-200 answer is one of these, rendered in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.responses import Response


class ApiError(Exception):
    """An error answered in the mittwald API's `{"type", "message"}` shape."""

    status: int = 500
    type: str = "InternalServerError"

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body as the API sends it."""
        return {"type": self.type, "message": self.message}


@dataclass(frozen=True)
class FieldError:
    """One entry of `validationErrors`: what was wrong with one input."""

    path: str
    message: str
    type: str
    context: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The entry as the spec's ValidationErrorSchema."""
        return {
            "message": self.message,
            "path": self.path,
            "type": self.type,
            "context": self.context,
        }


class ValidationFailed(ApiError):
    """400: one or more request parameters are invalid."""

    status = 400
    type = "ValidationError"

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        names = ", ".join(dict.fromkeys(e.path for e in errors))
        super().__init__(message or f"Validation failed for {names}")
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """The spec's ValidationErrors body."""
        return {**super().body(), "validationErrors": [e.body() for e in self.errors]}


class Unauthorized(ApiError):
    """401: no access token was sent."""

    status = 401
    type = "UnauthorizedError"


class Forbidden(ApiError):
    """403: the token is not accepted, or the resource is not visible to it."""

    status = 403
    type = "ForbiddenError"


class NotFound(ApiError):
    """404: no such route, or (when so configured) no such project."""

    status = 404
    type = "NotFoundError"


class MethodNotAllowed(ApiError):
    """405: the route exists but not for this method."""

    status = 405
    type = "MethodNotAllowedError"


class Conflict(ApiError):
    """409: the request cannot be carried out in the server's current configuration."""

    status = 409
    type = "ConflictError"


class RateLimited(ApiError):
    """429: the spec's RateLimitError."""

    status = 429
    type = "RateLimitError"

    def __init__(self) -> None:
        super().__init__("too many requests")


class UriTooLong(ApiError):
    """414: the request target is longer than the mock accepts."""

    status = 414
    type = "URITooLongError"


class PayloadTooLarge(ApiError):
    """413: a request body over the configured cap."""

    status = 413
    type = "PayloadTooLargeError"


_STATUS_TYPES = {
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}


def error_for_status(status: int, message: str) -> ApiError:
    """An error of the given status in the API's shape, for forced (fault) answers."""
    if status == 400:
        return ValidationFailed([], message)
    if status == 429:
        return RateLimited()
    known: dict[int, type[ApiError]] = {
        401: Unauthorized,
        403: Forbidden,
        404: NotFound,
        405: MethodNotAllowed,
        409: Conflict,
        413: PayloadTooLarge,
        414: UriTooLong,
    }
    if status in known:
        return known[status](message)
    error = ApiError(message)
    error.status = status
    error.type = _STATUS_TYPES.get(status, "HTTPError")
    return error


def error_response(error: ApiError) -> Response:
    """Render any ApiError: the only place an error body is built."""
    return Response(
        orjson.dumps(error.body()),
        status_code=error.status,
        headers=error.headers,
        media_type="application/json",
    )
