"""List queries parsed into frozen objects, and the one paging engine every list uses.

Nothing here knows HTTP: a raw query string goes in, a frozen query or a ValidationFailed
naming every bad parameter comes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

from mockapi.errors import FieldError, UriTooLong, ValidationFailed
from mockapi.ids import UUID
from mockapi.numbers import NumberError, parse_integer

MAX_QUERY_LENGTH = 8192
BACKUP_DEFAULT_LIMIT = 1000
PROJECT_DEFAULT_LIMIT = 10000
_CACHED_QUERY_LENGTH = 512
_TRUE = ("true", "1")
_FALSE = ("false", "0")


@dataclass(frozen=True, slots=True)
class Paging:
    """An effective limit and skip, resolved from limit, skip and page."""

    limit: int
    skip: int

    @property
    def page(self) -> int:
        """The page the pagination header names: skip // limit + 1."""
        return self.skip // self.limit + 1

    def window(self, total: int, reverse: bool = False) -> range:
        """Positions in an ascending list of `total` items that this page shows, in order.

        `reverse` counts from the end of the same list, so descending order needs no copy.
        """
        skip, limit = self.skip, self.limit
        if reverse:
            start, stop = max(total - skip - limit, 0), max(total - skip, 0)
            return range(stop - 1, start - 1, -1)
        return range(min(skip, total), min(skip + limit, total))


class QueryReader:
    """Reads one raw query string; collects a FieldError for every bad parameter."""

    def __init__(self, raw: str, known: dict[str, str]) -> None:
        if len(raw) > MAX_QUERY_LENGTH:
            raise UriTooLong(
                f"the query string has {len(raw)} characters; at most {MAX_QUERY_LENGTH} "
                "are accepted"
            )
        self.known = known
        self.errors: list[FieldError] = []
        self.values: dict[str, str] = {}
        repeated: set[str] = set()
        for name, value in parse_qsl(raw, keep_blank_values=True):
            if name not in known:
                continue  # unknown parameters are ignored, as the real API does
            if name in self.values:
                repeated.add(name)
            self.values[name] = value
        for name in repeated:
            # A repeated parameter arrives as an array: ambiguous, so a clear answer.
            del self.values[name]
            expected = known[name]
            self.fail(
                name,
                "type",
                f"Invalid type. Expected: {expected}, given: array",
                {"type": expected},
            )

    def fail(self, name: str, kind: str, message: str, context: dict[str, str]) -> None:
        """Record one bad parameter."""
        self.errors.append(FieldError(name, kind, message, context))

    def string(self, name: str) -> str:
        """A free-text parameter ('' when absent)."""
        return self.values.get(name, "")

    def boolean(self, name: str) -> bool:
        """true/false, or 1/0 as PHP's http_build_query sends booleans."""
        value = self.values.get(name)
        if value is None or value in _FALSE:
            return False
        if value in _TRUE:
            return True
        self.fail(
            name, "type", "Invalid type. Expected: boolean, given: string", {"type": "boolean"}
        )
        return False

    def integer(self, name: str, minimum: int | None = None) -> int | None:
        """A decimal integer (None when absent)."""
        value = self.values.get(name)
        if value is None:
            return None
        try:
            return parse_integer(value, minimum)
        except NumberError as error:
            self.fail(name, error.kind, str(error), error.context)
            return None

    def enum(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        """One of `allowed` (the default when absent)."""
        value = self.values.get(name, default)
        if value in allowed:
            return value
        shown = ", ".join(f'"{a}"' for a in allowed)
        self.fail(
            name,
            "enum",
            f"{name} must be one of the following: {shown}",
            {"allowedValues": ", ".join(allowed)},
        )
        return default

    def uuid(self, name: str) -> str | None:
        """A UUID (None when absent)."""
        value = self.values.get(name)
        if value is None or UUID.fullmatch(value):
            return None if value is None else value.lower()
        self.fail(name, "format", "Does not match format 'uuid'", {"format": "uuid"})
        return None

    def paging(self, default_limit: int, given_skip_wins: bool) -> Paging:
        """limit, skip and page as one effective (limit, skip).

        limit=0 means the default; page is 1-based (0 means 1); a non-zero skip wins over
        page, and with `given_skip_wins` any given skip does (the spec read literally).
        """
        limit = self.integer("limit", 0) or default_limit
        skip = self.integer("skip")
        page = self.integer("page", 0) or 0
        if skip is not None and (skip > 0 or given_skip_wins):
            return Paging(limit, max(skip, 0))
        return Paging(limit, (page - 1) * limit if page > 0 else 0)

    def finish(self) -> None:
        """Raise ValidationFailed naming every bad parameter, in the spec's order."""
        if self.errors:
            order = list(self.known).index
            raise ValidationFailed(sorted(self.errors, key=lambda e: order(e.name)))


# Each operation's query parameters, in the spec's order, with their JSON types.
BACKUP_PARAMETERS = {
    "searchTerm": "string",
    "withExportsOnly": "boolean",
    "sortOrder": "string",
    "runningRestoresOnly": "boolean",
    "runningBackupsOnly": "boolean",
    "limit": "integer",
    "skip": "integer",
    "page": "integer",
}
SORT_ORDERS = ("oldestFirst", "newestFirst")


@dataclass(frozen=True, slots=True)
class BackupQuery:
    """A validated backup-list query."""

    search_term: str = ""
    with_exports_only: bool = False
    running_restores_only: bool = False
    running_backups_only: bool = False
    newest_first: bool = False
    paging: Paging = Paging(BACKUP_DEFAULT_LIMIT, 0)


def parse_backup_query(raw: str, given_skip_wins: bool = False) -> BackupQuery:
    """Validate a raw backup-list query string; raise ValidationFailed or UriTooLong."""
    # Load tests repeat the same few short query strings, so those are cached (results are
    # immutable); long ones are not, so the cache's memory stays small.
    if len(raw) <= _CACHED_QUERY_LENGTH:
        return _backup_query_cached(raw, given_skip_wins)
    return _backup_query(raw, given_skip_wins)


@lru_cache(maxsize=4096)
def _backup_query_cached(raw: str, given_skip_wins: bool) -> BackupQuery:
    return _backup_query(raw, given_skip_wins)


def _backup_query(raw: str, given_skip_wins: bool) -> BackupQuery:
    reader = QueryReader(raw, BACKUP_PARAMETERS)
    query = BackupQuery(
        search_term=reader.string("searchTerm"),
        with_exports_only=reader.boolean("withExportsOnly"),
        running_restores_only=reader.boolean("runningRestoresOnly"),
        running_backups_only=reader.boolean("runningBackupsOnly"),
        newest_first=reader.enum("sortOrder", SORT_ORDERS, "oldestFirst") == "newestFirst",
        paging=reader.paging(BACKUP_DEFAULT_LIMIT, given_skip_wins),
    )
    reader.finish()
    return query


PROJECT_PARAMETERS = {
    "customerId": "string",
    "serverId": "string",
    "searchTerm": "string",
    "limit": "integer",
    "skip": "integer",
    "page": "integer",
    "sort": "string",
    "order": "string",
}


@dataclass(frozen=True, slots=True)
class ProjectQuery:
    """A validated project-list query."""

    customer_id: str | None = None
    server_id: str | None = None
    search_term: str = ""
    sort: str = "createdAt"
    descending: bool = False
    paging: Paging = Paging(PROJECT_DEFAULT_LIMIT, 0)


def parse_project_query(raw: str, given_skip_wins: bool = False) -> ProjectQuery:
    """Validate a raw project-list query string; raise ValidationFailed or UriTooLong."""
    reader = QueryReader(raw, PROJECT_PARAMETERS)
    customer = reader.values.get("customerId")
    query = ProjectQuery(
        customer_id=customer if customer else None,
        server_id=reader.uuid("serverId"),
        search_term=reader.string("searchTerm"),
        paging=reader.paging(PROJECT_DEFAULT_LIMIT, given_skip_wins),
        sort=reader.enum("sort", ("createdAt", "description"), "createdAt"),
        descending=reader.enum("order", ("asc", "desc"), "asc") == "desc",
    )
    reader.finish()
    return query
