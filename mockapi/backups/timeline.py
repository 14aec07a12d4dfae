"""What time will do: a queue of events, each guarded so a re-planned one is never done twice.

Nothing here knows what an event means; the store hands each due event to the concern
that planned it (backups, exports and restores, schedules).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from contextlib import contextmanager

# (at_ms, kind, key, token): what happens when. A token of 0 is unguarded: the event holds
# while its subject exists. Any other token holds while it is its guard's latest.
Event = tuple[int, int, str, int]


class Timeline:
    """A min-heap of events by time (then kind, so one instant runs in a fixed order)."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._guards: dict[str, int] = {}
        self._last_token = 0
        self._bulk = False

    def copy(self) -> Timeline:
        """An independent timeline with the same plans."""
        other = Timeline()
        other._events = self._events[:]
        other._guards = dict(self._guards)
        other._last_token = self._last_token
        return other

    def __len__(self) -> int:
        return len(self._events)

    @property
    def next_ms(self) -> int | None:
        """When the next thing happens, or None."""
        return self._events[0][0] if self._events else None

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Plan many events at once: appended, then ordered in one pass."""
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            heapq.heapify(self._events)

    def push(self, at_ms: int, kind: int, key: str, token: int = 0) -> None:
        """Plan one event."""
        if self._bulk:
            self._events.append((at_ms, kind, key, token))
        else:
            heapq.heappush(self._events, (at_ms, kind, key, token))

    def guard(self, name: str) -> int:
        """A new token for `name`: events planned with an earlier one are stale from now."""
        self._last_token += 1
        self._guards[name] = self._last_token
        return self._last_token

    def holds(self, name: str, token: int) -> bool:
        """True while `token` is the latest of guard `name`."""
        return self._guards.get(name) == token

    def drop(self, name: str) -> None:
        """Forget a guard: every event planned under it is stale."""
        self._guards.pop(name, None)

    def pop_due(self, until_ms: int) -> Event | None:
        """The earliest event due at or before `until_ms`, taken off the queue; or None."""
        if self._events and self._events[0][0] <= until_ms:
            return heapq.heappop(self._events)
        return None
