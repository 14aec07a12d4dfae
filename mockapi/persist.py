"""--state-file: resume the saved state at start, write it after changes and at shutdown.

The running state counts its changes (`MockState.changes`). A task on the server's loop
looks at the count four times a second; once changes have settled for a tick (or have gone
on for half a second) it takes a snapshot on the loop, which is cheap (lists of the
backups' ready JSON), and writes it in a thread. So a change is on disk within about a
second, the event loop is never held by the file, and one write is in flight at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from mockapi.backups.clock import Clock
from mockapi.backups.store import Store
from mockapi.data.statefile import (
    CLOCK,
    DATA,
    RESOURCES,
    STUBS,
    StateLock,
    read_state,
    state_chunks,
    wall_ms,
    write_atomically,
)
from mockapi.settings import Settings
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms, from_ms

log = logging.getLogger("mockapi")
TICK_S = 0.25
SETTLE_S = 0.5  # changes going on without pause are written at least this often


def snapshot(state: MockState, unknown: dict[str, bytes]) -> Iterator[bytes]:
    """The whole state as a state document's chunks; taken now, made on any thread."""
    store = state.current()  # what fell due by now has happened
    clock = {"now": format_epoch_ms(state.clock.now_ms()), "mode": state.clock.mode.value}
    sections: list[tuple[str, Iterable[bytes]]] = [(CLOCK, [orjson.dumps(clock)])]
    sections += [(name, [raw]) for name, raw in unknown.items()]
    sections.append((STUBS, [orjson.dumps(state.stubs.dump())]))
    sections.append((RESOURCES, [orjson.dumps(state.memory.to_document())]))
    sections.append((DATA, store.document_chunks()))
    return state_chunks(wall_ms(), sections)


class StateKeeper:
    """Owns one state file while the server runs: resumed at start, kept up to date."""

    def __init__(self, path: Path, state: MockState) -> None:
        self.path = path
        self.state = state
        self.lock = StateLock(path)
        try:
            saved = read_state(path)
        except BaseException:
            self.lock.release()
            raise
        self.resumed = saved is not None
        self.unknown = saved.unknown if saved is not None else {}
        for name in self.unknown:
            log.warning(
                "%s: section %r is not known to this mockapi: kept as it is, not used", path, name
            )
        if saved is not None and (saved.clock is not None or saved.data is not None):
            clock = state.startup_clock
            if saved.clock is not None:
                resumed = saved.clock.resumed_ms(saved.saved_at_ms, wall_ms())
                clock = Clock(from_ms(resumed), saved.clock.mode)
            store = state.startup if saved.data is None else None
            if saved.data is not None:
                store = Store(saved.data, clock.now_ms(), state.startup.config)
            assert store is not None
            state.resume(store, clock)
        if saved is not None:
            for stub in saved.stubs or []:
                state.stubs.add(stub)
            if saved.resources is not None:
                state.memory = saved.resources
        # Without a file yet, the first tick writes one: a restart then resumes even when
        # nothing changed (a running clock goes on).
        self.saved = state.changes if self.resumed else -1
        self.writes = 0
        self.last_write_s = 0.0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    @property
    def origin(self) -> str:
        """What the ready line says is served."""
        return f"state file {self.path}"

    def start(self) -> None:
        """Begin watching for changes (on the running loop)."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        seen, since = self.state.changes, time.monotonic()
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), TICK_S)
            changes = self.state.changes
            if changes == self.saved:
                seen, since = changes, time.monotonic()
                continue
            if changes != seen and time.monotonic() - since < SETTLE_S:
                seen = changes  # still changing: wait one more tick, up to SETTLE_S
                continue
            await self.save()
            seen, since = self.state.changes, time.monotonic()

    async def save(self) -> None:
        """Write the state now (in a thread); a failure is logged and tried again later."""
        chunks = snapshot(self.state, self.unknown)
        changes = self.state.changes  # after the snapshot: it may let time happen
        started = time.perf_counter()
        try:
            await asyncio.to_thread(write_atomically, self.path, chunks)
        except OSError as error:
            if not self._failing:
                log.error("cannot write the state file %s: %s", self.path, error.strerror or error)
            self._failing = True
            return
        if self._failing:
            log.info("state file %s written again", self.path)
        self._failing = False
        self.saved = changes
        self.writes += 1
        self.last_write_s = time.perf_counter() - started

    async def close(self) -> None:
        """Stop watching, write what is not on disk yet, and release the file."""
        self._stop.set()
        if self._task is not None:
            await self._task  # a write in flight finishes first: one writer at a time
            self._task = None
        try:
            if self.state.changes != self.saved:
                await self.save()
        finally:
            self.lock.release()


def keeper_for(settings: Settings, state: MockState) -> StateKeeper | None:
    """The state file's keeper when --state-file is given (resumes it now)."""
    if settings.state_file is None:
        return None
    return StateKeeper(settings.state_file, state)
