"""`/_mockapi/stubs`: add, list and delete stubs over HTTP (see state/stubs.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from mockapi.control.bodies import body_doc, model_body
from mockapi.errors import FieldError, NotFound, ValidationFailed
from mockapi.http.stubs import Stub
from mockapi.settings import Settings
from mockapi.state.mock import MockState
from mockapi.state.stubs import StubsFull


def stubs_router(
    prefix: str,
    settings: Settings,
    state: MockState,
    check_token: Callable[[Request], Awaitable[None]],
) -> APIRouter:
    """The stub endpoints, guarded like the rest of the control API."""
    router = APIRouter(prefix=prefix, tags=["mockapi"], dependencies=[Depends(check_token)])

    @router.get("/stubs", summary="Active stubs")
    async def stubs() -> list[dict[str, Any]]:
        """Active stubs, first matched first, with ids, remaining counts and matches."""
        state.check_writable()
        return state.stubs.listing()

    @router.post(
        "/stubs",
        status_code=201,
        summary="Add a stub",
        openapi_extra=body_doc(Stub, "A request to match and the answer to give."),
    )
    async def add_stub(request: Request) -> dict[str, int]:
        """Answer matching requests with this, ahead of the model; the answer has its id."""
        state.check_writable()
        stub = await model_body(request, Stub, 64 * 1024, settings.timeout_body)
        try:
            return {"id": state.add_stub(stub)}
        except StubsFull as full:
            raise ValidationFailed([FieldError("", "maxItems", str(full), {}, "body")]) from None

    @router.delete("/stubs", status_code=204, summary="Remove every stub")
    async def clear_stubs() -> None:
        """Deactivate every stub."""
        state.clear_stubs()

    @router.delete("/stubs/{stub_id}", status_code=204, summary="Remove one stub")
    async def remove_stub(stub_id: Annotated[int, Field(ge=0, le=2**31)]) -> None:
        """Deactivate one stub."""
        if not state.remove_stub(stub_id):
            raise NotFound(f"no stub with id {stub_id}")

    return router
