"""One strict way to read a number that crosses the boundary: header, query, body, CLI or env.

Every number a client or a user gives mockapi goes through `parse_integer` or
`parse_fraction`, so none can be infinite, NaN, a bool in disguise, thousands of digits long
or out of its documented range, and the arithmetic behind it can never fail later.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic_core import CoreSchema, core_schema

from mockapi.errors import InvalidValue
from mockapi.ids import json_type

MAX_DIGITS = 1000
_DECIMAL = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}")


class NumberError(InvalidValue):
    """A number that is not accepted."""


def parse_integer(
    value: Any, minimum: int | None = None, maximum: int | None = None, text: bool = True
) -> int:
    """A whole number from an int (or, with `text`, a decimal string), within the range.

    JSON bodies pass `text=False`: there a string is not a number, as the schema says.
    """
    if isinstance(value, bool):
        raise NumberError("Invalid type. Expected: integer, given: boolean", "type", _int_type)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise NumberError("Invalid type. Expected: integer, given: number", "type", _int_type)
        number = int(value)
    elif text and isinstance(value, str) and _DECIMAL.fullmatch(value):
        number = int(value)
    else:
        given = "string" if isinstance(value, str) else json_type(value)
        raise NumberError(f"Invalid type. Expected: integer, given: {given}", "type", _int_type)
    _check_range(number, minimum, maximum)
    return number


def parse_fraction(value: Any, minimum: float = 0.0, maximum: float = 1.0) -> float:
    """A finite number (int, float or decimal string) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise NumberError(
            f"Invalid type. Expected: number, given: {json_type(value)}", "type", _num_type
        )
    try:
        number = float(value)
    except ValueError:
        raise NumberError(
            "Invalid type. Expected: number, given: string", "type", _num_type
        ) from None
    if not math.isfinite(number):
        raise NumberError("Must be a finite number", "type", _num_type)
    _check_range(number, minimum, maximum)
    return number


_int_type = {"type": "integer"}
_num_type = {"type": "number"}


def _check_range(number: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and number < minimum:
        raise NumberError(
            f"Must be greater than or equal to {minimum:g}", "minimum", {"limit": f"{minimum:g}"}
        )
    if maximum is not None and number > maximum:
        raise NumberError(
            f"Must be less than or equal to {maximum:g}", "maximum", {"limit": f"{maximum:g}"}
        )


@dataclass(frozen=True)
class IntegerRange:
    """Annotated metadata: the field is read by `parse_integer` within this range."""

    minimum: int | None = None
    maximum: int | None = None
    text: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: parse_integer(value, self.minimum, self.maximum, self.text)
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        bounds = {"minimum": self.minimum, "maximum": self.maximum}
        return {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}}


@dataclass(frozen=True)
class FractionRange:
    """Annotated metadata: the field is read by `parse_fraction` within this range."""

    minimum: float = 0.0
    maximum: float = 1.0

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: parse_fraction(value, self.minimum, self.maximum)
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}
