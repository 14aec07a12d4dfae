"""What time will do: a queue of events, each guarded so a re-planned one is never done twice.

Nothing here knows what an event means; the store hands each due event to the concern
that planned it (backups, exports and restores, schedules).

Every event carries the token of the guard it was planned under (`guard(name)`). A guard
holds one token at a time, and tokens are never reused, so an event is live exactly while
its token is some guard's current one: a re-planned or dropped event is stale, and the
queue recognises it without knowing what it meant. Stale events are left where they are
until the queue holds more than `COMPACT_FACTOR` events per live guard (plus a little);
then one pass drops them. So the queue stays within a small constant per live backup,
export, restore and schedule, however often a client re-plans them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from contextlib import contextmanager

# (at_ms, kind, key, token): what happens when, planned under the guard that issued token.
Event = tuple[int, int, str, int]
# The queue is compacted when it holds more than this many events per live guard, plus
# COMPACT_SLACK: each compaction then costs no more than the pushes since the last one.
COMPACT_FACTOR = 2
COMPACT_SLACK = 64


class Timeline:
    """A min-heap of events by time (then kind, so one instant runs in a fixed order)."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._guards: dict[str, int] = {}
        self._live: set[int] = set()
        self._last_token = 0
        self._bulk = False

    def copy(self) -> Timeline:
        """An independent timeline with the same plans."""
        other = Timeline()
        other._events = self._events[:]
        other._guards = dict(self._guards)
        other._live = set(self._live)
        other._last_token = self._last_token
        return other

    def __len__(self) -> int:
        """How many events the queue holds (live or stale)."""
        return len(self._events)

    @property
    def guards(self) -> int:
        """How many guards are live: the plans a compacted queue may hold."""
        return len(self._live)

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
            self.compact()

    def push(self, at_ms: int, kind: int, key: str, token: int) -> None:
        """Plan one event under a token from `guard`."""
        if self._bulk:
            self._events.append((at_ms, kind, key, token))
            return
        heapq.heappush(self._events, (at_ms, kind, key, token))
        if len(self._events) > COMPACT_FACTOR * len(self._live) + COMPACT_SLACK:
            self.compact()

    def compact(self) -> None:
        """Drop every stale event, in one pass, and restore the heap."""
        live = self._live
        self._events = [event for event in self._events if event[3] in live]
        heapq.heapify(self._events)

    def guard(self, name: str) -> int:
        """A new token for `name`: events planned with an earlier one are stale from now."""
        self._last_token += 1
        previous = self._guards.get(name)
        if previous is not None:
            self._live.discard(previous)
        self._guards[name] = self._last_token
        self._live.add(self._last_token)
        return self._last_token

    def holds(self, name: str, token: int) -> bool:
        """True while `token` is the latest of guard `name`."""
        return self._guards.get(name) == token

    def drop(self, name: str) -> None:
        """Forget a guard: every event planned under it is stale."""
        token = self._guards.pop(name, None)
        if token is not None:
            self._live.discard(token)

    def pop_due(self, until_ms: int) -> Event | None:
        """The earliest live event due at or before `until_ms`, taken off the queue; or None.

        Stale events met on the way are taken off too.
        """
        events, live = self._events, self._live
        while events and events[0][0] <= until_ms:
            event = heapq.heappop(events)
            if event[3] in live:
                return event
        return None
