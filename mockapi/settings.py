"""All configuration, from one pydantic-settings class: CLI flags and MOCKAPI_* variables."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from mockapi.faults import FaultRule
from mockapi.generate import DEFAULT_NOW


class AuthMode(StrEnum):
    """How access tokens are checked."""

    ANY = "any"
    NONE = "none"
    TOKENS = "tokens"


class UnknownProjectMode(StrEnum):
    """What a project the mock does not know answers."""

    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"
    EMPTY = "empty"


class SkipPrecedence(StrEnum):
    """When both skip and page are sent, which wins."""

    NONZERO = "nonzero"
    GIVEN = "given"


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """mockapi's settings; each field is a `--flag` and a `MOCKAPI_FLAG` variable."""

    model_config = SettingsConfigDict(env_prefix="MOCKAPI_", extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8080, ge=0, le=65535, description="Port to listen on; 0 picks a free one.")
    fixtures: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Fixture files or folders of *.json files (comma-separated in the "
        "environment). Without fixtures or --seed the built-in default dataset is served.",
    )
    seed: int | None = Field(
        None, description="Generate data with this seed (alone or beside fixtures)."
    )
    projects: int = Field(3, ge=1, description="Projects to generate (with --seed).")
    backups_per_project: int = Field(
        30, ge=0, description="Backups to generate per project (with --seed)."
    )
    now: AwareDatetime = Field(
        DEFAULT_NOW,
        description="Reference 'now' for generated data (RFC 3339); fixed so data never drifts.",
    )
    auth: AuthMode = Field(
        AuthMode.ANY,
        description="Token check: 'any' non-empty token, 'none' at all, or 'tokens' from "
        "--tokens (others get 403).",
    )
    tokens: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Accepted tokens (comma-separated in the environment); implies --auth tokens.",
    )
    unknown_project: UnknownProjectMode = Field(
        UnknownProjectMode.FORBIDDEN,
        description="Answer for an unknown project: 'forbidden' (403, as the real API), "
        "'not-found' (404) or 'empty' (200 with []).",
    )
    skip_precedence: SkipPrecedence = Field(
        SkipPrecedence.NONZERO,
        description="With both skip and page: 'nonzero' (a non-zero skip wins, skip=0 counts "
        "as not given, as the official Python client sends it) or 'given' (any given skip "
        "wins, the spec read literally).",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Worker processes sharing the port, forked after loading so every worker "
        "serves identical data. Runtime data changes are refused when above 1.",
    )
    access_log: bool = Field(True, description="Log one line per request (never a token).")
    control_api: bool = Field(
        True, description="Serve the control API under /_mockapi/ (health is always served)."
    )
    control_token: str | None = Field(
        None,
        description="Require this value in the 'x-mockapi-control-token' header of every "
        "control API call.",
    )
    journal_size: int = Field(
        1000, ge=0, description="Requests kept in the journal; the oldest are dropped."
    )
    faults: Annotated[list[FaultRule], NoDecode] = Field(
        default_factory=list,
        description='Fault rules as a JSON array, e.g. [{"status": 503, "probability": 0.1}].',
    )
    fault_seed: int = Field(0, description="Seed of the fault rules' random choices.")
    rate_limit: int = Field(
        0, ge=0, description="Requests allowed per token per window; 0 turns limiting off."
    )
    rate_limit_window: float = Field(60.0, gt=0, description="Rate-limit window in seconds.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed by CORS (comma-separated in the environment); "
        "'*' for any, empty to turn CORS off.",
    )
    max_body_bytes: int = Field(
        50_000_000, ge=1, description="Largest control API request body accepted (413 above)."
    )

    @field_validator("fixtures", "tokens", "cors_origins", mode="before")
    @classmethod
    def _comma_lists(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("faults", mode="before")
    @classmethod
    def _json_rules(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else []
        return value

    @model_validator(mode="after")
    def _tokens_imply_token_auth(self) -> Settings:
        if self.tokens and "auth" not in self.model_fields_set:
            object.__setattr__(self, "auth", AuthMode.TOKENS)
        if self.auth is AuthMode.TOKENS and not self.tokens:
            raise ValueError("auth mode 'tokens' needs at least one token in --tokens")
        return self

    @property
    def uses_default_dataset(self) -> bool:
        """True when neither fixtures nor generation are asked for."""
        return not self.fixtures and self.seed is None
