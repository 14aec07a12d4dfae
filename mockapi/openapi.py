"""The served /openapi.json: every served operation of the official document and its
components verbatim (examples filled with served ids), beside the control API's own.

The official document is OpenAPI 3.0 (`nullable: true`), so the served one is too: the
control API's schemas, which FastAPI writes in 3.1's dialect, are rewritten to 3.0's."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from mockapi.api.core import Operation
from mockapi.control import CONTROL_PREFIX
from mockapi.http.auth import AuthMode
from mockapi.settings import Settings
from mockapi.spec.document import load_document
from mockapi.state.mock import MockState
from mockapi.timestamps import format_epoch_ms

EXAMPLE_EXPIRY_MS = 30 * 86_400_000
# The official document's own version is 3.0.0; 3.0.3 is the same dialect with its errata.
OPENAPI_VERSION = "3.0.3"
SERVED_EXAMPLE = "mockapi"  # the name of the served id among a parameter's named examples
_NULL = {"type": "null"}
_NAME_MAPS = frozenset({"properties", "paths", "responses", "schemas", "content", "headers"})


def official_operation(path: str, method: str) -> dict[str, Any] | None:
    """An operation object of the official document, or None for mockapi's own routes."""
    operation = load_document().raw["paths"].get(path, {}).get(method.lower())
    return operation if isinstance(operation, dict) else None


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


def _expiring(request_body: dict[str, Any], example: str) -> dict[str, Any]:
    """A request body whose `expirationTime` has the given example (copied, not changed)."""
    media = request_body.get("content", {}).get("application/json")
    schema = (media or {}).get("schema", {})
    field = schema.get("properties", {}).get("expirationTime")
    if field is None:
        return request_body
    properties = {**schema["properties"], "expirationTime": {**field, "example": example}}
    content = {"application/json": {**media, "schema": {**schema, "properties": properties}}}
    return {**request_body, "content": content}


def _with_example(parameter: dict[str, Any], value: str) -> dict[str, Any]:
    """A parameter whose first example is a served id (copied, not changed)."""
    named = parameter.get("examples")
    if isinstance(named, dict):
        # `example` and `examples` exclude each other: the served id goes first in the
        # document's named examples, where Swagger UI takes its default from.
        served = {"summary": "served by this mock", "value": value}
        return {**parameter, "examples": {SERVED_EXAMPLE: served, **named}}
    return {**parameter, "example": value}


def _token_rule(settings: Settings) -> str:
    if settings.auth is AuthMode.NONE:
        return "No token is needed."
    if settings.auth is AuthMode.TOKENS:
        return "Only the tokens the server was started with (--tokens) are accepted."
    return "Any non-empty token works: click Authorize and type anything, e.g. `demo`."


def as_openapi_30(node: Any) -> Any:
    """A copy of a 3.1 (JSON Schema 2020-12) fragment as pydantic writes it, in 3.0's dialect."""
    if isinstance(node, list):
        return [as_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        # A map of names (properties, paths, responses) is walked, never read as a schema.
        key: {name: as_openapi_30(sub) for name, sub in value.items()}
        if key in _NAME_MAPS and isinstance(value, dict)
        else as_openapi_30(value)
        for key, value in node.items()
    }
    for keyword in ("anyOf", "oneOf"):
        branches = converted.get(keyword)
        if not isinstance(branches, list) or _NULL not in branches:
            continue
        rest = [branch for branch in branches if branch != _NULL]
        del converted[keyword]
        if len(rest) == 1:
            converted = {**rest[0], **converted}
        elif rest:
            converted[keyword] = rest
        converted["nullable"] = True
    if "const" in converted:
        converted["enum"] = [converted.pop("const")]
    if isinstance(converted.get("examples"), list):
        # A schema's `examples` (a list) is 3.1's; 3.0 has one `example`.
        examples = converted.pop("examples")
        if examples:
            converted.setdefault("example", examples[0])
    return converted


def control_document(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """What stays the same while the app runs: the control API (FastAPI's routes) in 3.0's
    dialect answering errors in the API's shape, the official components, the token rule."""
    document: dict[str, Any] = as_openapi_30(
        get_openapi(
            title=app.title,
            version=app.version,
            openapi_version=OPENAPI_VERSION,
            description=f"{app.description}\n\n{_token_rule(settings)}",
            routes=app.routes,
        )
    )
    # Bad input to the control API answers 400 in the API's shape, never FastAPI's 422.
    for path, operations_of_path in document.get("paths", {}).items():
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
    components = document.setdefault("components", {})
    for section, entries in load_document().raw["components"].items():
        components.setdefault(section, {}).update(entries)
    schemas = components["schemas"]
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return document


def openapi_document(
    control: dict[str, Any], ops: list[Operation], state: MockState
) -> dict[str, Any]:
    """The official operations verbatim (examples as of now) beside `control_document`'s."""
    examples = _examples(state)
    now = state.clock.now_ms()
    expires_example = format_epoch_ms(now - now % 1000 + EXAMPLE_EXPIRY_MS)
    paths: dict[str, Any] = {}
    for operation in ops:
        official = official_operation(operation.path, operation.method)
        if official is None:
            continue
        # The document's objects are shared, never changed: only what gets an example is
        # copied (a whole copy of the document costs a tenth of a second).
        served = dict(official)
        if any(p.get("name") in examples for p in official.get("parameters", [])):
            served["parameters"] = [
                _with_example(p, examples[p["name"]]) if p.get("name") in examples else p
                for p in official["parameters"]
            ]
        # Swagger fills expirationTime from the browser's clock otherwise, which the mock's
        # clock refuses: the example is the mock's now + 30 days, as of this request.
        if "requestBody" in official:
            served["requestBody"] = _expiring(official["requestBody"], expires_example)
        paths.setdefault(operation.path, {})[operation.method.lower()] = served
    return {**control, "paths": {**paths, **control.get("paths", {})}}
