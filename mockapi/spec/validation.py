"""An operation's input checked against the document: path and query parameters, JSON body.

Every problem becomes a FieldError in the API's dialect (bare field paths, JSON-schema
keyword types), all of them at once, exactly as the hand-modelled operations report theirs.
Query strings are read by hand (their schemas are simple and this is on every request);
bodies by an OpenAPI 3.0 validator (`nullable` and formats included).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from mockapi.errors import ApiError, FieldError, UriTooLong, ValidationFailed, js_path
from mockapi.ids import UUID, json_type
from mockapi.numbers import NumberError, parse_integer
from mockapi.query import MAX_QUERY_LENGTH
from mockapi.spec.document import Parameter, Schema, SpecDocument, SpecOperation

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from jsonschema.exceptions import ValidationError as SchemaError
    from openapi_schema_validator import OAS30Validator

_NO_BODY_MESSAGE = "A request body is required"
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
# Header parameters OpenAPI says to ignore: the HTTP machinery's own (OAS 3.0, Parameter).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
# The ranges OpenAPI's integer formats name, for parameters without bounds of their own.
_INTEGER_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_TRUE = ("true", "1")
_FALSE = ("false", "0")
MAX_REPORTED = 20


class Absent:
    """No body at all was sent (a JSON `null` is a body)."""


ABSENT = Absent()


class InputRules:
    """The rules of one operation's input; `check_*` raise ValidationFailed naming each field."""

    def __init__(self, document: SpecDocument, operation: SpecOperation) -> None:
        self.operation = operation
        self._path = [p for p in operation.parameters if p.location == "path"]
        self._query = {
            p.name: replace(p, schema=_items_resolved(document, p.schema))
            for p in operation.parameters
            if p.location == "query"
        }
        self._order = list(self._query)
        self._headers = [
            p
            for p in operation.parameters
            if p.location == "header" and p.name.lower() not in _IGNORED_HEADERS
        ]
        # The media types an `Accept` header parameter enumerates (the answer's choices).
        self._offered = [
            str(kind).lower()
            for p in operation.parameters
            if p.location == "header" and p.name.lower() == "accept"
            for kind in p.schema.get("enum", ())
        ]
        self._document = document
        self._validator: OAS30Validator | None = None
        self._form_validator: OAS30Validator | None = None

    def check_path(self, params: dict[str, str]) -> None:
        """Path parameters of a documented type and format (a UUID where one is named)."""
        errors = []
        for parameter in self._path:
            value = params.get(parameter.name, "")
            if parameter.name == "userId" and value == "self":
                continue  # "`self` or the id of a user", where the document types it a UUID too
            problem = _check_text(parameter.name, value, parameter.schema)
            if problem is not None:
                errors.append(FieldError(parameter.name, *problem, "path"))
        if errors:
            raise ValidationFailed(errors)

    def check_query(self, raw: str) -> dict[str, Any]:
        """The documented query parameters read (ints, bools, lists...); unknown ones ignored."""
        if len(raw) > MAX_QUERY_LENGTH:
            raise UriTooLong(
                f"the query string has {len(raw)} characters; at most {MAX_QUERY_LENGTH} "
                "are accepted"
            )
        given: dict[str, list[str]] = {}
        for name, value in parse_qsl(raw, keep_blank_values=True):
            if name in self._query:
                given.setdefault(name, []).append(value)
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        for name, parameter in self._query.items():
            raw_values = given.get(name)
            if raw_values is None:
                if parameter.required:
                    errors.append(_required(name, "query"))
                continue
            try:
                values[name] = _read_query(parameter, raw_values)
            except NumberError as error:
                errors.append(FieldError(name, error.kind, str(error), error.context))
            except _Refused as refused:
                errors.append(FieldError(name, *refused.args))
        if errors:
            raise ValidationFailed(sorted(errors, key=lambda e: self._order.index(e.name)))
        return values

    def check_headers(self, headers: Sequence[tuple[bytes, bytes]]) -> None:
        """Documented header parameters: the required ones sent, each of its documented form."""
        if not self._headers:
            return
        sent: dict[str, str] = {}
        for raw_name, raw_value in headers:
            sent.setdefault(raw_name.decode("latin-1").lower(), raw_value.decode("latin-1"))
        errors = []
        for parameter in self._headers:
            value = sent.get(parameter.name.lower())
            if value is None:
                if parameter.required:
                    errors.append(_required(parameter.name, "header"))
                continue
            try:
                _read_value(parameter.name, value, parameter.schema)
            except NumberError as error:
                errors.append(
                    FieldError(parameter.name, error.kind, str(error), error.context, "header")
                )
            except _Refused as refused:
                kind, message, context = refused.args
                errors.append(FieldError(parameter.name, kind, message, context, "header"))
        if errors:
            raise ValidationFailed(errors)

    def check_acceptable(self, headers: Sequence[tuple[bytes, bytes]]) -> None:
        """406 when an `Accept` header names none of the media types the operation offers
        (where it enumerates them: a file as bytes or as base64 text)."""
        if not self._offered:
            return
        sent = [v.decode("latin-1") for k, v in headers if k == b"accept"]
        if not sent:
            return  # no Accept header: any type will do (an empty one names none)
        accept = ",".join(sent).strip()
        offered = {kind.split(";", 1)[0].strip() for kind in self._offered}
        ranges = {"*/*", *offered, *(kind.split("/", 1)[0] + "/*" for kind in offered)}
        for media_range in accept.split(","):
            if media_range.split(";", 1)[0].strip().lower() in ranges:
                return
        shown = ", ".join(self._offered)
        raise NotAcceptable(f"Accept {accept[:200]!r} names none of the answer's types: {shown}")

    def check_form(self, body: bytes, headers: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
        """A form body (multipart or URL-encoded, as documented) read into its fields and
        checked against the documented schema; the fields (a file part as its text)."""
        content = self.operation.raw.get("requestBody", {}).get("content", {})
        documented = [kind for kind in content if kind in _FORMS]
        if not body:
            if self.operation.body_required:
                raise ValidationFailed([FieldError("", "required", _NO_BODY_MESSAGE, {}, "body")])
            return {}
        sent = next((v.decode("latin-1") for k, v in headers if k == b"content-type"), "")
        kind = sent.split(";", 1)[0].strip().lower()
        if kind not in documented:
            expected = " or ".join(documented)
            raise ValidationFailed(
                [
                    FieldError(
                        "",
                        "contentType",
                        f"Expected a {expected} body, given: {kind or 'no content type'}",
                        {"contentType": expected},
                        "body",
                    )
                ]
            )
        fields = _multipart(body, sent) if kind == _FORMS[0] else _urlencoded(body)
        if fields is None:
            raise ValidationFailed(
                [FieldError("", "type", f"The body is no readable {kind}", {"type": kind}, "body")]
            )
        validator = self._form_validator
        if validator is None:
            schema = content[kind].get("schema", {})
            validator = self._form_validator = schema_validator(self._document, schema)
        errors = sorted(validator.iter_errors(fields), key=lambda e: list(e.absolute_path))
        if errors:
            raise ValidationFailed([_field_error(e) for e in errors[:MAX_REPORTED]])
        return fields

    def check_body(self, body: Any) -> Any:
        """The JSON body valid against the documented schema (ABSENT: none was sent)."""
        if self.operation.body is None:
            return body
        if body is ABSENT:
            if self.operation.body_required:
                raise ValidationFailed([FieldError("", "required", _NO_BODY_MESSAGE, {}, "body")])
            return body
        validator = self._validator
        if validator is None:
            validator = self._validator = schema_validator(self._document, self.operation.body)
        errors = sorted(
            (e for e in validator.iter_errors(body) if not _ambiguous(e)),
            key=lambda e: list(e.absolute_path),
        )
        if errors:
            raise ValidationFailed([_field_error(e) for e in errors[:MAX_REPORTED]])
        return body


def schema_validator(document: SpecDocument, schema: Schema) -> OAS30Validator:
    """An OpenAPI 3.0 validator of one schema of the document (formats checked)."""
    # `#/components/...` resolves against a root that holds the components.
    root = {**schema, "components": document.raw["components"]}
    validator: OAS30Validator = _nullable_validator()(root, format_checker=_format_checker())
    return validator


# ajv-formats' "full" e-mail pattern: the API's validation errors are ajv's.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
    re.IGNORECASE,
)


@cache
def _format_checker() -> FormatChecker:
    """OpenAPI 3.0's format checks, `email` as the API checks it (jsonschema's only looks
    for an `@`, so a control character before one would pass)."""
    # Imported on first use: the validator library costs a tenth of a second to import,
    # and a read-only session never needs it.
    from jsonschema import FormatChecker
    from openapi_schema_validator import oas30_format_checker

    checker = FormatChecker(())
    checker.checkers = {**oas30_format_checker.checkers}

    def email(value: object) -> bool:
        return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None

    checker.checkers["email"] = (email, ())
    return checker


@cache
def _nullable_validator() -> type[OAS30Validator]:
    """OAS30Validator, and `null` accepted wherever a schema says `nullable: true`.

    The library reads `nullable` only beside a `type` (OAS 3.0.3's letter), but the document
    writes nullable references as `{"allOf": [{"$ref": ...}], "nullable": true}` (its clients
    type them `X | null`): a `null` there is accepted too.
    """
    from jsonschema.validators import extend
    from openapi_schema_validator import OAS30Validator

    def nullable(keyword: str) -> Any:
        inner = OAS30Validator.VALIDATORS[keyword]

        def check(validator: Any, value: Any, instance: Any, schema: Schema) -> Any:
            if instance is None and schema.get("nullable") is True:
                return
            yield from inner(validator, value, instance, schema)

        return check

    keywords = ("allOf", "anyOf", "oneOf", "$ref")
    extended: type[OAS30Validator] = extend(  # type: ignore[no-untyped-call]
        OAS30Validator, {keyword: nullable(keyword) for keyword in keywords}
    )
    return extended


def _multipart(body: bytes, content_type: str) -> dict[str, str] | None:
    """A multipart/form-data body's fields by name (None: not a multipart body)."""
    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str) and name not in fields:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            fields[name] = data.decode("utf-8", "replace")
    return fields


def _urlencoded(body: bytes) -> dict[str, str] | None:
    """A URL-encoded form's fields (the first of each name; None: not text)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


class NotAcceptable(ApiError):
    """406: the client accepts none of the media types the operation answers in."""

    status = 406
    type = "NotAcceptable"


class _Refused(Exception):
    """A query value refused: (kind, message, context)."""


def _items_resolved(document: SpecDocument, schema: Schema) -> Schema:
    """An array parameter's schema with its items' `$ref` followed (an enum of statuses)."""
    items = schema.get("items")
    if isinstance(items, dict) and "$ref" in items:
        return {**schema, "items": document.resolve(items)}
    return schema


def _required(name: str, location: str) -> FieldError:
    field = name.rsplit(".", 1)[-1]
    return FieldError(
        name, "required", f"{field} is required", {"missingProperty": field}, location
    )


def _read_query(parameter: Parameter, raw_values: list[str]) -> Any:
    schema = parameter.schema
    kind = schema.get("type", "string")
    if kind == "array":
        items = schema.get("items", {})
        if "maxItems" in schema and len(raw_values) > schema["maxItems"]:
            limit = schema["maxItems"]
            raise _Refused(
                "maxItems", f"Array must have at most {limit} items", {"limit": str(limit)}
            )
        return [_read_value(parameter.name, value, items) for value in raw_values]
    if len(raw_values) > 1:
        raise _Refused("type", f"Invalid type. Expected: {kind}, given: array", {"type": str(kind)})
    return _read_value(parameter.name, raw_values[0], schema)


def _read_value(name: str, value: str, schema: Schema) -> Any:
    kind = schema.get("type", "string")
    if kind == "integer":
        minimum, maximum = _bound(schema, "minimum"), _bound(schema, "maximum")
        span = _INTEGER_FORMATS.get(str(schema.get("format")))
        if span is not None:
            low, high = span
            minimum = low if minimum is None else max(minimum, low)
            maximum = high if maximum is None else min(maximum, high)
        return parse_integer(value, minimum, maximum)
    if kind == "number":
        return _number(value, schema)
    if kind == "boolean":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise _Refused(
            "type", "Invalid type. Expected: boolean, given: string", {"type": "boolean"}
        )
    problem = _check_text(name, value, schema)
    if problem is not None:
        raise _Refused(*problem)
    return value


def _bound(schema: Schema, key: str) -> int | None:
    value = schema.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _number(value: str, schema: Schema) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _Refused(
            "type", "Invalid type. Expected: number, given: string", {"type": "number"}
        ) from None
    if not math.isfinite(number):
        raise _Refused("type", "Must be a finite number", {"type": "number"})
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    if isinstance(minimum, int | float) and number < minimum:
        raise _Refused(
            "minimum", f"Must be greater than or equal to {minimum:g}", {"limit": f"{minimum:g}"}
        )
    if isinstance(maximum, int | float) and number > maximum:
        raise _Refused(
            "maximum", f"Must be less than or equal to {maximum:g}", {"limit": f"{maximum:g}"}
        )
    return number


def _check_text(name: str, value: str, schema: Schema) -> tuple[str, str, dict[str, str]] | None:
    """(kind, message, context) of what is wrong with a text value, or None."""
    if "enum" in schema and value not in schema["enum"]:
        allowed = [str(v) for v in schema["enum"]]
        shown = ", ".join(f'"{v}"' for v in allowed)
        return (
            "enum",
            f"{name} must be one of the following: {shown}",
            {"allowedValues": ", ".join(allowed)},
        )
    fmt = schema.get("format")
    if fmt is not None and not _has_format(value, fmt):
        return "format", f"Does not match format '{fmt}'", {"format": fmt}
    min_length, max_length = schema.get("minLength"), schema.get("maxLength")
    if isinstance(min_length, int) and len(value) < min_length:
        return (
            "minLength",
            f"String length must be greater than or equal to {min_length}",
            {"limit": str(min_length)},
        )
    if isinstance(max_length, int) and len(value) > max_length:
        return (
            "maxLength",
            f"String length must be less than or equal to {max_length}",
            {"limit": str(max_length)},
        )
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and re.search(pattern, value) is None:
        return "pattern", f"Does not match pattern '{pattern}'", {"pattern": pattern}
    return None


def _has_format(value: str, fmt: str) -> bool:
    if fmt == "uuid":
        return UUID.fullmatch(value) is not None
    if fmt == "date-time":
        if _RFC3339.fullmatch(value) is None:
            return False
        try:
            datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
        except ValueError:
            return False
        return True
    if fmt == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    # The others as in bodies (`uri`, `email`; formats the checker does not know pass).
    return bool(_format_checker().conforms(value, fmt))


def _ambiguous(error: SchemaError) -> bool:
    """A `oneOf` that more than one branch matches. Three of the document's (a hosting
    order's `spec`: MachineTypeSpec or HardwareSpec, neither with a required field) match
    every honest value twice; the API cannot mean to refuse them all."""
    return error.validator == "oneOf" and "is valid under each of" in error.message


def _field_error(error: SchemaError) -> FieldError:
    """One schema error as the API's validation error item."""
    path = js_path(error.absolute_path)
    keyword = str(error.validator)
    value: Any = error.validator_value
    if keyword == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing[1] if missing else ""
        full = f"{path}.{name}" if path and name else name or path
        return FieldError(
            full, "required", f"{name} is required", {"missingProperty": name}, "body"
        )
    if keyword == "type":
        expected = value if isinstance(value, str) else "/".join(map(str, value))
        given = json_type(error.instance)
        return FieldError(
            path,
            "type",
            f"Invalid type. Expected: {expected}, given: {given}",
            {"type": expected},
            "body",
        )
    if keyword == "enum":
        allowed = [str(v) for v in value]
        field = path.rsplit(".", 1)[-1] or "value"
        shown = ", ".join(f'"{v}"' for v in allowed)
        return FieldError(
            path,
            "enum",
            f"{field} must be one of the following: {shown}",
            {"allowedValues": ", ".join(allowed)},
            "body",
        )
    if keyword == "format":
        return FieldError(
            path, "format", f"Does not match format '{value}'", {"format": str(value)}, "body"
        )
    messages = {
        "minimum": f"Must be greater than or equal to {value}",
        "maximum": f"Must be less than or equal to {value}",
        "minLength": f"String length must be greater than or equal to {value}",
        "maxLength": f"String length must be less than or equal to {value}",
        "minItems": f"Array must have at least {value} items",
        "maxItems": f"Array must have at most {value} items",
        "pattern": f"Does not match pattern '{value}'",
        "oneOf": "Must validate one and only one schema (oneOf)",
        "anyOf": "Must validate at least one schema (anyOf)",
        "uniqueItems": "Array items must be unique",
    }
    if keyword in messages:
        context = {"limit": str(value)} if keyword.startswith(("min", "max")) else {}
        if keyword == "pattern":
            context = {"pattern": str(value)}
        return FieldError(path, keyword, messages[keyword], context, "body")
    return FieldError(path, keyword, error.message[:300], {}, "body")
