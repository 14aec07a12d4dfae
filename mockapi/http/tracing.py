"""Trace ids: 16 lowercase hex digits per response, from a seeded counter, so runs repeat."""

from __future__ import annotations

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(value: int) -> int:
    # splitmix64's finaliser: consecutive counters give ids that look random.
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB & _MASK
    return value ^ (value >> 31)


class TraceIds:
    """Hands out the trace id of each response; the same seed gives the same sequence."""

    __slots__ = ("_base", "_count", "_seed")

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._base = _mix(seed & _MASK)
        self._count = 0

    def next(self) -> str:
        """The next trace id, e.g. `5b562fdc1f98d4fd`."""
        self._count += 1
        return f"{_mix((self._base + self._count * _GOLDEN) & _MASK):016x}"

    def restart(self) -> None:
        """Start the sequence over (a reset brings back the startup state)."""
        self._count = 0
