"""The API's timestamp format, decided once: RFC 3339 in UTC with milliseconds and `Z`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_MS = 86_400_000


@lru_cache(maxsize=65536)
def _day_prefix(day: int) -> str:
    date = _EPOCH + timedelta(days=day)
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}T"


@cache
def _clock(seconds: int) -> str:
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}."


def format_epoch_ms(ms: int) -> str:
    """Milliseconds since the epoch in the API's timestamp format (fast: generation's hot path)."""
    day, rest = divmod(ms, _DAY_MS)
    seconds, millis = divmod(rest, 1000)
    return f"{_day_prefix(day)}{_clock(seconds)}{millis:03d}Z"


def format_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and `Z`, as the API sends timestamps."""
    return format_epoch_ms(to_ms(value))


def to_ms(when: datetime) -> int:
    """A timezone-aware datetime as whole milliseconds since the epoch."""
    return (when - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    """Milliseconds since the epoch as an aware UTC datetime."""
    return _EPOCH + timedelta(milliseconds=ms)


@lru_cache(maxsize=65536)
def _day_ms(date: str) -> int:
    return to_ms(datetime.fromisoformat(date + "T00:00:00+00:00"))


def parse_ms(text: str) -> int:
    """A wire timestamp in milliseconds (fast for the normalised form the store keeps)."""
    if len(text) == 24 and text[10] == "T" and text[19] == "." and text[23] == "Z":
        return (
            _day_ms(text[:10])
            + int(text[11:13]) * 3_600_000
            + int(text[14:16]) * 60_000
            + int(text[17:19]) * 1000
            + int(text[20:23])
        )
    return to_ms(datetime.fromisoformat(text))
