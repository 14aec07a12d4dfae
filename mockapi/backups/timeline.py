"""What time will do: a queue of events, each guarded so a re-planned one is never done twice.

Nothing here knows what an event means; the store hands each due event to the concern
that planned it (backups, exports and restores, schedules).

Every event is planned under a guard: its subject's key in a lane (each kind of event
belongs to one lane, so a backup's expiry and its export are guarded apart). A guard holds
one token at a time, and tokens are never reused, so an event is live exactly while its
token is its guard's current one: a re-planned or dropped event is stale, and the queue
recognises it by looking it up. Stale events are left where they are until the queue holds
more than `COMPACT_FACTOR` events per live guard (plus a little); then one pass drops them.
So the queue stays within a small constant per live backup, export, restore and schedule,
however often a client re-plans them. A guard costs one dict entry: the key is the event's
own key string, not a new one.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

# (at_ms, kind, key, token): what happens when, planned under the guard that issued token.
Event = tuple[int, int, str, int]
# The queue is compacted when it holds more than this many events per live guard, plus
# COMPACT_SLACK: each compaction then costs no more than the pushes since the last one.
COMPACT_FACTOR = 2
COMPACT_SLACK = 64


class Timeline:
    """A min-heap of events by time (then kind, so one instant runs in a fixed order)."""

    def __init__(self, lanes: Mapping[int, str]) -> None:
        self._lane_names = dict(lanes)
        self._lanes: dict[str, dict[str, int]] = {name: {} for name in set(lanes.values())}
        # Each kind of event straight to its lane's guards.
        self._lane_of = {kind: self._lanes[name] for kind, name in lanes.items()}
        self._events: list[Event] = []
        self._last_token = 0
        self._bulk = False

    def copy(self) -> Timeline:
        """An independent timeline with the same plans."""
        other = Timeline(self._lane_names)
        for name, guards in self._lanes.items():
            other._lanes[name].update(guards)
        other._events = self._events[:]
        other._last_token = self._last_token
        return other

    def __len__(self) -> int:
        """How many events the queue holds (live or stale)."""
        return len(self._events)

    @property
    def guards(self) -> int:
        """How many guards are live: the plans a compacted queue may hold."""
        return sum(len(guards) for guards in self._lanes.values())

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
        """Plan one event under a token from `guard(key, its kind's lane)`."""
        if self._bulk:
            self._events.append((at_ms, kind, key, token))
            return
        heapq.heappush(self._events, (at_ms, kind, key, token))
        if len(self._events) > COMPACT_FACTOR * self.guards + COMPACT_SLACK:
            self.compact()

    def _live(self, event: Event) -> bool:
        return self._lane_of[event[1]].get(event[2]) == event[3]

    def compact(self) -> None:
        """Drop every stale event, in one pass, and restore the heap."""
        live = self._live
        self._events = [event for event in self._events if live(event)]
        heapq.heapify(self._events)

    def guard(self, key: str, lane: str) -> int:
        """A new token for `key` in `lane`: events planned with an earlier one are stale."""
        self._last_token += 1
        self._lanes[lane][key] = self._last_token
        return self._last_token

    def holds(self, key: str, lane: str, token: int) -> bool:
        """True while `token` is the latest of `key`'s guard in `lane`."""
        return self._lanes[lane].get(key) == token

    def drop(self, key: str, lane: str) -> None:
        """Forget a guard: every event planned under it is stale."""
        self._lanes[lane].pop(key, None)

    def pop_due(self, until_ms: int) -> Event | None:
        """The earliest live event due at or before `until_ms`, taken off the queue; or None.

        Stale events met on the way are taken off too.
        """
        events = self._events
        while events and events[0][0] <= until_ms:
            event = heapq.heappop(events)
            if self._live(event):
                return event
        return None
