"""The control API under /_mockapi/: data, journal, faults and rate limits over HTTP."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockapi.errors import FieldError, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from mockapi.faults import FaultRule
from mockapi.settings import Settings
from mockapi.state import MockState

CONTROL_PREFIX = "/_mockapi"
MAX_GENERATED = 1_000_000
_FIXTURE_BODY = {
    "requestBody": {
        "required": True,
        "description": "A fixture document: an array of ProjectBackup objects, or "
        '{"projects": [...], "backups": [...]}.',
        "content": {"application/json": {"schema": {}}},
    }
}


class Summary(BaseModel):
    """How much is served."""

    projects: int
    backups: int


class Generation(BaseModel):
    """What to generate."""

    model_config = ConfigDict(extra="forbid")

    seed: int
    projects: int = Field(3, ge=1, le=1000)
    backupsPerProject: int = Field(30, ge=0, le=100_000)

    @model_validator(mode="after")
    def _bounded(self) -> Generation:
        # Generation blocks the server while it runs; a million backups take seconds.
        if self.projects * self.backupsPerProject > MAX_GENERATED:
            raise ValueError(f"projects x backupsPerProject must be at most {MAX_GENERATED:,}")
        return self


class RateLimit(BaseModel):
    """A rate limit per token per window; limit 0 turns it off."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(ge=0)
    windowSeconds: float = Field(60.0, gt=0)


async def read_json_body(request: Request, cap: int) -> Any:
    """The request body as JSON; 413 over `cap` bytes, 400 when it is not JSON."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise PayloadTooLarge(f"request body of {declared} bytes is over the cap of {cap} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise PayloadTooLarge(f"request body is over the cap of {cap} bytes")
        chunks.append(chunk)
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError as error:
        raise ValidationFailed(
            [FieldError("body", f"body is not valid JSON: {error}", "json")]
        ) from None


def control_router(settings: Settings, state: MockState) -> APIRouter:
    """Every control endpoint, guarded by the control token when one is configured."""

    async def check_token(
        token: str | None = Header(None, alias="x-mockapi-control-token", include_in_schema=False),
    ) -> None:
        if settings.control_token is not None and token != settings.control_token:
            raise Forbidden("the control API needs a valid 'x-mockapi-control-token' header")

    # Every endpoint is `async def` on purpose: it then runs on the event loop like the
    # middleware that records the journal and applies faults, never racing it from a thread.
    router = APIRouter(prefix=CONTROL_PREFIX, tags=["mockapi"], dependencies=[Depends(check_token)])

    def summary() -> Summary:
        store = state.store
        return Summary(projects=len(store.projects), backups=store.backup_count)

    @router.get("/projects", summary="Projects served")
    async def projects() -> list[dict[str, Any]]:
        """Every project: UUID, short id, description and how many backups it has."""
        return [
            {
                "id": p.info.id,
                "shortId": p.info.short_id,
                "description": p.info.description,
                "backups": len(p.json),
            }
            for p in state.store.projects.values()
        ]

    @router.post("/reset", summary="Back to the startup state")
    async def reset() -> Summary:
        """Startup dataset, empty journal, startup fault rules, fresh rate-limit windows."""
        state.reset()
        return summary()

    @router.get("/data", summary="The served data as a fixture document")
    async def data() -> dict[str, Any]:
        """The current projects and backups in the richer fixture format."""
        return state.document()

    @router.put("/data", summary="Replace all data", openapi_extra=_FIXTURE_BODY)
    async def replace(request: Request) -> Summary:
        """Validate the fixture document and serve only it; a rejected one changes nothing."""
        state.replace_document(await read_json_body(request, settings.max_body_bytes))
        return summary()

    @router.post("/data", summary="Add data", openapi_extra=_FIXTURE_BODY)
    async def add(request: Request) -> Summary:
        """Validate the fixture document and serve it beside the current data."""
        document = await read_json_body(request, settings.max_body_bytes)
        state.replace_document(document, add=True)
        return summary()

    @router.post("/generate", summary="Replace all data with generated data")
    async def generated(options: Generation) -> Summary:
        """Serve data generated from a seed."""
        state.use_generated(options.seed, options.projects, options.backupsPerProject)
        return summary()

    @router.post("/default-dataset", summary="Replace all data with the default dataset")
    async def default_dataset() -> Summary:
        """Serve the built-in default dataset."""
        state.use_default_dataset()
        return summary()

    @router.get("/journal", summary="The request journal")
    async def journal() -> dict[str, Any]:
        """Recorded API requests, oldest first (method, path, query, status, time)."""
        entries = state.read_journal()
        return {"entries": entries, "dropped": state.journal.dropped}

    @router.delete("/journal", status_code=204, summary="Clear the journal")
    async def clear_journal() -> None:
        """Forget every recorded request."""
        state.clear_journal()

    @router.get("/faults", summary="Active fault rules")
    async def faults() -> list[dict[str, Any]]:
        """Active rules with their ids and remaining counts."""
        state.check_writable()
        return state.faults.listing()

    @router.post("/faults", status_code=201, summary="Add a fault rule")
    async def add_fault(rule: FaultRule) -> dict[str, int]:
        """Activate a rule; the answer carries its id."""
        return {"id": state.add_fault(rule)}

    @router.delete("/faults", status_code=204, summary="Remove every fault rule")
    async def clear_faults() -> None:
        """Deactivate every rule."""
        state.clear_faults()

    @router.delete("/faults/{rule_id}", status_code=204, summary="Remove one fault rule")
    async def remove_fault(rule_id: int) -> None:
        """Deactivate one rule."""
        if not state.remove_fault(rule_id):
            raise NotFound(f"no fault rule with id {rule_id}")

    @router.get("/rate-limit", summary="The rate limit")
    async def rate_limit() -> RateLimit:
        """The configured limit (0: off) and window."""
        limiter = state.rate_limiter
        return RateLimit(limit=limiter.limit, windowSeconds=limiter.window_s)

    @router.put("/rate-limit", summary="Set the rate limit")
    async def set_rate_limit(limit: RateLimit) -> RateLimit:
        """Set requests per token per window (0 turns limiting off); counting starts afresh."""
        state.set_rate_limit(limit.limit, limit.windowSeconds)
        return limit

    return router
