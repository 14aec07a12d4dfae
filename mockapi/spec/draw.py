"""Randomness addressed by place, not drawn from a stream: one 64-bit hash per field path.

A generated value's randomness comes from (seed, key, field path): the root hash mixes the
seed and the key, and each property or array index mixes its name or position into its
parent's hash. So a field's value does not depend on which other fields were generated
before it, and the same path under the same key gives the same value in any schema that has
it. Everything here is plain integer arithmetic (splitmix64) and blake2b: no global random
state, no `hash()` (randomised per process), no time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
T = TypeVar("T")


def digest64(text: str) -> int:
    """A stable 64-bit hash of a text (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def mix(x: int) -> int:
    """splitmix64's finaliser: a well-spread 64-bit value from any integer."""
    x &= M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def child(h: int, name_hash: int) -> int:
    """The hash of property `name` (given as its digest64) under the value hashed `h`."""
    return mix(h ^ name_hash)


def item(h: int, index: int) -> int:
    """The hash of the `index`th item of the array hashed `h`."""
    return mix(h + (index + 1) * _GOLDEN)


def salted(h: int, salt: int) -> int:
    """Another independent hash for the same place (a second question about one field)."""
    return mix(h ^ (salt * 0xD1B54A32D192ED03))


class Draw:
    """A few numbers drawn from one place's hash: each call gives the next one."""

    __slots__ = ("h",)

    def __init__(self, h: int) -> None:
        self.h = h

    def bits(self) -> int:
        """The next 64 random bits."""
        # mix(), inlined: this is the generator's most frequent call.
        x = (self.h + _GOLDEN) & M64
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
        self.h = x = x ^ (x >> 31)
        return x

    def below(self, n: int) -> int:
        """A number in [0, n)."""
        return self.bits() % n

    def between(self, lo: int, hi: int) -> int:
        """A number in [lo, hi] (both included)."""
        return lo + self.bits() % (hi - lo + 1)

    def unit(self) -> float:
        """A float in [0, 1)."""
        return (self.bits() >> 11) / 9007199254740992.0

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.unit() < p

    def pick(self, options: Sequence[T]) -> T:
        """One of the options."""
        return options[self.bits() % len(options)]

    def alnum(self, n: int) -> str:
        """n lowercase letters and digits (the API's short-id alphabet)."""
        return "".join(_ALNUM[self.bits() % 36] for _ in range(n))

    def digits(self, n: int) -> str:
        """n decimal digits."""
        return "".join(str(self.bits() % 10) for _ in range(n))

    def hex(self, n: int) -> str:
        """n lowercase hex digits."""
        out: list[str] = []
        while len(out) < n:
            word = self.bits()
            out.extend(_HEX[(word >> (4 * i)) & 15] for i in range(16))
        return "".join(out[:n])
