"""Ids as the API writes them: UUIDs (lowercase, version 4 shape) and `p-xxxxxx` short ids.

Made from random bits (new objects) or from a digest (the same id for the same input), and
recognised by one pattern.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
UUID = re.compile(UUID_PATTERN)
SHORT_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (4 << 76) | (0x8000 << 48)


def uuid_from_bits(bits: int) -> str:
    """A version-4-shaped UUID from 128 random bits (what uuid.UUID would set, faster)."""
    h = f"{(bits & _CLEAR) | _SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid_from_text(text: str) -> str:
    """The same UUID for the same text, every time."""
    return uuid_from_bits(int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big"))


def short_id_from_text(text: str, prefix: str = "p-") -> str:
    """The same `p-xxxxxx` (or other prefix) short id for the same text."""
    digest = hashlib.sha256(text.encode()).digest()
    return prefix + "".join(SHORT_ID_ALPHABET[b % 36] for b in digest[:6])


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value, as validation messages name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"
