"""Which credential a request carries, and whether it passes: one answer for every use.

Authentication, the rate limiter and the journal all take `Authenticator.identify`'s answer,
so no two of them can read different tokens from one request.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from enum import StrEnum

from mockapi.errors import Unauthenticated

Headers = Iterable[tuple[bytes, bytes]]


class AuthMode(StrEnum):
    """How access tokens are checked."""

    ANY = "any"
    NONE = "none"
    TOKENS = "tokens"


def credential_of(headers: Headers) -> bytes:
    """The one token in `x-access-token` or `Authorization` (`Bearer T` or bare); b"" if none.

    Two different tokens (two headers, or one in each) are ambiguous: Unauthenticated.
    """
    found = b""
    for name, value in headers:
        if name == b"x-access-token":
            token = value.strip()
        elif name == b"authorization":
            scheme, _, rest = value.strip().partition(b" ")
            token = rest.strip() if scheme.lower() == b"bearer" else value.strip()
        else:
            continue
        if token and found and token != found:
            raise Unauthenticated(
                "unauthenticated: the request carries two different access tokens; "
                "send exactly one, in 'x-access-token' or 'Authorization: Bearer'"
            )
        found = token or found
    return found


class Authenticator:
    """Checks a request's credential against the configured mode; never records the token."""

    def __init__(self, mode: AuthMode, tokens: Iterable[str]) -> None:
        self.mode = mode
        self.tokens = tuple(token.encode("ascii") for token in tokens)

    def identify(self, headers: Headers) -> bytes:
        """The request's credential (b"" when none is needed or sent); raise if it fails."""
        token = credential_of(headers)
        if self.mode is AuthMode.NONE:
            return token
        if not token:
            raise Unauthenticated()
        if self.mode is AuthMode.TOKENS:
            accepted = False
            for known in self.tokens:  # no early exit: the time taken tells nothing
                accepted |= hmac.compare_digest(known, token)
            if not accepted:
                raise Unauthenticated()  # a stale or unknown token is a 401, as recorded
        return token
