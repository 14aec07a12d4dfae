"""The running mock's state, and every control over it (HTTP, pytest and CLI alike).

The store is the single owner of data; this module holds which store is served, the clock
that moves it, and the per-run companions: journal, faults, rate limits and trace ids.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from datetime import datetime
from typing import Any

import orjson

from mockapi.backups.clock import Clock
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.backups.lifecycle import Durations
from mockapi.backups.store import Store, StoreConfig
from mockapi.data.fixtures import FixtureError, parse_document, report
from mockapi.errors import Conflict
from mockapi.http.faults import FaultRule
from mockapi.http.ratelimit import RateLimiter
from mockapi.http.stubs import Stub
from mockapi.http.tracing import TraceIds
from mockapi.settings import Settings
from mockapi.spec.memory import Memory
from mockapi.spec.seeding import seed_memory
from mockapi.spec.universe import RootProject, Roots
from mockapi.state.faults import FaultRules
from mockapi.state.journal import Journal
from mockapi.state.stubs import Stubs
from mockapi.timestamps import format_epoch_ms

# Events done in one go while other requests wait: a slice takes a few milliseconds.
SLICE_EVENTS = 256


def store_config(settings: Settings, public_url: str) -> StoreConfig:
    """What the store needs from the settings."""
    durations = Durations(
        backup_s=settings.backup_seconds,
        export_s=settings.export_seconds,
        restore_s=settings.restore_seconds,
        export_valid_days=settings.export_valid_days,
    )
    # Download URLs are signed: with a secret of this start, or one derived from --seed, so
    # a seeded run serves the same URLs every time.
    if settings.seed is not None:
        secret = hashlib.sha256(f"mockapi-downloads:{settings.seed}".encode()).digest()
    else:
        secret = secrets.token_bytes(32)
    return StoreConfig(
        durations, public_url, settings.seed or 0, secret, settings.max_schedules_per_project
    )


class MockState:
    """The served store on its clock, plus journal, faults, rate limits and trace ids.

    Readers take `current()` once per request. The startup store's data is never changed:
    the first change works on a copy, and a reset serves the startup store again.
    `generation` counts resets: a request that began before one must not change what comes
    after it (a test's leftovers never reach the next test). `changes` counts changes of
    anything a state file keeps (data, schedules, the clock): its writer compares counts.
    """

    def __init__(
        self, settings: Settings, dataset: Dataset, public_url: str, worker: int = 0
    ) -> None:
        self.settings = settings
        self._seed = settings.seed or 0
        self.public_url = public_url
        self.clock = self.startup_clock = Clock(settings.now, settings.clock)
        self.startup = Store(dataset, self.clock.start_ms, store_config(settings, public_url))
        self.store = self.startup
        self.journal = Journal(settings.journal_size)
        self.faults = FaultRules(settings.fault_seed, settings.faults)
        self.stubs = Stubs()
        self.rate_limiter = RateLimiter(
            settings.rate_limit,
            settings.rate_limit_window,
            settings.rate_limit_enforce,
            settings.rate_limit_clients,
        )
        self.trace_ids = TraceIds(worker)
        self.read_only = settings.workers > 1
        self.in_flight = 0  # API requests being answered now (health shows it)
        self.generation = 0
        # Counts changes of which projects are served (not of their backups).
        self.data_version = 0
        # What clients created, changed and deleted of the whole API's other resources.
        self.startup_memory = self._seeded(self.startup)
        self.memory = self.startup_memory.copy()
        self._catching_up: asyncio.Task[None] | None = None
        self.changes = 0

    # --- the served store ----------------------------------------------------------------

    def current(self) -> Store:
        """The served store, with what is due by the clock's now done, or under way.

        One slice of due events happens here; a longer backlog (a long move of the clock)
        is worked off by `catch_up` between other requests, which meanwhile see the store
        as it stands: whole, at the time of the last event done.
        """
        store, now = self.store, self.clock.now_ms()
        due = store.next_event_ms
        if due is not None and due <= now:
            store = self.writable()
            if not store.advance(now, SLICE_EVENTS):
                self._catch_up_soon()
            return store
        store.now_ms = now  # after a reset the clock starts over, and so does the store
        return store

    def _catch_up_soon(self) -> None:
        """Work off the backlog in the background (at once when no event loop runs here)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.catch_up_now()
            return
        if self._catching_up is None or self._catching_up.done():
            self._catching_up = loop.create_task(self.catch_up())

    async def catch_up(self) -> None:
        """Let everything due by the clock's now happen, a slice at a time, yielding to other
        requests between slices (none is held longer than a slice)."""
        while True:
            store, now = self.store, self.clock.now_ms()
            due = store.next_event_ms
            if due is None or due > now:
                return
            self.writable().advance(now, SLICE_EVENTS)
            await asyncio.sleep(0)

    def catch_up_now(self) -> None:
        """Let everything due by the clock's now happen, in one go."""
        store, now = self.store, self.clock.now_ms()
        due = store.next_event_ms
        if due is not None and due <= now:
            self.writable().advance(now)
        self.store.now_ms = max(self.store.now_ms, now)

    def writable(self) -> Store:
        """The served store, copied from the startup one on the first change."""
        self.changes += 1
        if self.store is self.startup:
            self.store = self.startup.copy()
        return self.store

    def check_writable(self) -> None:
        """Raise Conflict when runtime changes cannot reach every worker."""
        if self.read_only:
            raise Conflict(
                f"runtime changes are refused with --workers {self.settings.workers}: every "
                "worker holds its own copy of the data and would diverge; use --workers 1, "
                "or start the server with the data and faults you need"
            )

    def reset(self) -> None:
        """Startup data and clock, empty journal, startup faults, fresh rate limits."""
        self.check_writable()
        self.generation += 1
        self.data_version += 1
        self.changes += 1
        self.store = self.startup
        self.memory = self.startup_memory.copy()
        self.clock = self.startup_clock
        self.clock.restart()
        self.journal.clear()
        self.faults = FaultRules(self.settings.fault_seed, self.settings.faults)
        self.stubs = Stubs()
        settings = self.settings
        self.rate_limiter.configure(
            settings.rate_limit, settings.rate_limit_window, settings.rate_limit_enforce
        )
        self.trace_ids.restart()

    def build(self, dataset: Dataset, at_start: bool = False) -> Store:
        """A new store for a combined dataset, on the clock's now, or its start for a new
        startup store (heavy: callers run it off the event loop)."""
        now = self.startup_clock.start_ms if at_start else self.clock.now_ms()
        return Store(dataset, now, self.startup.config)

    def serve(self, store: Store, generation: int | None = None) -> None:
        """Serve a built store from now on (one swap: readers see it wholly or not at all).

        `generation` is the one the build began in: a reset meanwhile wins over the build.
        """
        self.check_writable()
        if generation is not None:
            self.check_generation(generation)
        memory = self._seeded(store)
        self.store = store
        self.memory = memory
        self.data_version += 1
        self.changes += 1

    def _seeded(self, store: Store) -> Memory:
        """The memory of what a store's data brought of the whole API's other resources."""
        if not store.resources:
            return Memory()  # the common case: no document to read at startup
        try:
            return seed_memory(store.resources, roots_of(store), self._seed)
        except ValueError as error:
            raise FixtureError(f"invalid fixture data:\n  {error}") from None

    def check_generation(self, generation: int) -> None:
        """Refuse what began before a reset: it belongs to the state before, not after."""
        if generation != self.generation:
            raise Conflict("the mock was reset while this request waited; nothing was changed")

    def reload(self, store: Store) -> None:
        """Serve a reloaded startup store (built at the clock's start): a reset brings it back,
        and until then it is moved to the clock's now like any startup store."""
        self.startup_memory = self._seeded(store)
        self.memory = self.startup_memory.copy()
        self.startup = store
        self.store = store
        self.data_version += 1
        self.changes += 1

    def resume(self, store: Store, clock: Clock) -> None:
        """Serve a saved state (its store on its clock); a reset brings the startup ones."""
        self.store, self.clock = store, clock
        self.data_version += 1

    def add(self, dataset: Dataset) -> None:
        """Serve this dataset beside the current data (ids must stay unique)."""
        self.check_writable()
        try:
            self.writable().add(dataset)
            memory = self.memory
            if dataset.resources:
                roots = roots_of(self.store)
                memory = seed_memory(dataset.resources, roots, self._seed, memory)
        except (DatasetError, ValueError) as error:
            raise FixtureError(str(error)) from None
        self.memory = memory
        self.data_version += 1

    def validated(self, document: Any, source: str, derive: bool = True) -> Dataset:
        """A fixture-format document validated into a dataset; FixtureError if it is bad.

        With `derive`, projects it names only by projectId get a derived short id; without
        (data added beside served data), they may be projects that already have one.
        """
        dataset, problems = parse_document(source, document)
        try:
            combined = combine([dataset], derive=derive)
        except DatasetError as error:
            problems += str(error).splitlines()
        if problems:
            raise FixtureError(report(problems))
        return combined

    def projects(self) -> list[ProjectInfo]:
        """The projects served now."""
        return [record.info for record in self.current().projects.values()]

    # --- the clock -----------------------------------------------------------------------

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward and let what falls due happen (in one go)."""
        self.check_writable()
        self.clock.advance(seconds)
        self.changes += 1
        self.catch_up_now()

    def set_now(self, when: datetime) -> None:
        """Move the clock forward to `when` (never backwards), in one go."""
        self.check_writable()
        self.clock.set_now(when)
        self.changes += 1
        self.catch_up_now()

    async def move_clock(self, seconds: float | None = None, when: datetime | None = None) -> None:
        """Move the clock by `seconds` or to `when`, and wait while what falls due happens in
        slices: other requests are answered between them."""
        self.check_writable()
        if when is not None:
            self.clock.set_now(when)
        else:
            self.clock.advance(seconds or 0)
        self.changes += 1
        await self.catch_up()

    def clock_state(self) -> dict[str, Any]:
        """`{"now": ..., "mode": ...}` as the control API shows it."""
        return {"now": format_epoch_ms(self.clock.now_ms()), "mode": self.clock.mode.value}

    # --- faults, rate limits, journal ----------------------------------------------------

    def add_fault(self, rule: FaultRule) -> int:
        """Activate a fault rule; returns its id."""
        self.check_writable()
        return self.faults.add(rule)

    def remove_fault(self, rule_id: int) -> bool:
        """Deactivate one fault rule; False if there was none with that id."""
        self.check_writable()
        return self.faults.remove(rule_id)

    def clear_faults(self) -> None:
        """Deactivate every fault rule."""
        self.check_writable()
        self.faults = FaultRules(self.settings.fault_seed)

    def add_stub(self, stub: Stub) -> int:
        """Activate a stub; returns its id (StubsFull past the cap)."""
        self.check_writable()
        self.changes += 1
        return self.stubs.add(stub)

    def remove_stub(self, stub_id: int) -> bool:
        """Deactivate one stub; False if there was none with that id."""
        self.check_writable()
        self.changes += 1
        return self.stubs.remove(stub_id)

    def clear_stubs(self) -> None:
        """Deactivate every stub."""
        self.check_writable()
        self.changes += 1
        self.stubs.clear()

    def set_rate_limit(self, limit: int, window_s: int | None = None) -> None:
        """Enforce `limit` requests per token per window (default: the configured one);
        0 turns enforcement off."""
        self.check_writable()
        window_s = window_s or self.settings.rate_limit_window
        if limit > 0:
            self.rate_limiter.configure(limit, window_s, True)
        else:
            self.rate_limiter.configure(self.settings.rate_limit, window_s, False)

    def read_journal(self) -> list[dict[str, Any]]:
        """The journal's entries, oldest first."""
        self.check_writable()
        return self.journal.entries()

    def clear_journal(self) -> None:
        """Empty the journal."""
        self.check_writable()
        self.journal.clear()


def roots_of(store: Store) -> Roots:
    """The served projects as the generic resources see them."""
    projects = []
    for record in store.projects.values():
        document = record.document
        projects.append(
            RootProject(
                record.info.id,
                record.info.short_id,
                str(document.get("customerId", "")),
                document.get("serverId"),
                orjson.loads(record.list_json),
            )
        )
    return Roots(tuple(projects))
