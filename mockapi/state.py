"""The mutable part of a running mock: which store is served right now."""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.store import Store


@dataclass
class MockState:
    """Holds the current store; replacing it is one reference swap, so readers never mix."""

    store: Store
