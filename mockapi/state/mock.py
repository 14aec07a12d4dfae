"""The running mock's state, and every control over it (HTTP, pytest and CLI alike).

The store is the single owner of data; this module holds which store is served, the clock
that moves it, and the per-run companions: journal, faults, rate limits and trace ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.backups.clock import Clock
from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.backups.lifecycle import Durations
from mockapi.backups.store import Store, StoreConfig
from mockapi.data.fixtures import FixtureError, parse_document
from mockapi.errors import Conflict
from mockapi.http.faults import FaultRule
from mockapi.http.ratelimit import RateLimiter
from mockapi.http.tracing import TraceIds
from mockapi.settings import Settings
from mockapi.state.faults import FaultRules
from mockapi.state.journal import Journal
from mockapi.timestamps import format_epoch_ms


def store_config(settings: Settings, public_url: str) -> StoreConfig:
    """What the store needs from the settings."""
    durations = Durations(
        backup_s=settings.backup_seconds,
        export_s=settings.export_seconds,
        restore_s=settings.restore_seconds,
        export_valid_days=settings.export_valid_days,
    )
    return StoreConfig(durations, public_url, settings.seed or 0)


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
        self.public_url = public_url
        self.clock = self.startup_clock = Clock(settings.now, settings.clock)
        self.startup = Store(dataset, self.clock.start_ms, store_config(settings, public_url))
        self.store = self.startup
        self.journal = Journal(settings.journal_size)
        self.faults = FaultRules(settings.fault_seed, settings.faults)
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
        self.changes = 0

    # --- the served store ----------------------------------------------------------------

    def current(self) -> Store:
        """The served store, with everything due by the clock's now done."""
        store, now = self.store, self.clock.now_ms()
        due = store.next_event_ms
        if due is not None and due <= now:
            self.writable().advance(now)
            return self.store
        store.now_ms = now  # after a reset the clock starts over, and so does the store
        return store

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
        self.changes += 1
        self.store = self.startup
        self.clock = self.startup_clock
        self.clock.restart()
        self.journal.clear()
        self.faults = FaultRules(self.settings.fault_seed, self.settings.faults)
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
        self.store = store
        self.changes += 1

    def check_generation(self, generation: int) -> None:
        """Refuse what began before a reset: it belongs to the state before, not after."""
        if generation != self.generation:
            raise Conflict("the mock was reset while this request waited; nothing was changed")

    def reload(self, store: Store) -> None:
        """Serve a reloaded startup store (built at the clock's start): a reset brings it back,
        and until then it is moved to the clock's now like any startup store."""
        self.startup = store
        self.store = store
        self.changes += 1

    def resume(self, store: Store, clock: Clock) -> None:
        """Serve a saved state (its store on its clock); a reset brings the startup ones."""
        self.store, self.clock = store, clock

    def add(self, dataset: Dataset) -> None:
        """Serve this dataset beside the current data (ids must stay unique)."""
        self.check_writable()
        try:
            self.writable().add(dataset)
        except DatasetError as error:
            raise FixtureError(str(error)) from None

    def validated(self, document: Any, source: str, derive: bool = True) -> Dataset:
        """A fixture-format document validated into a dataset; FixtureError if it is bad.

        With `derive`, projects it names only by projectId get a derived short id; without
        (data added beside served data), they may be projects that already have one.
        """
        dataset, problems = parse_document(source, document)
        if problems:
            raise FixtureError("invalid fixture data:\n  " + "\n  ".join(problems[:20]))
        try:
            return combine([dataset], derive=derive)
        except DatasetError as error:
            raise FixtureError(str(error)) from None

    def projects(self) -> list[ProjectInfo]:
        """The projects served now."""
        return [record.info for record in self.current().projects.values()]

    # --- the clock -----------------------------------------------------------------------

    def advance_clock(self, seconds: float) -> None:
        """Move the clock forward and let what falls due happen."""
        self.check_writable()
        self.clock.advance(seconds)
        self.changes += 1
        self.current()

    def set_now(self, when: datetime) -> None:
        """Move the clock forward to `when` (never backwards)."""
        self.check_writable()
        self.clock.set_now(when)
        self.changes += 1
        self.current()

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
