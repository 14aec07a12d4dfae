"""All configuration, from one pydantic-settings class: CLI flags and MOCKAPI_* variables.

`Settings(...)` in code reads nothing but its arguments, so a test session's mock never
depends on the developer's shell; `Settings.from_environment(...)` (the CLI and Docker)
reads the MOCKAPI_* variables too, with flags winning.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from mockapi.backups.clock import DEFAULT_NOW, ClockMode
from mockapi.http.auth import AuthMode
from mockapi.http.faults import MAX_RULES, FaultRule
from mockapi.ids import UUID_PATTERN
from mockapi.numbers import IntegerRange
from mockapi.timestamps import format_timestamp

ENV_PREFIX = "MOCKAPI_"
_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")
_ALIAS = re.compile(
    rf"(?P<id>{UUID_PATTERN})=(?P<short>p-[a-z0-9]{{6}})(?::(?P<description>.{{0,200}}))?"
)


class UnknownProjectMode(StrEnum):
    """What a project the mock does not know answers."""

    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"
    EMPTY = "empty"


class UnknownIdMode(StrEnum):
    """What an unknown backup or schedule id answers."""

    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"


class ApiScope(StrEnum):
    """Which operations of the document are answered."""

    ALL = "all"
    MODELLED = "modelled"


class SkipPrecedence(StrEnum):
    """When both skip and page are sent, which wins."""

    NONZERO = "nonzero"
    GIVEN = "given"


class ValidationPaths(StrEnum):
    """How a validation error item names its field."""

    BARE = "bare"
    PREFIXED = "prefixed"


class LogFormat(StrEnum):
    """How log lines are written."""

    TEXT = "text"
    JSON = "json"


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def parse_now(value: Any) -> Any:
    """`today` (midnight UTC), `now`, or an RFC 3339 time with a zone."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "now":
            return datetime.now(UTC).replace(microsecond=0)
        if word == "today":
            return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError(
                "must be an RFC 3339 time with a zone, such as 2026-01-30T12:00:00Z, or "
                f"'today' (midnight UTC) or 'now' (got {value!r})"
            )
        return parsed
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(f"{value.isoformat()} has no time zone; give one, e.g. Z or +00:00")
    return value


# Fields that take several values (comma-separated in the environment), with the metavar
# their flag shows.
_LIST_FIELDS = {
    "fixtures": "PATH",
    "tokens": "TOKEN",
    "cors_origins": "ORIGIN",
    "project_aliases": "UUID=p-xxxxxx",
}


class Settings(BaseSettings):
    """mockapi's settings; each field is a `--flag` and a `MOCKAPI_FLAG` variable."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)
    LIST_FIELDS: ClassVar[dict[str, str]] = _LIST_FIELDS

    host: str = Field("127.0.0.1", max_length=255, description="Address to listen on.")
    port: Annotated[int, IntegerRange(0, 65535, text=True)] = Field(
        8080, description="Port to listen on; 0 picks a free one."
    )
    fixtures: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Fixture files or folders of *.json files. Without fixtures or --seed "
        "the built-in default dataset is served.",
    )
    project_aliases: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Name a project's short id (and description) for plain-array fixtures: "
        "UUID=p-xxxxxx or UUID=p-xxxxxx:Description.",
    )
    seed: Annotated[int, IntegerRange(0, 2**63 - 1, text=True)] | None = Field(
        None, description="Generate data with this seed (alone or beside fixtures)."
    )
    projects: Annotated[int, IntegerRange(1, 10_000, text=True)] = Field(
        3, description="Projects to generate (with --seed)."
    )
    backups_per_project: Annotated[int, IntegerRange(0, 1_000_000, text=True)] = Field(
        30, description="Backups to generate per project (with --seed)."
    )
    now: datetime = Field(
        DEFAULT_NOW,
        description="The mock clock's start: an RFC 3339 time, 'today' (midnight UTC) or "
        "'now'. The built-in dataset moves with it; fixture files keep their dates.",
    )
    clock: ClockMode = Field(
        ClockMode.RUNNING,
        description="'running': now moves with real time from --now; 'frozen': now moves "
        "only when told (POST /_mockapi/clock).",
    )
    backup_seconds: Annotated[int, IntegerRange(0, 86_400, text=True)] = Field(
        10, description="Seconds a created backup stays InProgress."
    )
    export_seconds: Annotated[int, IntegerRange(0, 86_400, text=True)] = Field(
        30, description="Seconds an export takes (a quarter Pending, then Exporting)."
    )
    restore_seconds: Annotated[int, IntegerRange(0, 86_400, text=True)] = Field(
        30, description="Seconds a restore stays running."
    )
    export_valid_days: Annotated[int, IntegerRange(1, 365, text=True)] = Field(
        7, description="Days a completed export can be downloaded before it expires."
    )
    max_schedules_per_project: Annotated[int, IntegerRange(1, 10_000, text=True)] = Field(
        20,
        description="Backup schedules a project may have, its system schedule included; "
        "creating one more is a 412 (the real limit is unknown).",
    )
    auth: AuthMode = Field(
        AuthMode.ANY,
        description="Token check: 'any' non-empty token, 'none' at all, or 'tokens' from "
        "--tokens (others get 401).",
    )
    tokens: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Accepted tokens; implies --auth tokens."
    )
    unknown_project: UnknownProjectMode = Field(
        UnknownProjectMode.FORBIDDEN,
        description="Answer for an unknown project: 'forbidden' (403, as the real API), "
        "'not-found' (404) or 'empty' (lists answer 200 with []).",
    )
    unknown_id: UnknownIdMode = Field(
        UnknownIdMode.FORBIDDEN,
        description="Answer for an id the mock never served (a backup, a schedule, a MySQL "
        "database...): 'forbidden' (403) or 'not-found' (404).",
    )
    scope: ApiScope = Field(
        ApiScope.ALL,
        description="'all': every operation of the official document answers; 'modelled': "
        "only the 20 hand-modelled backup and project operations (404 for the rest).",
    )
    skip_precedence: SkipPrecedence = Field(
        SkipPrecedence.NONZERO,
        description="With both skip and page: 'nonzero' (a non-zero skip wins) or 'given' "
        "(any given skip wins, the spec read literally).",
    )
    validation_paths: ValidationPaths = Field(
        ValidationPaths.BARE,
        description="Validation error paths: 'bare' field names as the real API sends them "
        "(limit), or 'prefixed' with their location (query.limit).",
    )
    workers: Annotated[int, IntegerRange(1, 64, text=True)] = Field(
        1,
        description="Worker processes sharing the port, forked after loading; the API is "
        "read-only when above 1.",
    )
    access_log: bool = Field(True, description="Log one line per request (never a token).")
    log_format: LogFormat = Field(
        LogFormat.TEXT, description="Log lines as 'text' or 'json', with RFC 3339 times."
    )
    watch: bool = Field(
        False, description="Reload fixture files when they change (an invalid edit is kept out)."
    )
    state_file: Path | None = Field(
        None,
        description="Keep the state (data, schedules, the clock) in this file: loaded at start "
        "if it exists, written within a second of a change and at shutdown.",
    )
    control_api: bool = Field(
        True, description="Serve the control API under /_mockapi/ (health is always served)."
    )
    control_token: str | None = Field(
        None,
        description="Require this value in the 'x-mockapi-control-token' header of every "
        "control API call.",
    )
    journal_size: Annotated[int, IntegerRange(0, 1_000_000, text=True)] = Field(
        1000, description="Requests kept in the journal; the oldest are dropped."
    )
    console_poll_ms: Annotated[int, IntegerRange(100, 60_000, text=True)] = Field(
        1000, description="Milliseconds between the console's looks at what changed."
    )
    faults: Annotated[list[FaultRule], NoDecode] = Field(
        default_factory=list,
        description='Fault rules as a JSON array, e.g. [{"status": 503, "probability": 0.1}].',
    )
    fault_seed: Annotated[int, IntegerRange(0, 2**63 - 1, text=True)] = Field(
        0, description="Seed of the fault rules' choices."
    )
    rate_limit: Annotated[int, IntegerRange(1, 1_000_000_000, text=True)] = Field(
        3000,
        description="Requests per token per window. Headers say it on every response; "
        "giving it turns enforcement (429) on.",
    )
    rate_limit_window: Annotated[int, IntegerRange(1, 86_400, text=True)] = Field(
        600, description="Rate-limit window in seconds."
    )
    rate_limit_enforce: bool = Field(
        False, description="Answer 429 past the limit (on when --rate-limit is given)."
    )
    rate_limit_headers: bool = Field(
        True, description="Send X-RateLimit-* on every authenticated API response."
    )
    rate_limit_clients: Annotated[int, IntegerRange(1, 10_000_000, text=True)] = Field(
        10_000, description="Tokens whose windows are kept; the oldest go first."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed by CORS; '*' for any, empty to turn CORS off.",
    )
    public_url: str | None = Field(
        None,
        max_length=2048,
        description="Base URL clients reach mockapi at, for export downloadURLs "
        "(default: http://HOST:PORT).",
    )
    max_body_bytes: Annotated[int, IntegerRange(1, 1_000_000_000, text=True)] = Field(
        50_000_000, description="Largest control API request body (413 above)."
    )
    max_api_body_bytes: Annotated[int, IntegerRange(1, 100_000_000, text=True)] = Field(
        65_536, description="Largest API request body (413 above)."
    )
    max_header_bytes: Annotated[int, IntegerRange(1024, 1_048_576, text=True)] = Field(
        65_536, description="Largest request line plus headers (431 above)."
    )
    timeout_keep_alive: Annotated[int, IntegerRange(1, 3600, text=True)] = Field(
        5, description="Seconds an idle keep-alive connection stays open."
    )
    timeout_headers: Annotated[int, IntegerRange(1, 3600, text=True)] = Field(
        10, description="Seconds a client has to send a request's line and headers."
    )
    timeout_body: Annotated[int, IntegerRange(1, 3600, text=True)] = Field(
        60, description="Seconds a client has to send a request body (408 after)."
    )
    timeout_graceful_shutdown: Annotated[int, IntegerRange(0, 3600, text=True)] = Field(
        5,
        description="Seconds requests in flight may take to finish on SIGTERM; still running "
        "then, they get a JSON 503.",
    )
    limit_concurrency: Annotated[int, IntegerRange(1, 100_000, text=True)] = Field(
        1000,
        description="Open connections (and requests in flight) served at once; more get "
        "503 and a log line.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the arguments: code is never bent by the shell's MOCKAPI_* variables."""
        return (init_settings,)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Flags, then MOCKAPI_* variables (the CLI and Docker); flags win."""
        return _EnvironmentSettings.read(dict(os.environ if environ is None else environ), flags)

    @field_validator(*_LIST_FIELDS, mode="before")
    @classmethod
    def _comma_lists(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("now", mode="before")
    @classmethod
    def _now(cls, value: Any) -> Any:
        return parse_now(value)

    @field_validator("faults", mode="before")
    @classmethod
    def _json_rules(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return []
            try:
                return json.loads(value)
            except ValueError:
                raise ValueError(
                    'must be a JSON array of fault rules, e.g. [{"status": 503, "count": 1}]'
                ) from None
        return value

    @field_validator("faults")
    @classmethod
    def _few_rules(cls, rules: list[FaultRule]) -> list[FaultRule]:
        if len(rules) > MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} fault rules (got {len(rules)})")
        return rules

    @field_validator("tokens")
    @classmethod
    def _visible_ascii(cls, tokens: list[str]) -> list[str]:
        for token in tokens:
            if not _TOKEN.fullmatch(token):
                raise ValueError(
                    "tokens must be 1 to 4096 visible ASCII characters (no spaces, no "
                    "non-ASCII letters: headers carry them byte for byte)"
                )
        return tokens

    @field_validator("control_token")
    @classmethod
    def _control_token(cls, token: str | None) -> str | None:
        if token is not None and not _TOKEN.fullmatch(token):
            raise ValueError(
                "must be 1 to 4096 visible ASCII characters; an empty control token would "
                "open the control API to anyone"
            )
        return token

    @field_validator("project_aliases")
    @classmethod
    def _aliases(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            if not _ALIAS.fullmatch(alias):
                raise ValueError(
                    f"each alias must be UUID=p-xxxxxx or UUID=p-xxxxxx:Description "
                    f"(got {alias[:80]!r})"
                )
        return aliases

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str | None) -> str | None:
        if url is not None and not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", url):
            raise ValueError(f"must be an http(s) URL such as http://mockapi:8080 (got {url!r})")
        return None if url is None else url.rstrip("/")

    @model_validator(mode="after")
    def _implied(self) -> Settings:
        given = self.model_fields_set
        if self.tokens and "auth" not in given:
            object.__setattr__(self, "auth", AuthMode.TOKENS)
        if self.auth is AuthMode.TOKENS and not self.tokens:
            raise ValueError("auth mode 'tokens' needs at least one token in --tokens")
        if "rate_limit" in given and "rate_limit_enforce" not in given:
            object.__setattr__(self, "rate_limit_enforce", True)
        if self.workers > 1:
            _check_single_process_features(self)
        return self

    @property
    def uses_default_dataset(self) -> bool:
        """True when neither fixtures nor generation are asked for."""
        return not self.fixtures and self.seed is None

    def aliases(self) -> list[tuple[str, str, str]]:
        """(UUID, short id, description) of each --project-alias."""
        found = []
        for alias in self.project_aliases:
            match = _ALIAS.fullmatch(alias)
            assert match is not None  # validated
            found.append((match["id"].lower(), match["short"], match["description"] or ""))
        return found

    def base_url(self, port: int) -> str:
        """Where clients reach the server: --public-url, or http://HOST:PORT."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def _check_single_process_features(settings: Settings) -> None:
    """Refuse settings whose meaning changes with several processes, saying why."""
    problems = []
    if any(rule.count is not None for rule in settings.faults):
        problems.append("fault rules with 'count' would fire once per worker")
    if settings.rate_limit_enforce:
        problems.append("an enforced rate limit would let each token through once per worker")
    if settings.clock is ClockMode.FROZEN:
        problems.append("a frozen clock could be moved in one worker only")
    if settings.watch:
        problems.append("--watch would reload one worker only")
    if settings.state_file is not None:
        problems.append("--state-file would keep nothing: the API is read-only with workers")
    if problems:
        raise ValueError(
            f"--workers {settings.workers} cannot be combined with: " + "; ".join(problems)
        )


class _EnvironmentSettings(Settings):
    """Settings that also read MOCKAPI_* variables (flags win); for the CLI and Docker."""

    _environ: ClassVar[dict[str, str]] = {}

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags first, then the given environment."""
        source = EnvSettingsSource(settings_cls, case_sensitive=False)
        source.env_vars = {k.lower(): v for k, v in cls._environ.items()}
        return (init_settings, source)

    @classmethod
    def read(cls, environ: dict[str, str], flags: dict[str, Any]) -> Settings:
        """Validate flags and variables together, then hand back plain Settings."""
        cls._environ = environ
        try:
            values = cls(**flags)
        finally:
            cls._environ = {}
        return Settings(**{name: getattr(values, name) for name in values.model_fields_set})


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A warning for each MOCKAPI_* variable that names no setting, with the closest one."""
    known = [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]
    warnings = []
    for name in sorted(environ):
        if name.startswith(ENV_PREFIX) and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            warnings.append(f"mockapi: {name} is not a mockapi setting{hint}")
    return warnings


def shown_default(value: Any) -> str:
    """A setting's default as --help shows it."""
    if value is None or value == []:
        return "none"
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, StrEnum):
        return str(value.value)
    return str(value)
