"""Access-token check for the API routes: which header carries the token, and who passes."""

from __future__ import annotations

from collections.abc import Mapping

from mockapi.errors import Forbidden, Unauthorized
from mockapi.settings import AuthMode


def token_from(headers: Mapping[str, str]) -> str:
    """The token from `x-access-token`, or `Authorization` (`Bearer T` or the bare token)."""
    token = headers.get("x-access-token", "").strip()
    if token:
        return token
    authorization = headers.get("authorization", "").strip()
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    return authorization


class TokenCheck:
    """Checks a request's token against the configured mode; never records the token."""

    def __init__(self, mode: AuthMode, tokens: list[str]) -> None:
        self.mode = mode
        self.tokens = frozenset(tokens)

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise Unauthorized or Forbidden unless the request may pass."""
        if self.mode is AuthMode.NONE:
            return
        token = token_from(headers)
        if not token:
            raise Unauthorized(
                "missing access token: send 'x-access-token: <token>' or "
                "'Authorization: Bearer <token>'"
            )
        if self.mode is AuthMode.TOKENS and token not in self.tokens:
            raise Forbidden("the access token is not valid")
