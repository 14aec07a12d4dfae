"""Parse and validate the list operation's raw query string into a frozen BackupQuery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from mockapi.errors import FieldError, UriTooLong, ValidationFailed

DEFAULT_LIMIT = 1000
MAX_QUERY_LENGTH = 8192
MAX_INTEGER_DIGITS = 1000
_CACHED_QUERY_LENGTH = 512
SORT_ORDERS = ("oldestFirst", "newestFirst")
PARAMETERS = (
    "searchTerm",
    "withExportsOnly",
    "sortOrder",
    "runningRestoresOnly",
    "runningBackupsOnly",
    "limit",
    "skip",
    "page",
)
_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{MAX_INTEGER_DIGITS}}}")


@dataclass(frozen=True, slots=True)
class BackupQuery:
    """A validated query with paging already resolved to an effective limit and skip."""

    search_term: str = ""
    with_exports_only: bool = False
    running_restores_only: bool = False
    running_backups_only: bool = False
    newest_first: bool = False
    limit: int = DEFAULT_LIMIT
    skip: int = 0


def _error(name: str, value: str, kind: str, message: str, **context: str) -> FieldError:
    return FieldError(
        path=f"query.{name}",
        message=f"{name} {message} (got {value!r})",
        type=kind,
        context=context,
    )


def _boolean(name: str, value: str, errors: list[FieldError]) -> bool:
    if value in ("true", "false"):
        return value == "true"
    errors.append(_error(name, value, "type", "must be a boolean: true or false", type="boolean"))
    return False


def _integer(name: str, value: str, minimum: int | None, errors: list[FieldError]) -> int:
    if not _INTEGER.fullmatch(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        errors.append(
            _error(
                name,
                shown,
                "type",
                f"must be an integer of at most {MAX_INTEGER_DIGITS} digits",
                type="integer",
            )
        )
        return 0
    number = int(value)
    if minimum is not None and number < minimum:
        errors.append(
            _error(
                name,
                value,
                "minimum",
                f"must be >= {minimum}",
                comparison=">=",
                limit=str(minimum),
            )
        )
    return number


def parse_query(raw: str, given_skip_wins: bool = False) -> BackupQuery:
    """Validate a raw query string; raise ValidationFailed naming every bad parameter.

    `given_skip_wins` reads the spec literally (any given skip beats page, even skip=0);
    by default skip=0 counts as not given.
    """
    if len(raw) > MAX_QUERY_LENGTH:
        raise UriTooLong(
            f"the query string has {len(raw)} characters; at most {MAX_QUERY_LENGTH} are accepted"
        )
    # Load tests repeat the same few short query strings, so those are cached (results are
    # immutable); long ones are not, so the cache's memory stays small.
    if len(raw) <= _CACHED_QUERY_LENGTH:
        return _parse_cached(raw, given_skip_wins)
    return _parse(raw, given_skip_wins)


@lru_cache(maxsize=4096)
def _parse_cached(raw: str, given_skip_wins: bool) -> BackupQuery:
    return _parse(raw, given_skip_wins)


def _parse(raw: str, given_skip_wins: bool) -> BackupQuery:
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    counts: dict[str, int] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        if name not in PARAMETERS:
            continue  # unknown parameters are ignored, as the real API does
        counts[name] = counts.get(name, 0) + 1
        values[name] = value
    for name in PARAMETERS:
        if counts.get(name, 0) > 1:
            # Repeating a parameter is ambiguous; answer clearly instead of guessing one value.
            errors.append(
                FieldError(
                    path=f"query.{name}",
                    message=f"{name} must be given at most once (got {counts[name]} values)",
                    type="type",
                    context={"type": "single value"},
                )
            )
            del values[name]
    # An empty value is a value: "" is no integer, boolean or sort order (only an empty
    # searchTerm is meaningful: no filter).
    given = values

    flags = {
        name: _boolean(name, given[name], errors) if name in given else False
        for name in ("withExportsOnly", "runningRestoresOnly", "runningBackupsOnly")
    }
    sort_order = given.get("sortOrder", "oldestFirst")
    if sort_order not in SORT_ORDERS:
        errors.append(
            _error(
                "sortOrder",
                sort_order,
                "enum",
                "must be one of: oldestFirst, newestFirst",
                allowedValues="oldestFirst, newestFirst",
            )
        )
    limit = _integer("limit", given["limit"], 0, errors) if "limit" in given else 0
    skip = _integer("skip", given["skip"], None, errors) if "skip" in given else 0
    page = _integer("page", given["page"], 0, errors) if "page" in given else 0
    if errors:
        errors.sort(key=lambda e: PARAMETERS.index(e.path.removeprefix("query.")))
        raise ValidationFailed(errors)

    limit = limit or DEFAULT_LIMIT
    # skip=0 counts as "not given": the official Python client always sends it beside page.
    if skip > 0 or (given_skip_wins and "skip" in given):
        effective_skip = max(skip, 0)
    elif page > 0:
        effective_skip = (page - 1) * limit
    else:
        effective_skip = 0
    return BackupQuery(
        search_term=given.get("searchTerm", ""),
        with_exports_only=flags["withExportsOnly"],
        running_restores_only=flags["runningRestoresOnly"],
        running_backups_only=flags["runningBackupsOnly"],
        newest_first=sort_order == "newestFirst",
        limit=limit,
        skip=effective_skip,
    )
