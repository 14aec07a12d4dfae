"""Draw the name pools of realistic values (mockapi/spec/pools.json) from a seeded Faker.

    python scripts/draw_pools.py            # rewrite the file
    python scripts/draw_pools.py --check    # exit 1 when the file differs from a fresh draw

The pools are shipped as data, so serving needs no Faker (a fifth of a second at the first
answer) and answers do not change with the installed Faker version.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

POOLS = Path(__file__).parent.parent / "mockapi" / "spec" / "pools.json"
_POOL_SIZE = 240
# Words that would read as a placeholder where a real value is expected.
_PLACEHOLDERS = {"string", "lorem", "ipsum", "dolor", "test", "example", "foo", "bar", "null"}


def _unique(values: list[str], size: int) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.lower() not in _PLACEHOLDERS:
            seen.setdefault(value, None)
        if len(seen) == size:
            break
    return list(seen)


@cache
def _faker(locale: str) -> Any:
    from faker import Faker

    return Faker(locale)


def _draw(locale: str, seed: int, method: str, size: int = _POOL_SIZE) -> list[str]:
    # Seeding before each pool makes a pool independent of the pools drawn before it.
    fake = _faker(locale)
    fake.seed_instance(seed)
    produce = getattr(fake, method)
    return _unique([str(produce()) for _ in range(size * 4)], size)


def first_names() -> list[str]:
    """Given names, mostly German (mittwald's customers), some English."""
    return _draw("de_DE", 11, "first_name", 180) + _draw("en_US", 12, "first_name", 60)


def last_names() -> list[str]:
    """Family names, mostly German, some English."""
    return _draw("de_DE", 13, "last_name", 180) + _draw("en_US", 14, "last_name", 60)


def companies() -> list[str]:
    """Company names ("Zahn GmbH", "Eberth Haering AG & Co. KG")."""
    return _draw("de_DE", 15, "company", 200) + _draw("en_US", 16, "company", 40)


def cities() -> list[str]:
    """German towns and cities."""
    return _draw("de_DE", 17, "city")


def streets() -> list[str]:
    """German street names."""
    return _draw("de_DE", 18, "street_name")


def words() -> list[str]:
    """Plain English words (for slugs and tags), none that reads as a placeholder."""
    return list(w for w in _draw("en_US", 19, "word", 400) if len(w) >= 4 and w.isalpha())


def draw() -> dict[str, list[str]]:
    """Every pool, freshly drawn."""
    return {
        "first_names": first_names(),
        "last_names": last_names(),
        "companies": companies(),
        "cities": cities(),
        "streets": streets(),
        "words": words(),
    }


def main() -> int:
    text = json.dumps(draw(), ensure_ascii=False, indent=1) + "\n"
    if "--check" in sys.argv:
        return 0 if POOLS.read_text(encoding="utf-8") == text else 1
    POOLS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
