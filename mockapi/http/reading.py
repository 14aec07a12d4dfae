"""Reading a request body within its limits, and as JSON: one way for the API and the control API.

The size is checked against the declared length before a byte is read, and again while
reading; a body that does not arrive in time is a 408.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import orjson
from starlette.types import Receive

from mockapi.errors import FieldError, PayloadTooLarge, RequestTimeout, ValidationFailed


class ClientGone(Exception):
    """The client disconnected before its body was read."""


async def read_limited(
    headers: Iterable[tuple[bytes, bytes]], receive: Receive, cap: int, timeout_s: float
) -> bytes:
    """The whole body: 413 when declared or found over `cap` bytes, 408 when too slow."""
    for name, value in headers:
        if name == b"content-length" and value.isdigit() and int(value) > cap:
            raise PayloadTooLarge(
                f"request body of {value.decode()} bytes is over the cap of {cap} bytes"
            )
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientGone()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > cap:
                    raise PayloadTooLarge(f"request body is over the cap of {cap} bytes")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        raise RequestTimeout(
            f"the request body did not arrive within {timeout_s:g} s",
            headers={"Connection": "close"},
        ) from None


def parse_json(body: bytes) -> Any:
    """A body as JSON, or a 400 in the API's shape naming what is wrong."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ValidationFailed(
            [FieldError("", "json", f"Invalid JSON: {error}", {}, "body")]
        ) from None
