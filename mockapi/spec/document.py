"""The whole official OpenAPI document, read once: its operations and their schemas.

The document is data shipped in the package (`mittwald-v2-openapi.json`, the whole API v2 as
published with the official JS client on 2026-08-21). Nothing here knows a backup rule.

Quirks of the document, and how they are read (docs/all-operations.md lists them too):
- 108 deprecated aliases have no operationId; each answers 308 and names its successor in
  its description ("Please use /v2/... instead"). They get a derived id and a redirect.
- Two schemas say `"type": "unknown"` (not a JSON-schema type): read as "any value".
- `nullable: true` (OpenAPI 3.0) allows `null` beside the type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import orjson

SPEC_FILE = "mittwald-v2-openapi.json"
METHODS = ("get", "put", "post", "delete", "patch")
Schema = dict[str, Any]
_SUCCESSOR = re.compile(r"Please use (/v2/\S+?)\.? instead")
_PAGINATION = "x-pagination-totalcount"
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One path, query, header or cookie parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: Schema


@dataclass(frozen=True)
class SpecOperation:
    """One operation of the document, read into what answering it needs."""

    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    parameters: tuple[Parameter, ...]
    # The JSON request body's schema (None: the operation takes no JSON body).
    body: Schema | None
    body_required: bool
    body_types: tuple[str, ...]
    # The documented success: its status, and the JSON schema of its body (None: no body).
    status: int
    response: Schema | None
    response_type: str | None
    paginated: bool
    # The success's documented headers, lower case (X-Pagination-* among them).
    headers: tuple[str, ...]
    authenticated: bool
    deprecated: bool
    # A deprecated alias's successor path template (it answers 308 with Location).
    successor: str | None
    has_operation_id: bool = True
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        """The parameters named in the path template."""
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def last_param(self) -> str | None:
        """The last parameter of the path template (documents list them in any order)."""
        names = _PARAM.findall(self.path)
        return names[-1] if names else None

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        """The query string's parameters."""
        return tuple(p for p in self.parameters if p.location == "query")


class SpecDocument:
    """The parsed document: operations in document order, and `$ref` resolution."""

    def __init__(self, raw: dict[str, Any]) -> None:
        _mend(raw)
        self.raw = raw
        self.schemas: dict[str, Schema] = raw["components"]["schemas"]
        self.operations = [
            self._operation(path, method, item, raw.get("security"))
            for path, methods in raw["paths"].items()
            for method, item in methods.items()
            if method in METHODS
        ]
        self.by_id = {op.operation_id: op for op in self.operations}

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow `$ref`s until an object that is not one."""
        seen = 0
        while "$ref" in node:
            target: Any = self.raw
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
            seen += 1
            if seen > 64:
                raise ValueError(f"$ref cycle at {node!r:.80}")
        return node

    def _operation(
        self, path: str, method: str, item: dict[str, Any], security: Any
    ) -> SpecOperation:
        parameters = tuple(
            Parameter(
                p["name"], p["in"], bool(p.get("required")), self.resolve(p.get("schema", {}))
            )
            for p in map(self.resolve, item.get("parameters", []))
        )
        body, body_required, body_types = None, False, ()
        if "requestBody" in item:
            request = self.resolve(item["requestBody"])
            content = request.get("content", {})
            body_types = tuple(content)
            body_required = bool(request.get("required"))
            if "application/json" in content:
                body = content["application/json"].get("schema", {})
        status, response, response_type, headers = self._success(item["responses"])
        operation_id = item.get("operationId")
        successor = None
        if status == 308:
            found = _SUCCESSOR.search(item.get("description", ""))
            successor = found[1] if found else None
        return SpecOperation(
            operation_id=operation_id or _derived_id(method, path),
            method=method.upper(),
            path=path,
            tag=(item.get("tags") or ["Misc"])[0],
            summary=item.get("summary", ""),
            parameters=parameters,
            body=body,
            body_required=body_required,
            body_types=body_types,
            status=status,
            response=response,
            response_type=response_type,
            paginated=_PAGINATION in headers,
            headers=headers,
            authenticated=item.get("security", security) != [],
            deprecated=bool(item.get("deprecated")),
            successor=successor,
            has_operation_id=operation_id is not None,
            raw=item,
        )

    def _success(
        self, responses: dict[str, Any]
    ) -> tuple[int, Schema | None, str | None, tuple[str, ...]]:
        """The first documented success (2xx, else 3xx): status, schema, type, headers."""
        codes = sorted(code for code in responses if code[:1] in ("2", "3"))
        successes = [code for code in codes if code.startswith("2")] or codes
        if not successes:
            return 200, None, None, ()
        # Prefer the success that has a body: a client expecting one parses it.
        with_body = [code for code in successes if self.resolve(responses[code]).get("content")]
        code = (with_body or successes)[0]
        response = self.resolve(responses[code])
        content = response.get("content") or {}
        headers = tuple(name.lower() for name in response.get("headers") or {})
        if "application/json" in content:
            schema = content["application/json"].get("schema", {})
            return int(code), schema, "application/json", headers
        if content:
            kind = next(iter(content))
            return int(code), content[kind].get("schema", {}), kind, headers
        return int(code), None, None, headers


def _mend(node: Any) -> None:
    """Read `"type": "unknown"` as no type (any value), in place."""
    if isinstance(node, dict):
        if node.get("type") == "unknown":
            del node["type"]
        for value in node.values():
            _mend(value)
    elif isinstance(node, list):
        for value in node:
            _mend(value)


def _derived_id(method: str, path: str) -> str:
    """An id for an operation the document leaves unnamed: deprecated-<method>-<path words>."""
    words = re.sub(r"[{}]", "", path.removeprefix("/v2/")).replace("/", "-")
    return f"deprecated-{method.lower()}-{words}".lower()


@cache
def load_document() -> SpecDocument:
    """The document shipped in the package (parsed once per process)."""
    raw = orjson.loads((resources.files("mockapi.spec") / SPEC_FILE).read_bytes())
    return SpecDocument(raw)
