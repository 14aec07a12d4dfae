"""Record a real account through the API into a fixture document, optionally anonymised.

The recorder reads projects, backups and backup schedules with the API's own paging and
rate-limit headers, and makes a document `mockapi validate` accepts and `mockapi serve`
serves. It is data acquisition only: no server, no state. The token goes into one request
header and nowhere else: never into the document, a progress line, a log or an error.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx2
from faker import Faker

from mockapi.backups.archive import PLACEHOLDER_ORIGIN
from mockapi.backups.dataset import derive_short_id
from mockapi.data.fixtures import parse_document
from mockapi.data.models import Project, ProjectBackup, ProjectBackupSchedule, WireModel
from mockapi.data.upstream import DEFAULT_API_URL, MAX_PAGE_SIZE, TOKEN_VARIABLE
from mockapi.ids import UUID, uuid_from_bits

PROJECT_PAGE_SIZE = 1000
# A 429 or a passing server error is retried this often before the recording stops.
MAX_RETRIES = 5
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")
_SHORT_ID = re.compile(r"p-[a-z0-9]{6}")


class RecordError(Exception):
    """The recording cannot go on; the message is one line and never holds the token."""


@dataclass(frozen=True)
class RecordOptions:
    """What to record, from where, with which token."""

    token: str
    projects: tuple[str, ...] = ()  # UUIDs or short ids; empty: every project of the token
    api_url: str = DEFAULT_API_URL
    page_size: int = MAX_PAGE_SIZE
    anonymize: bool = False
    timeout_s: float = 30.0


def check_options(options: RecordOptions) -> None:
    """Refuse options the recording cannot start with (RecordError; the token never shown)."""
    if not _TOKEN.fullmatch(options.token):
        raise RecordError(
            "the token must be 1 to 4096 visible ASCII characters (it is not shown here)"
        )
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", options.api_url):
        raise RecordError(f"--api-url must be an http(s) URL such as {DEFAULT_API_URL}")
    if not 1 <= options.page_size <= MAX_PAGE_SIZE:
        raise RecordError(f"--page-size must be 1 to {MAX_PAGE_SIZE} (got {options.page_size})")


class Upstream:
    """GET requests to the API that honour its rate limit and retry a 429 after its wait."""

    def __init__(
        self,
        client: httpx2.Client,
        notify: Callable[[str], None],
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.notify = notify
        self.sleep = sleep
        self.requests = 0
        self._wait_s = 0.0  # owed to the rate limit before the next request

    def get(self, path: str, params: dict[str, int] | None, who: str) -> httpx2.Response:
        """One answered GET (2xx); 401/403/404 and lasting failures raise RecordError."""
        for attempt in range(MAX_RETRIES + 1):
            if self._wait_s > 0:
                self.sleep(self._wait_s)
                self._wait_s = 0.0
            try:
                response = self.client.get(path, params=params)
            except httpx2.TransportError as error:
                # Refused or unresolvable stays so: only a connection lost midway is retried.
                if attempt == MAX_RETRIES or isinstance(error, httpx2.ConnectError):
                    raise RecordError(
                        f"{who}: cannot reach the API at {self.client.base_url}: "
                        f"{type(error).__name__} (check --api-url and the network)"
                    ) from None
                self._wait_s = 2.0**attempt
                continue
            self.requests += 1
            self._note_rate_limit(response)
            status = response.status_code
            if status < 300:
                return response
            if status in RETRIED_STATUSES and attempt < MAX_RETRIES:
                wait = _retry_after(response) if status == 429 else 2.0**attempt
                self._wait_s = max(self._wait_s, wait)
                reason = "rate limited (429)" if status == 429 else f"the API answered {status}"
                self.notify(f"{who}: {reason}, retrying in {self._wait_s:g} s")
                continue
            raise RecordError(_refusal(who, path, response))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _note_rate_limit(self, response: httpx2.Response) -> None:
        """When the window is used up, wait for its reset before the next request."""
        remaining = _header_number(response, "x-ratelimit-remaining")
        if remaining is not None and remaining <= 0 and response.status_code != 429:
            wait = _reset_s(response)
            self._wait_s = max(self._wait_s, wait)
            self.notify(f"rate limit used up: waiting {wait:g} s for X-RateLimit-Reset")

    def pages(self, path: str, page_size: int, who: str) -> Iterator[list[Any]]:
        """Every page of a list, by limit and skip, until X-Pagination-TotalCount is read."""
        skip = 0
        while True:
            response = self.get(path, {"limit": page_size, "skip": skip}, who)
            items = _json_list(response, who, path)
            yield items
            skip += len(items)
            total = _header_number(response, "x-pagination-totalcount")
            if not items or (total is not None and skip >= total):
                return
            if total is None and len(items) < page_size:
                return


def _header_number(response: httpx2.Response, name: str) -> float | None:
    value = response.headers.get(name)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _reset_s(response: httpx2.Response) -> float:
    """Seconds until the rate-limit window resets (X-RateLimit-Reset; seconds or an epoch)."""
    reset = _header_number(response, "x-ratelimit-reset")
    if reset is None:
        return 1.0
    if reset > 1_000_000_000:  # an epoch time rather than seconds to wait
        reset -= time.time()
    return min(max(reset, 0.0), 3600.0)


def _retry_after(response: httpx2.Response) -> float:
    retry = _header_number(response, "retry-after")
    return min(max(retry, 0.0), 3600.0) if retry is not None else max(_reset_s(response), 1.0)


def _refusal(who: str, path: str, response: httpx2.Response) -> str:
    status = response.status_code
    if status == 401:
        return f"{who}: the API refused the token (401); check --token or {TOKEN_VARIABLE}"
    if status == 403:
        return (
            f"{who}: the API answered 403 Forbidden: the token may not read it, or it does not "
            "exist"
        )
    if status == 404:
        return f"{who}: the API answered 404 Not Found"
    return f"{who}: the API answered {status} to GET {path}"


def _json_list(response: httpx2.Response, who: str, path: str) -> list[Any]:
    data = _json(response, who, path)
    if not isinstance(data, list):
        raise RecordError(f"{who}: GET {path} did not answer a JSON array")
    return data


def _json(response: httpx2.Response, who: str, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise RecordError(f"{who}: GET {path} did not answer JSON") from None


# --- the document ------------------------------------------------------------------------


def _cleaned(item: Any, model: type[WireModel], dropped: set[str]) -> Any:
    """The item with the fields its spec model knows, without nulls (the wire omits them).

    A field the API sends and the model does not know would make the document invalid; it
    is left out and named once on stderr.
    """
    if not isinstance(item, dict):
        return item
    known = model.model_fields
    kept = {}
    for key, value in item.items():
        if value is None:
            continue
        if key not in known:
            dropped.add(f"{model.__name__}.{key}")
            continue
        kept[key] = _without_nulls(value)
    return kept


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def record(
    options: RecordOptions,
    progress: Callable[[str], None],
    transport: httpx2.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """The account's projects, schedules and backups as a fixture document."""
    check_options(options)
    headers = {"x-access-token": options.token, "accept": "application/json"}
    with httpx2.Client(
        base_url=options.api_url.rstrip("/"),
        headers=headers,
        timeout=options.timeout_s,
        transport=transport,
        follow_redirects=False,
    ) as client:
        try:
            document = _record(Upstream(client, progress, sleep), options, progress)
        except RecordError as error:
            # Belt and braces: whatever an error quotes, the token is not in it.
            raise RecordError(str(error).replace(options.token, "<token>")) from None
    _check_document(document)
    if options.anonymize:
        document = anonymize(document)
        _check_document(document)
    return document


def _record(
    upstream: Upstream, options: RecordOptions, progress: Callable[[str], None]
) -> dict[str, Any]:
    dropped: set[str] = set()
    if options.projects:
        asked = list(dict.fromkeys(options.projects))
    else:
        asked = []
        for page in upstream.pages("/v2/projects", PROJECT_PAGE_SIZE, "project list"):
            asked += [str(item["id"]) for item in page if isinstance(item, dict) and "id" in item]
        asked = list(dict.fromkeys(asked))
        progress(f"{len(asked)} project{'s' * (len(asked) != 1)} readable with this token")
    projects: list[Any] = []
    schedules: list[Any] = []
    backups: list[Any] = []
    for wanted in asked:
        who = f"project {wanted}"
        path = f"/v2/projects/{quote(wanted, safe='')}"
        found = _json(upstream.get(path, None, who), who, path)
        if not isinstance(found, dict) or not isinstance(found.get("id"), str):
            raise RecordError(f"{who}: GET {path} did not answer a project")
        project_id = found["id"]
        who = f"project {found.get('shortId', wanted)}"
        projects.append(_cleaned(found, Project, dropped))
        base = f"/v2/projects/{quote(project_id, safe='')}"
        path = f"{base}/backup-schedules"
        found_schedules = _json_list(upstream.get(path, None, who), who, path)
        schedules += [_cleaned(s, ProjectBackupSchedule, dropped) for s in found_schedules]
        seen: set[str] = set()
        count = 0
        for page in upstream.pages(f"{base}/backups", options.page_size, who):
            for item in page:
                # Paging by skip while backups come and go can repeat one: keep it once.
                key = item.get("id") if isinstance(item, dict) else None
                if isinstance(key, str) and key in seen:
                    continue
                seen.add(str(key))
                backups.append(_cleaned(item, ProjectBackup, dropped))
                count += 1
        progress(
            f"{who} ({project_id}): {count:,} backup{'s' * (count != 1)}, "
            f"{len(found_schedules)} schedule{'s' * (len(found_schedules) != 1)}"
        )
    for name in sorted(dropped):
        progress(f"warning: left out {name}: not a field of the spec's schema")
    return {"projects": projects, "schedules": schedules, "backups": backups}


def _check_document(document: dict[str, Any]) -> None:
    """The document as `mockapi validate` reads it; a problem stops the recording."""
    _, problems = parse_document("recording", document)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RecordError(f"the API's answer is no valid fixture: {problems[0]}{more}")


# --- anonymising -------------------------------------------------------------------------

# Project fields kept when anonymising: times, states, sizes. The others name the account
# (customer, server, cluster, directories); the mock derives them from the new UUID.
_KEPT_PROJECT_FIELDS = frozenset(
    {
        "backupStorageUsageInBytes",
        "backupStorageUsageInBytesSetAt",
        "createdAt",
        "deletionRequested",
        "description",
        "disableReason",
        "disabledAt",
        "enabled",
        "features",
        "id",
        "isReady",
        "readiness",
        "shortId",
        "spec",
        "status",
        "statusSetAt",
        "supportedFeatures",
        "webStorageUsageInBytes",
        "webStorageUsageInBytesSetAt",
    }
)


class Anonymizer:
    """Consistent replacements: the same id or short id gets the same new one everywhere."""

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker()
        self.fake.seed_instance(self.rng.getrandbits(64))
        self.ids: dict[str, str] = {}
        self.short_ids: dict[str, str] = {}

    def id(self, value: str) -> str:
        """The replacement of a UUID (case does not matter)."""
        key = value.lower()
        new = self.ids.get(key)
        if new is None:
            new = self.ids[key] = uuid_from_bits(self.rng.getrandbits(128))
        return new

    def short_id(self, value: str, project_id: str) -> str:
        """A new short id, derived from the project's new UUID."""
        new = self.short_ids.get(value)
        if new is None:
            new = derive_short_id(self.id(project_id), set(self.short_ids.values()))
            self.short_ids[value] = new
        return new

    def text(self, value: str) -> str:
        """Generated words of about the same length."""
        if not value:
            return value
        words: list[str] = []
        while sum(len(w) + 1 for w in words) <= len(value):
            words.append(self.fake.word())
        text = " ".join(words)[: len(value)].strip() or self.fake.word()
        return text[0].upper() + text[1:]

    def path(self, value: str) -> str:
        """A path with each segment replaced, keeping its slashes."""
        return "/".join(self.token(part) if part else part for part in value.split("/"))

    def token(self, value: str) -> str:
        """A word-like replacement of about the same length, without spaces."""
        return self.text(value).replace(" ", "-").lower() if value else value

    def strings(self, value: Any) -> Any:
        """Every UUID and known short id inside any string replaced."""
        if isinstance(value, dict):
            return {k: self.strings(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.strings(v) for v in value]
        if isinstance(value, str):
            value = UUID.sub(lambda m: self.id(m[0]), value)
            return _SHORT_ID.sub(lambda m: self.short_ids.get(m[0], m[0]), value)
        return value


def anonymize(document: dict[str, Any], seed: int | None = None) -> dict[str, Any]:
    """The document with new ids, short ids, names, descriptions and paths.

    Times and statuses stay; exports are served from the mock's own URL.
    """
    anon = Anonymizer(seed)
    for project in document["projects"]:
        if "shortId" in project:
            anon.short_id(project["shortId"], project["id"])
    projects = []
    for project in document["projects"]:
        kept = {k: v for k, v in project.items() if k in _KEPT_PROJECT_FIELDS}
        if "description" in kept:
            kept["description"] = anon.text(kept["description"])
        projects.append(kept)
    schedules = [_described(schedule, anon) for schedule in document["schedules"]]
    backups = [_anonymous_backup(backup, anon) for backup in document["backups"]]
    # Ids last, everywhere at once: the same old id becomes the same new one in every field.
    result: dict[str, Any] = anon.strings(
        {"projects": projects, "schedules": schedules, "backups": backups}
    )
    return result


def _described(item: dict[str, Any], anon: Anonymizer) -> dict[str, Any]:
    item = dict(item)
    if "description" in item:
        item["description"] = anon.text(item["description"])
    return item


def _anonymous_backup(backup: dict[str, Any], anon: Anonymizer) -> dict[str, Any]:
    backup = _described(backup, anon)
    export = backup.get("export")
    if export is not None:
        export = dict(export)
        if "downloadURL" in export:
            # The placeholder origin makes the mock serve the export from its own URL.
            export["downloadURL"] = f"{PLACEHOLDER_ORIGIN}/{backup['id']}"
        if "sha256Checksum" in export:
            digits = len(export["sha256Checksum"])
            export["sha256Checksum"] = f"{anon.rng.getrandbits(4 * digits):0{digits}x}"
        backup["export"] = export
    restore = backup.get("restore")
    if restore is not None:
        restore = dict(restore)
        if "databaseRestores" in restore:
            restore["databaseRestores"] = [
                {**item, "databaseBackupDump": anon.token(item["databaseBackupDump"])}
                for item in restore["databaseRestores"]
            ]
        if "pathRestore" in restore:
            restore["pathRestore"] = _anonymous_paths(restore["pathRestore"], anon)
        backup["restore"] = restore
    if "restorePath" in backup:
        backup["restorePath"] = _anonymous_paths(backup["restorePath"], anon)
    return backup


_PATH_FIELDS = ("determinedTargetPath", "targetRestorePath", "sourcePath", "targetPath")


def _anonymous_paths(paths: dict[str, Any], anon: Anonymizer) -> dict[str, Any]:
    paths = dict(paths)
    for name in _PATH_FIELDS:
        if name in paths:
            paths[name] = anon.path(paths[name])
    if "sourcePaths" in paths:
        paths["sourcePaths"] = [anon.path(p) for p in paths["sourcePaths"]]
    return paths
