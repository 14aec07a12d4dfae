"""Reading a control API request's body: within its limits, validated as a model."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from mockapi.api.bodies import field_errors
from mockapi.errors import BadRequest, ValidationFailed
from mockapi.http.reading import ClientGone, parse_json, read_limited

Model = TypeVar("Model", bound=BaseModel)


def body_doc(model: type[BaseModel] | None, description: str) -> dict[str, Any]:
    """The OpenAPI request body of a control endpoint (its model's schema)."""
    schema = _inlined(model.model_json_schema()) if model is not None else {}
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's schema with its `$defs` written in place: `#/$defs/...` would resolve against
    the whole /openapi.json, where no `$defs` is (the control models are not recursive)."""
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(definitions[ref.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined


async def read_body(request: Request, cap: int, timeout_s: int) -> bytes:
    """The request body within its limits (413 over `cap` bytes, 408 when too slow)."""
    try:
        return await read_limited(request.scope["headers"], request.receive, cap, timeout_s)
    except ClientGone:
        raise BadRequest("the client went away before sending its body") from None


async def model_body(request: Request, model: type[Model], cap: int, timeout_s: int) -> Model:
    """The body validated as `model` (every number strictly), or a 400."""
    data = parse_json(await read_body(request, cap, timeout_s))
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(field_errors(error.errors(include_url=False), "body")) from None
