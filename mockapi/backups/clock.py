"""The mock's "now": frozen (moves only when told) or running (moves with real time).

Time enters mockapi only here, so tests can freeze it and demos can let it run. Times are
whole milliseconds since the epoch, as the API's timestamps carry them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from enum import StrEnum

from mockapi.timestamps import from_ms, to_ms

# The fixed default "now": data and tests never drift with the calendar.
DEFAULT_NOW = datetime(2026, 1, 30, 12, 0, tzinfo=UTC)


class ClockMode(StrEnum):
    """How the mock's clock moves."""

    RUNNING = "running"
    FROZEN = "frozen"


# Past this, timestamps would need five-digit years: the clock stops short of it.
LATEST_MS = 221_845_392_000_000  # 9000-01-01T00:00:00Z


class ClockError(ValueError):
    """A change the clock refuses: time never moves backwards, nor past the year 9000."""

    def __init__(self, message: str, bound: str = "format", limit_ms: int | None = None) -> None:
        super().__init__(message)
        self.bound = bound  # the JSON-schema keyword: "minimum", "maximum", or "format"
        self.limit_ms = limit_ms


class Clock:
    """Now = start + whatever was advanced (+ real time since start when running)."""

    def __init__(
        self,
        start: datetime,
        mode: ClockMode = ClockMode.FROZEN,
        monotonic_ns: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        self.start_ms = to_ms(start)
        self.mode = mode
        self._monotonic_ns = monotonic_ns
        self._advanced_ms = 0
        self._origin_ns = monotonic_ns()
        self._date_second = -1
        self._date = b""

    def now_ms(self) -> int:
        """The mock's now in milliseconds since the epoch."""
        now = self.start_ms + self._advanced_ms
        if self.mode is ClockMode.RUNNING:
            now += (self._monotonic_ns() - self._origin_ns) // 1_000_000
        return now

    def now(self) -> datetime:
        """The mock's now as an aware UTC datetime."""
        return from_ms(self.now_ms())

    def advance(self, seconds: float) -> None:
        """Move now forward by `seconds` (never backwards)."""
        now = self.now_ms()
        if seconds < 0:
            raise ClockError(
                "time never moves backwards: advanceSeconds must be >= 0", "minimum", now
            )
        step = round(seconds * 1000)
        _check_latest(now + step)
        self._advanced_ms += step

    def set_now(self, when: datetime) -> None:
        """Move now forward to `when`; refuse a time before the current now."""
        if when.tzinfo is None:
            raise ClockError(f"{when.isoformat()} has no time zone; give one, e.g. Z")
        target, now = to_ms(when), self.now_ms()
        _check_latest(target)
        if target < now:
            raise ClockError(
                f"time never moves backwards: {when.isoformat()} is before the mock's now",
                "minimum",
                now,
            )
        self._advanced_ms += target - now

    def restart(self) -> None:
        """Back to the start time (a reset brings back the startup state)."""
        self._advanced_ms = 0
        self._origin_ns = self._monotonic_ns()

    def http_date(self, now_ms: int) -> bytes:
        """`now_ms` as an HTTP Date header value; formatted once per second."""
        second = now_ms // 1000
        if second != self._date_second:
            self._date = format_datetime(from_ms(second * 1000), usegmt=True).encode()
            self._date_second = second
        return self._date


def _check_latest(target_ms: int) -> None:
    if target_ms > LATEST_MS:
        raise ClockError("the clock stops at 9000-01-01T00:00:00Z", "maximum", LATEST_MS)
