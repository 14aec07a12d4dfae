"""What a provoked failure is: a fault rule, the `Prefer` header, and their outcome."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from mockapi.errors import FieldError, ValidationFailed
from mockapi.numbers import FractionRange, IntegerRange, NumberError, parse_integer

MAX_DELAY_MS = 60_000
# What several rules and Prefer may add up to on one request: no more than one rule may.
MAX_TOTAL_DELAY_MS = MAX_DELAY_MS
# Active rules at once: each request is held against every one of them.
MAX_RULES = 100
MAX_COUNT = 1_000_000_000
MAX_PROJECT_LENGTH = 100
MAX_PREFER_LENGTH = 1024
_PREFER_ITEM = re.compile(r"\s*([A-Za-z-]+)\s*=\s*\"?([^\";,]*)\"?\s*")


def forcible(status: int) -> bool:
    """Whether a status can be forced: 200 (answer normally) or any 4xx/5xx."""
    return status == 200 or 400 <= status <= 599


class FaultRule(BaseModel):
    """A server-side fault: which requests it hits, and what they get."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: str | None = Field(
        None,
        max_length=MAX_PROJECT_LENGTH,
        description="Only requests for this project (UUID or short id); all if absent.",
    )
    status: Annotated[int, IntegerRange(200, 599)] | None = Field(
        None, description="Answer this status in the API's shape (200 or 400-599)."
    )
    drop: StrictBool = Field(False, description="Close the connection without an answer.")
    delayMs: Annotated[int, IntegerRange(0, MAX_DELAY_MS)] = Field(
        0, description="Wait this long first (ms)."
    )
    delayMaxMs: Annotated[int, IntegerRange(0, MAX_DELAY_MS)] | None = Field(
        None, description="With delayMs: a random wait in the range."
    )
    probability: Annotated[float, FractionRange(0.0, 1.0)] = Field(
        1.0, description="Fraction of matching requests hit; spread evenly, seeded."
    )
    count: Annotated[int, IntegerRange(1, MAX_COUNT)] | None = Field(
        None, description="Only the next N hit requests."
    )

    @model_validator(mode="after")
    def _check(self) -> FaultRule:
        if self.status is not None and not forcible(self.status):
            raise ValueError("status must be 200 or a 4xx/5xx status")
        if self.delayMaxMs is not None and self.delayMaxMs < self.delayMs:
            raise ValueError("delayMaxMs must not be below delayMs")
        if self.status is None and not self.drop and not self.delayMs and not self.delayMaxMs:
            raise ValueError("a rule needs a status, drop or a delay")
        return self


@dataclass
class Outcome:
    """What the Prefer header and the fault rules decided for one request."""

    delay_s: float = 0.0
    status: int | None = None
    drop: bool = False

    @property
    def provoked(self) -> bool:
        """True when anything differs from a normal answer."""
        return bool(self.delay_s or self.drop or (self.status or 200) != 200)


def _prefer_error(kind: str, message: str, context: dict[str, str]) -> FieldError:
    return FieldError("Prefer", kind, message, context, location="header")


def parse_prefer(values: Iterable[str]) -> Outcome:
    """Prism-style `Prefer: code=429, delay=250`, from every Prefer line (RFC 7240: the first
    occurrence of a preference wins); raise ValidationFailed on bad values."""
    text = ",".join(values)
    if len(text) > MAX_PREFER_LENGTH:
        raise ValidationFailed(
            [
                _prefer_error(
                    "maxLength",
                    f"String length must be less than or equal to {MAX_PREFER_LENGTH}",
                    {"limit": str(MAX_PREFER_LENGTH)},
                )
            ]
        )
    outcome = Outcome()
    seen: set[str] = set()
    errors: list[FieldError] = []
    for item in re.split(r"[,;]", text):
        match = _PREFER_ITEM.fullmatch(item)
        if not match:
            continue  # tokens without a value (e.g. `respond-async`) are not ours
        key, value = match[1].lower(), match[2].strip()
        if key in seen or key not in ("code", "delay"):
            continue
        seen.add(key)
        try:
            if key == "code":
                status = parse_integer(value, 100, 599)
                if not forcible(status):
                    raise NumberError(
                        "code must be one of the following: 200, 400-599",
                        "enum",
                        {"allowedValues": "200, 400-599"},
                    )
                outcome.status = status
            else:
                outcome.delay_s = parse_integer(value, 0, MAX_DELAY_MS) / 1000
        except NumberError as error:
            errors.append(_prefer_error(error.kind, f"{key}: {error}", error.context))
    if errors:
        raise ValidationFailed(errors)
    return outcome
