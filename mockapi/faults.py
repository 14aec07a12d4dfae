"""Provoked failures: Prefer headers, server-side fault rules, and the rate limiter."""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockapi.errors import FieldError, ValidationFailed

MAX_DELAY_MS = 60_000
_PREFER_ITEM = re.compile(r"\s*([A-Za-z-]+)\s*=\s*\"?([^\";,]*)\"?\s*")


def _forcible(status: int) -> bool:
    # The operation's responses are 200, 429 and "default" (any error status).
    return status == 200 or 400 <= status <= 599


Status = Annotated[int, Field(ge=200, le=599, description="HTTP status to answer")]


class FaultRule(BaseModel):
    """A server-side fault: which requests it hits, and what they get."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: str | None = Field(
        None, description="Only requests for this project (UUID or short id); all if absent."
    )
    status: Status | None = Field(None, description="Answer this status in the API's shape.")
    drop: bool = Field(False, description="Close the connection without an answer.")
    delayMs: int = Field(0, ge=0, le=MAX_DELAY_MS, description="Wait this long first (ms).")
    delayMaxMs: int | None = Field(
        None, ge=0, le=MAX_DELAY_MS, description="With delayMs: a random wait in the range."
    )
    probability: float = Field(1.0, ge=0.0, le=1.0, description="Fraction of requests hit.")
    count: int | None = Field(None, ge=1, description="Only the next N hit requests.")

    @model_validator(mode="after")
    def _check(self) -> FaultRule:
        if self.status is not None and not _forcible(self.status):
            raise ValueError("status must be 200 or a 4xx/5xx status the operation can answer")
        if self.delayMaxMs is not None and self.delayMaxMs < self.delayMs:
            raise ValueError("delayMaxMs must not be below delayMs")
        if self.status is None and not self.drop and not self.delayMs and not self.delayMaxMs:
            raise ValueError("a rule needs a status, drop or a delay")
        return self


@dataclass
class Outcome:
    """What the faults decided for one request."""

    delay_s: float = 0.0
    status: int | None = None
    drop: bool = False


@dataclass
class _ActiveRule:
    id: int
    rule: FaultRule
    remaining: int | None


class FaultRules:
    """The active rules; seeded, so a run with the same requests repeats exactly."""

    def __init__(self, seed: int, rules: list[FaultRule] | None = None) -> None:
        self._seed = seed
        self._random = random.Random(seed)
        self._rules: list[_ActiveRule] = []
        self._next_id = 1
        for rule in rules or []:
            self.add(rule)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def add(self, rule: FaultRule) -> int:
        """Activate a rule; returns its id."""
        rule_id = self._next_id
        self._next_id += 1
        self._rules.append(_ActiveRule(rule_id, rule, rule.count))
        return rule_id

    def remove(self, rule_id: int) -> bool:
        """Deactivate one rule; False if there was none with that id."""
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.id != rule_id]
        return len(self._rules) != before

    def clear(self) -> None:
        """Deactivate every rule and restart the random sequence."""
        self._rules.clear()
        self._random = random.Random(self._seed)

    def listing(self) -> list[dict[str, Any]]:
        """The active rules with their ids and remaining counts."""
        return [
            {"id": r.id, **r.rule.model_dump(exclude_none=True), "remaining": r.remaining}
            for r in list(self._rules)
        ]

    def decide(self, same_project: Callable[[str], bool]) -> Outcome:
        """Apply the rules to one request; `same_project` says whether a rule's project matches."""
        outcome = Outcome()
        for active in list(self._rules):
            rule = active.rule
            if rule.project is not None and not same_project(rule.project):
                continue
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            if rule.delayMaxMs is not None:
                outcome.delay_s += self._random.uniform(rule.delayMs, rule.delayMaxMs) / 1000
            else:
                outcome.delay_s += rule.delayMs / 1000
            if outcome.status is None and not outcome.drop:
                outcome.drop = rule.drop
                outcome.status = rule.status
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining == 0:
                    self._rules.remove(active)
        return outcome


def parse_prefer(header: str) -> Outcome:
    """Prism-style `Prefer: code=429, delay=250`; raise ValidationFailed on bad values."""
    outcome = Outcome()
    errors: list[FieldError] = []
    for item in re.split(r"[,;]", header):
        match = _PREFER_ITEM.fullmatch(item)
        if not match:
            continue  # tokens without a value (e.g. `return=minimal`) are not ours
        key, value = match[1].lower(), match[2].strip()
        if key == "code":
            if value.isdigit() and _forcible(int(value)):
                outcome.status = int(value)
            else:
                errors.append(
                    FieldError(
                        "header.Prefer",
                        f"Prefer code must be 200 or a 4xx/5xx status (got {value!r})",
                        "enum",
                        {"allowedValues": "200, 400-599"},
                    )
                )
        elif key == "delay":
            if value.isdigit() and int(value) <= MAX_DELAY_MS:
                outcome.delay_s = int(value) / 1000
            else:
                errors.append(
                    FieldError(
                        "header.Prefer",
                        f"Prefer delay must be whole milliseconds from 0 to {MAX_DELAY_MS} "
                        f"(got {value!r})",
                        "maximum",
                        {"comparison": "<=", "limit": str(MAX_DELAY_MS)},
                    )
                )
    if errors:
        raise ValidationFailed(errors)
    return outcome


class RateLimiter:
    """A fixed window per token, as the real API limits; off when limit is 0."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    @property
    def enabled(self) -> bool:
        """True when a limit is configured."""
        return self.limit > 0

    def configure(self, limit: int, window_s: float) -> None:
        """Change the limit and window; counting starts afresh."""
        self.limit, self.window_s = limit, window_s
        self._windows.clear()

    def reset(self) -> None:
        """Forget every token's count."""
        self._windows.clear()

    def hit(self, key: str) -> tuple[bool, dict[str, str]]:
        """Count one request for `key`; (allowed, X-RateLimit-* headers)."""
        now = self._clock()
        started, used = self._windows.get(key, (now, 0))
        if now - started >= self.window_s:
            started, used = now, 0
        used += 1
        self._windows[key] = (started, used)
        reset = max(math.ceil(started + self.window_s - now), 0)
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - used, 0)),
            "X-RateLimit-Reset": str(reset),
        }
        return used <= self.limit, headers
