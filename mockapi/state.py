"""The mutable part of a running mock, and every control over it (HTTP and pytest alike)."""

from __future__ import annotations

from typing import Any

from mockapi.dataset import Dataset, DatasetError, ProjectInfo, combine
from mockapi.errors import Conflict
from mockapi.faults import FaultRule, FaultRules, RateLimiter
from mockapi.fixtures import FixtureError, parse_document
from mockapi.generate import GenerationOptions, generate, to_document
from mockapi.journal import Journal
from mockapi.loading import load_default_dataset
from mockapi.settings import Settings
from mockapi.store import Store


class MockState:
    """The served store plus journal, faults and rate limits; each change is one swap.

    Readers take `self.store` once per request, so a replacement is seen wholly or not at all.
    """

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.startup_store = store
        self.journal = Journal(settings.journal_size)
        self.faults = FaultRules(settings.fault_seed, list(settings.faults))
        self.rate_limiter = RateLimiter(settings.rate_limit, settings.rate_limit_window)

    def check_writable(self) -> None:
        """Raise Conflict when runtime changes cannot reach every worker."""
        # Each forked worker holds its own copy: a change would reach one worker only.
        if self.settings.workers > 1:
            raise Conflict(
                f"runtime changes are refused with --workers {self.settings.workers}: every "
                "worker holds its own copy of the data and would diverge; use --workers 1, "
                "or start the server with the data and faults you need"
            )

    def reset(self) -> None:
        """Back to the startup dataset, empty journal, startup faults, fresh rate limits."""
        self.check_writable()
        self.store = self.startup_store
        self.journal.clear()
        self.faults = FaultRules(self.settings.fault_seed, list(self.settings.faults))
        self.rate_limiter.configure(self.settings.rate_limit, self.settings.rate_limit_window)

    def replace(self, dataset: Dataset) -> None:
        """Serve exactly this dataset from now on."""
        self.check_writable()
        self.store = Store(combine([dataset]))

    def add(self, dataset: Dataset) -> None:
        """Serve this dataset beside the current one (backup ids must stay unique)."""
        self.check_writable()
        try:
            merged = combine([self.store.to_dataset(), dataset])
        except DatasetError as error:
            raise FixtureError(str(error)) from None
        self.store = Store(merged)

    def replace_document(self, document: Any, add: bool = False, source: str = "body") -> None:
        """Validate a fixture-format document (array or {projects, backups}) and load it."""
        self.check_writable()
        dataset, problems = parse_document(source, document)
        if problems:
            raise FixtureError("invalid fixture data:\n  " + "\n  ".join(problems))
        if add:
            self.add(dataset)
        else:
            self.replace(dataset)

    def use_default_dataset(self) -> None:
        """Serve the built-in default dataset."""
        self.replace(load_default_dataset())

    def use_generated(
        self, seed: int, projects: int = 3, backups_per_project: int = 30, now: Any = None
    ) -> None:
        """Serve freshly generated data."""
        options = GenerationOptions(seed, projects, backups_per_project, now or self.settings.now)
        self.replace(generate(options))

    def document(self) -> dict[str, Any]:
        """The current data in the richer fixture format."""
        return to_document(self.store.to_dataset())

    def projects(self) -> list[ProjectInfo]:
        """The projects served now."""
        return [p.info for p in self.store.projects.values()]

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
        self.faults.clear()

    def set_rate_limit(self, limit: int, window_s: float = 60.0) -> None:
        """Limit requests per token per window (0 turns limiting off)."""
        self.check_writable()
        self.rate_limiter.configure(limit, window_s)

    def read_journal(self) -> list[dict[str, Any]]:
        """The journal's entries, oldest first."""
        self.check_writable()
        return self.journal.entries()

    def clear_journal(self) -> None:
        """Empty the journal."""
        self.check_writable()
        self.journal.clear()
