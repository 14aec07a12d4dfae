"""The control API under /_mockapi/: data, clock, journal, faults and rate limits over HTTP.

Every endpoint checks the control token first and reads its body itself, after that check
and within the size cap: nothing unauthenticated or oversized is ever read or parsed.
Heavy work (loading, generating) runs off the event loop and is swapped in when done.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from mockapi.api.bodies import DateTime
from mockapi.backups.clock import ClockError
from mockapi.backups.dataset import Dataset
from mockapi.backups.store import Store
from mockapi.control import CONTROL_PREFIX
from mockapi.control.bodies import body_doc, model_body, read_body
from mockapi.control.console import console_router
from mockapi.control.stubs import stubs_router
from mockapi.data.generate import GenerationOptions, generate
from mockapi.data.loading import load_default_dataset
from mockapi.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mockapi.http.faults import FaultRule
from mockapi.http.reading import parse_json
from mockapi.numbers import IntegerRange
from mockapi.settings import Settings
from mockapi.spec.catalog import load_catalog
from mockapi.state.journal import JournalQuery
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms

CONTROL_TOKEN_HEADER = "x-mockapi-control-token"
MAX_GENERATED = 1_000_000
MAX_ADVANCE_S = 10 * 366 * 86_400


class Summary(BaseModel):
    """How much is served."""

    projects: int
    backups: int
    schedules: int


class Generation(BaseModel):
    """What to generate."""

    model_config = ConfigDict(extra="forbid")

    seed: Annotated[int, IntegerRange(0, 2**63 - 1)]
    projects: Annotated[int, IntegerRange(1, 1000)] = 3
    backupsPerProject: Annotated[int, IntegerRange(0, 100_000)] = 30

    @model_validator(mode="after")
    def _bounded(self) -> Generation:
        if self.projects * self.backupsPerProject > MAX_GENERATED:
            raise ValueError(f"projects x backupsPerProject must be at most {MAX_GENERATED:,}")
        return self


class RateLimit(BaseModel):
    """An enforced rate limit per token per window; limit 0 turns enforcement off."""

    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, IntegerRange(0, 1_000_000_000)]
    windowSeconds: Annotated[int, IntegerRange(1, 86_400)] | None = Field(
        None, description="Seconds; the configured --rate-limit-window when absent."
    )


class ClockChange(BaseModel):
    """Move the clock: by a number of seconds, or to a time (never backwards, never past
    9000-01-01T00:00:00Z)."""

    model_config = ConfigDict(extra="forbid")

    advanceSeconds: Annotated[int, IntegerRange(0, MAX_ADVANCE_S)] | None = None
    now: DateTime | None = None

    @model_validator(mode="after")
    def _one(self) -> ClockChange:
        if (self.advanceSeconds is None) == (self.now is None):
            raise ValueError("give exactly one of advanceSeconds and now")
        return self


def control_router(settings: Settings, state: MockState) -> APIRouter:
    """Every control endpoint, guarded by the control token when one is configured, and the
    console (its page and files need no token; its calls do)."""
    expected = settings.control_token.encode() if settings.control_token else None
    small = 64 * 1024
    cap = settings.max_body_bytes

    async def check_token(request: Request) -> None:
        if expected is None:
            return
        given = request.headers.get(CONTROL_TOKEN_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            raise PermissionDenied("the control API needs a valid 'x-mockapi-control-token' header")

    # Every endpoint is `async def`: it runs on the event loop like the API, never racing it
    # from a thread; heavy work is handed to a thread explicitly and swapped in after.
    router = APIRouter(prefix=CONTROL_PREFIX, tags=["mockapi"], dependencies=[Depends(check_token)])

    def summary() -> Summary:
        store = state.current()
        return Summary(
            projects=len(store.projects),
            backups=store.backup_count,
            schedules=store.schedule_count,
        )

    async def swap(build: Callable[[], Store], generation: int) -> Summary:
        # `generation` is taken when the call began: a reset while its body was read or its
        # data built wins over it.
        state.serve(await run_in_threadpool(build), generation)
        return summary()

    @router.get("/projects", summary="Projects served")
    async def projects() -> list[dict[str, Any]]:
        """Every project: UUID, short id, description and how many backups it has."""
        return [
            {
                "id": record.info.id,
                "shortId": record.info.short_id,
                "description": record.info.description,
                "backups": len(record.backups),
            }
            for record in state.current().projects.values()
        ]

    @router.post("/reset", summary="Back to the startup state")
    async def reset() -> Summary:
        """Startup data and clock, empty journal, startup fault rules, fresh rate limits."""
        state.reset()
        return summary()

    @router.get("/data", summary="The served data as a fixture document")
    async def data() -> StreamingResponse:
        """Projects, schedules and backups in the fixture format, streamed."""
        # What clients created of the whole API's other resources goes with it, so the
        # document read here serves the same again (PUT /_mockapi/data).
        names = {kind.name: kind.short_name for kind in load_catalog().kinds.values()}
        resources = state.memory.created_items(names)
        chunks = state.current().document_chunks(resources)
        return StreamingResponse(chunks, media_type="application/json")

    def validated(body: bytes, derive: bool = True) -> Dataset:
        return state.validated(parse_json(body), "body", derive)

    @router.put(
        "/data",
        summary="Replace all data",
        openapi_extra=body_doc(
            None,
            "A fixture document: an array of ProjectBackup objects, "
            'or {"projects": [...], "schedules": [...], "backups": [...]}.',
        ),
    )
    async def replace(request: Request) -> Summary:
        """Validate the fixture document and serve only it; a rejected one changes nothing."""
        state.check_writable()
        generation = state.generation
        body = await read_body(request, cap, settings.timeout_body)
        return await swap(lambda: state.build(validated(body)), generation)

    @router.post(
        "/data",
        summary="Add data",
        openapi_extra=body_doc(None, "A fixture document, served beside the current data."),
    )
    async def add(request: Request) -> Summary:
        """Validate the fixture document and serve it beside the current data."""
        state.check_writable()
        generation = state.generation
        body = await read_body(request, cap, settings.timeout_body)
        dataset = await run_in_threadpool(validated, body, False)
        state.check_generation(generation)
        state.add(dataset)
        return summary()

    @router.post(
        "/generate",
        summary="Replace all data with generated data",
        openapi_extra=body_doc(Generation, "What to generate."),
    )
    async def generated(request: Request) -> Summary:
        """Serve data generated from a seed."""
        state.check_writable()
        generation = state.generation
        options = await model_body(request, Generation, small, settings.timeout_body)
        now = state.clock.now()
        wanted = GenerationOptions(options.seed, options.projects, options.backupsPerProject, now)
        return await swap(lambda: state.build(generate(wanted)), generation)

    @router.post("/default-dataset", summary="Replace all data with the default dataset")
    async def default_dataset() -> Summary:
        """Serve the built-in default dataset (its dates moved to the clock's start)."""
        state.check_writable()  # before the build, not after it
        return await swap(lambda: state.build(load_default_dataset(settings.now)), state.generation)

    @router.get("/clock", summary="The mock's clock")
    async def clock() -> dict[str, Any]:
        """`{"now": ..., "mode": "running" | "frozen"}`."""
        state.current()
        return state.clock_state()

    @router.post(
        "/clock",
        summary="Move the clock forward",
        openapi_extra=body_doc(
            ClockChange,
            "advanceSeconds, or now (RFC 3339); never backwards, never past 9000-01-01.",
        ),
    )
    async def move_clock(request: Request) -> dict[str, Any]:
        """Advance by seconds or to a time; what falls due on the way happens, in order."""
        change = await model_body(request, ClockChange, small, settings.timeout_body)
        field = "advanceSeconds" if change.advanceSeconds is not None else "now"
        try:
            if change.advanceSeconds is not None:
                await state.move_clock(seconds=change.advanceSeconds)
            else:
                await state.move_clock(when=change.now)
        except ClockError as error:
            limit = {} if error.limit_ms is None else {"limit": format_epoch_ms(error.limit_ms)}
            raise ValidationFailed(
                [FieldError(field, error.bound, str(error), limit, "body")]
            ) from None
        return state.clock_state()

    @router.get("/journal", summary="The request journal")
    async def journal(
        operationId: Annotated[str | None, Query(max_length=200)] = None,
        method: Annotated[str | None, Query(max_length=10)] = None,
        path: Annotated[str | None, Query(max_length=2048)] = None,
        status: Annotated[int | None, Query(ge=0, le=599)] = None,
    ) -> dict[str, Any]:
        """Recorded API requests, oldest first (method, path, query, status, time,
        operationId, stubbed, body); each given filter must match (path: exact or a
        template with {name} segments)."""
        state.check_writable()
        wanted = JournalQuery(operationId, method, path, status)
        return {"entries": state.journal.select(wanted), "dropped": state.journal.dropped}

    @router.delete("/journal", status_code=204, summary="Clear the journal")
    async def clear_journal() -> None:
        """Forget every recorded request."""
        state.clear_journal()

    @router.get("/faults", summary="Active fault rules")
    async def faults() -> list[dict[str, Any]]:
        """Active rules with their ids and remaining counts."""
        state.check_writable()
        return state.faults.listing()

    @router.post(
        "/faults",
        status_code=201,
        summary="Add a fault rule",
        openapi_extra=body_doc(FaultRule, "A fault rule."),
    )
    async def add_fault(request: Request) -> dict[str, int]:
        """Activate a rule; the answer carries its id."""
        state.check_writable()
        rule = await model_body(request, FaultRule, small, settings.timeout_body)
        return {"id": state.add_fault(rule)}

    @router.delete("/faults", status_code=204, summary="Remove every fault rule")
    async def clear_faults() -> None:
        """Deactivate every rule."""
        state.clear_faults()

    @router.delete("/faults/{rule_id}", status_code=204, summary="Remove one fault rule")
    async def remove_fault(rule_id: Annotated[int, Field(ge=0, le=2**31)]) -> None:
        """Deactivate one rule."""
        if not state.remove_fault(rule_id):
            raise NotFound(f"no fault rule with id {rule_id}")

    @router.get("/rate-limit", summary="The rate limit")
    async def rate_limit() -> RateLimit:
        """The enforced limit (0: not enforced) and the window."""
        limiter = state.rate_limiter
        return RateLimit(
            limit=limiter.limit if limiter.enforce else 0, windowSeconds=limiter.window_s
        )

    @router.put(
        "/rate-limit",
        summary="Set the rate limit",
        openapi_extra=body_doc(RateLimit, "The limit and window."),
    )
    async def set_rate_limit(request: Request) -> RateLimit:
        """Enforce requests per token per window (0: off); counting starts afresh."""
        state.check_writable()
        limit = await model_body(request, RateLimit, small, settings.timeout_body)
        state.set_rate_limit(limit.limit, limit.windowSeconds)
        return await rate_limit()

    # The routes are taken as built: `include_router` would build each one again (FastAPI
    # reads every endpoint's signature anew), which cost a third of building an app.
    router.routes.extend(console_router(CONTROL_PREFIX, settings, state, check_token).routes)
    router.routes.extend(stubs_router(CONTROL_PREFIX, settings, state, check_token).routes)
    return router
