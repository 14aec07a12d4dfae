"""The served /openapi.json: the official operations and components verbatim (examples
filled with served ids), beside the control API's own operations."""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from mockapi.api.core import Operation
from mockapi.control.api import CONTROL_PREFIX
from mockapi.http.auth import AuthMode
from mockapi.settings import Settings
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms

SPEC_FILES = ("mittwald-v2-backup-openapi.json", "mittwald-v2-project-openapi.json")
EXAMPLE_EXPIRY_MS = 30 * 86_400_000


@cache
def official_specs() -> tuple[dict[str, Any], ...]:
    """The official OpenAPI parts shipped in the package (read once, never mutated)."""
    folder = resources.files("mockapi") / "data"
    return tuple(orjson.loads((folder / name).read_bytes()) for name in SPEC_FILES)


def official_operation(path: str, method: str) -> dict[str, Any] | None:
    """An operation object of the official spec, or None for mockapi's own routes."""
    for spec in official_specs():
        operation = spec["paths"].get(path, {}).get(method.lower())
        if operation is not None:
            return operation  # type: ignore[no-any-return]
    return None


def _examples(state: MockState) -> dict[str, str]:
    store = state.current()
    examples: dict[str, str] = {}
    record = max(store.projects.values(), key=lambda r: len(r.backups), default=None)
    if record is not None:
        examples["projectId"] = record.info.short_id
        if len(record.backups):
            examples["projectBackupId"] = record.backups.ids[-1]
        if record.schedules:
            examples["projectBackupScheduleId"] = next(iter(record.schedules))
    return examples


def _token_rule(settings: Settings) -> str:
    if settings.auth is AuthMode.NONE:
        return "No token is needed."
    if settings.auth is AuthMode.TOKENS:
        return "Only the tokens the server was started with (--tokens) are accepted."
    return "Any non-empty token works: click Authorize and type anything, e.g. `demo`."


def openapi_document(
    app: FastAPI, ops: list[Operation], state: MockState, settings: Settings
) -> dict[str, Any]:
    """The official operations and components verbatim, beside the control API's own."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    examples = _examples(state)
    now = state.clock.now_ms()
    expires_example = format_epoch_ms(now - now % 1000 + EXAMPLE_EXPIRY_MS)
    paths: dict[str, Any] = {}
    for operation in ops:
        official = official_operation(operation.path, operation.method)
        if official is None:
            continue
        served = copy.deepcopy(official)
        # "Try it out" works at once: parameters name things this server serves.
        for parameter in served.get("parameters", []):
            if parameter.get("name") in examples:
                parameter["example"] = examples[parameter["name"]]
        # Swagger fills expirationTime from the browser's clock otherwise, which the mock's
        # clock refuses: the example is the mock's now + 30 days, as of this request.
        for media in served.get("requestBody", {}).get("content", {}).values():
            expiration = media.get("schema", {}).get("properties", {}).get("expirationTime")
            if expiration is not None:
                expiration["example"] = expires_example
        paths.setdefault(operation.path, {})[operation.method.lower()] = served
    document["paths"] = {**paths, **document.get("paths", {})}
    components = document.setdefault("components", {})
    for spec in official_specs():
        for section in ("schemas", "responses", "securitySchemes"):
            components.setdefault(section, {}).update(
                copy.deepcopy(spec["components"].get(section, {}))
            )
    # Bad input to the control API answers 400 in the API's shape, never FastAPI's 422.
    for path, operations_of_path in document["paths"].items():
        if not path.startswith(CONTROL_PREFIX):
            continue
        for operation in operations_of_path.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["400"] = {
                "$ref": "#/components/responses/de.mittwald.v1.commons.ValidationError"
            }
            responses["default"] = {
                "$ref": "#/components/responses/de.mittwald.v1.commons.DefaultError"
            }
    schemas = components["schemas"]
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    document["info"]["description"] = f"{app.description}\n\n{_token_rule(settings)}"
    return document
