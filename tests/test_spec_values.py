"""Values from the document's schemas: valid, realistic and deterministic.

Every operation's JSON success body and JSON request body is generated for several seeds and
keys and held against its schema by openapi-schema-validator (OpenAPI 3.0, formats checked,
and our wire format on top: lowercase UUIDs, timestamps with milliseconds and `Z`). Tables of
small schemas pin each keyword; the rest reads the values as a user of the mock would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any

import orjson
import pytest
from jsonschema import FormatChecker, validators
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

from mockapi.spec.document import SpecOperation, load_document
from mockapi.spec.pools import ascii_name
from mockapi.spec.realism import FUTURE
from mockapi.spec.values import Context, Values
from mockapi.timestamps import parse_ms

DOC = load_document()
NOW = 1_767_225_600_000  # 2026-01-01T00:00:00.000Z
SEEDS = (1, 2, 3)
KEYS = ("a", "b|0f5ec9cd")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _strict(fmt: str, pattern: re.Pattern[str], checker: FormatChecker) -> None:
    loose = checker.checkers[fmt][0]
    checker.checkers[fmt] = (
        lambda v: not isinstance(v, str) or (pattern.fullmatch(v) is not None and loose(v)),
        (),
    )


def _format_checker() -> FormatChecker:
    """jsonschema's checks (email, ipv4/6, hostname via fqdn, uri via rfc3986, date-time),
    OpenAPI's (int32/int64, float, byte), and the API's wire format for ids and times."""
    checker = FormatChecker()
    checker.checkers.update(oas30_format_checker.checkers)
    _strict("uuid", UUID, checker)
    _strict("date-time", TIMESTAMP, checker)
    _strict("date", DATE, checker)
    for fmt in ("idn-dnsname", "naked-domain"):
        checker.checkers[fmt] = checker.checkers["hostname"]
    checker.checkers["url"] = checker.checkers["uri"]
    checker.checkers["base64"] = checker.checkers["byte"]
    return checker


CHECKER = _format_checker()


def _validator(base: Any) -> Any:
    # The document's two `"type": "unknown"` mean any value.
    types = base.TYPE_CHECKER.redefine("unknown", lambda checker, instance: True)
    return validators.extend(base, type_checker=types)


READ, WRITE = _validator(OAS30ReadValidator), _validator(OAS30WriteValidator)


def errors(schema: dict[str, Any], value: Any, request: bool = False) -> list[str]:
    """Every reason `value` is not valid against `schema` (empty when it is)."""
    root = {"allOf": [schema], "components": DOC.raw["components"]}
    validator = (WRITE if request else READ)(root, format_checker=CHECKER)
    return [f"{e.json_path}: {e.message[:300]}" for e in validator.iter_errors(value)]


@cache
def values() -> Values:
    return Values(DOC)


def make(schema: dict[str, Any], key: str = "k", seed: int = 1, **context: Any) -> Any:
    return values().generate(schema, Context(seed, key, NOW, **context))


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every scalar in a JSON value; the path ends with the field's name."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from leaves(inner, f"{path}.{name}")
    elif isinstance(value, list):
        for inner in value:
            yield from leaves(inner, f"{path}[]")
    else:
        yield path, value


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON value, outermost first."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from objects(inner)


RESPONSES = [
    op
    for op in DOC.operations
    if op.response_type == "application/json" and op.response is not None
]
BODIES = [op for op in DOC.operations if op.body is not None]


def generated(op: SpecOperation, request: bool) -> list[Any]:
    """The values the validity tests check for one operation's response (or request) body."""
    return _generated(op.operation_id, request)


@cache
def _generated(operation_id: str, request: bool) -> list[Any]:
    op = DOC.by_id[operation_id]
    schema = op.body if request else op.response
    assert schema is not None
    return [
        values().generate(schema, Context(seed, f"{operation_id}|{key}", NOW), request=request)
        for seed in SEEDS
        for key in KEYS
    ]


# --- valid --------------------------------------------------------------------------------


@pytest.mark.parametrize("op", RESPONSES, ids=lambda op: op.operation_id)
def test_every_json_success_body_is_valid_against_its_schema(op: SpecOperation) -> None:
    assert op.response is not None
    for value in generated(op, request=False):
        assert errors(op.response, value) == [], value


@pytest.mark.parametrize("op", BODIES, ids=lambda op: op.operation_id)
def test_every_json_request_body_is_valid_against_its_schema(op: SpecOperation) -> None:
    assert op.body is not None
    for value in generated(op, request=True):
        assert errors(op.body, value, request=True) == [], value


# Their `spec` is a oneOf of two schemas without a required field: every value matches both.
IMPOSSIBLE = {
    "de.mittwald.v1.order.ProjectHostingOrder",
    "de.mittwald.v1.order.ProjectHostingOrderPreview",
    "de.mittwald.v1.order.ProjectHostingTariffChange",
}


@pytest.mark.parametrize("name", sorted(set(DOC.schemas) - IMPOSSIBLE))
def test_every_component_schema_gives_valid_values(name: str) -> None:
    schema = {"$ref": f"#/components/schemas/{name}"}
    for key in KEYS:
        value = make(schema, f"{name}|{key}")
        assert errors(schema, value) == [], value


def test_the_document_is_covered() -> None:
    # 371 JSON success bodies and 266 JSON request bodies, as the document stands.
    assert (len(RESPONSES), len(BODIES)) == (371, 266)


S = "string"
# One row per keyword: a small schema, and what every value made for it must satisfy beyond
# validity (None: validity is the whole claim).
KEYWORDS: list[tuple[str, dict[str, Any]]] = [
    ("maxLength", {"type": S, "maxLength": 3}),
    ("minLength", {"type": S, "minLength": 40}),
    ("exact length", {"type": S, "minLength": 37, "maxLength": 37}),
    ("empty string only", {"type": S, "maxLength": 0}),
    ("pattern", {"type": S, "pattern": "^[pr][0-9]{2,8}$"}),
    (
        "pattern on a known name",
        {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": S, "pattern": "^[A-Z]{2}-[0-9]{3}$"}},
        },
    ),
    ("enum", {"type": S, "enum": ["a", "b", "c"]}),
    ("enum with null", {"type": S, "nullable": True, "enum": ["x", None]}),
    ("integer bounds", {"type": "integer", "minimum": 5, "maximum": 7}),
    (
        "exclusive bounds",
        {
            "type": "integer",
            "minimum": 5,
            "maximum": 7,
            "exclusiveMinimum": True,
            "exclusiveMaximum": True,
        },
    ),
    ("float bounds", {"type": "number", "format": "float", "minimum": 0, "maximum": 1}),
    ("far bounds", {"type": "integer", "minimum": 10**9}),
    ("negative bounds", {"type": "integer", "maximum": -20}),
    ("multipleOf", {"type": "integer", "multipleOf": 5}),
    ("minItems", {"type": "array", "items": {"type": S}, "minItems": 5}),
    ("maxItems", {"type": "array", "items": {"type": S}, "maxItems": 1}),
    ("no items", {"type": "array", "items": {"type": S}, "maxItems": 0}),
    (
        "uniqueItems of a short enum",
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 2,
            "items": {"type": S, "enum": ["x", "y"]},
        },
    ),
    (
        "uniqueItems",
        {
            "type": "array",
            "uniqueItems": True,
            "minItems": 3,
            "items": {"type": "integer", "minimum": 1, "maximum": 4},
        },
    ),
    (
        "no additional properties",
        {"type": "object", "additionalProperties": False, "properties": {"a": {"type": S}}},
    ),
    ("additional properties", {"type": "object", "additionalProperties": {"type": "integer"}}),
    (
        "required nullable",
        {"type": "object", "required": ["a"], "properties": {"a": {"type": S, "nullable": True}}},
    ),
    (
        "allOf",
        {
            "allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": S}}},
                {
                    "type": "object",
                    "required": ["b"],
                    "properties": {"b": {"type": "integer", "maximum": 3}},
                },
            ]
        },
    ),
    (
        "allOf on one property",
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"allOf": [{"type": S, "minLength": 2}, {"maxLength": 3}]}},
        },
    ),
    ("anyOf", {"anyOf": [{"type": S, "format": "uuid"}, {"type": "integer", "minimum": 1}]}),
    (
        "oneOf: an enum beside any string",
        {"oneOf": [{"type": S, "enum": ["proSpace"]}, {"type": S, "minLength": 1}]},
    ),
    (
        "oneOf: optional fields that would match the other branch",
        {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["a"],
                    "properties": {"a": {"type": S}, "b": {"type": S}},
                },
                {"type": "object", "required": ["b"], "properties": {"b": {"type": S}}},
            ]
        },
    ),
    (
        "oneOf: a uuid or empty",
        {"oneOf": [{"type": S, "format": "uuid", "minLength": 1}, {"type": S, "maxLength": 0}]},
    ),
    (
        "oneOf: one branch a subset of another",
        {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["s"],
                    "properties": {"s": {"type": S}, "v": {"type": "integer"}},
                },
                {
                    "type": "object",
                    "required": ["s", "v"],
                    "properties": {"s": {"type": S}, "v": {"type": "integer"}},
                },
            ]
        },
    ),
    ("not", {"type": S, "not": {"enum": ["ready", "running"]}, "enum": ["ready", "x"]}),
    ("unknown type", {"type": "unknown"}),
    ("no type", {}),
]


@pytest.mark.parametrize(("keyword", "schema"), KEYWORDS, ids=[k for k, _ in KEYWORDS])
def test_each_keyword_is_honoured(keyword: str, schema: dict[str, Any]) -> None:
    for index in range(40):
        value = make(schema, f"keyword-{index}")
        assert errors(schema, value) == [], (keyword, value)


def test_optional_fields_are_sometimes_present_and_never_null() -> None:
    schema = DOC.schemas["de.mittwald.v1.database.MySqlDatabase"]
    required = set(schema["required"])
    optional = set(schema["properties"]) - required
    seen: set[str] = set()
    missing: set[str] = set()
    for index in range(60):
        value = make(
            {"$ref": "#/components/schemas/de.mittwald.v1.database.MySqlDatabase"}, f"db-{index}"
        )
        assert required <= set(value)
        seen |= set(value) & optional
        missing |= optional - set(value)
        assert all(inner is not None for _, inner in leaves(value)), value
    assert seen == optional and missing == optional


def test_no_generated_value_holds_null() -> None:
    for op, request in [(op, False) for op in RESPONSES] + [(op, True) for op in BODIES]:
        for value in generated(op, request):
            nulls = [path for path, inner in leaves(value) if inner is None]
            assert nulls == [], (op.operation_id, nulls)


def test_a_oneof_the_document_makes_impossible_is_named() -> None:
    # Both spec branches (machine type, or ram/vcpu) have no required field: every honest
    # value matches both. The generator keeps the honest value and names the schema.
    schema = {"$ref": "#/components/schemas/de.mittwald.v1.order.ProjectHostingOrder"}
    fresh = Values(DOC)
    value = fresh.generate(schema, Context(1, "order", NOW))
    assert any("valid under each of" in e for e in errors(schema, value))
    assert fresh.ambiguous == {"ProjectHostingOrder.spec"}


def test_an_operation_picks_a_branch_it_can_satisfy_over_an_impossible_one() -> None:
    # orderData: a project hosting order can never be valid (above); the others can.
    op = DOC.by_id["order-create-order"]
    assert op.body is not None
    kinds = set()
    for index in range(30):
        value = make(op.body, f"order-{index}")
        assert errors(op.body, value, request=True) == []
        kinds.add(tuple(sorted(value.get("orderData", {}))))
    assert len(kinds) > 3


def test_an_order_type_names_the_order_data_beside_it() -> None:
    body = DOC.by_id["order-create-order"].body
    assert body is not None
    kinds = {}
    for index in range(40):
        order = values().generate(body, Context(1, f"kind-{index}", NOW), request=True)
        if "orderData" in order:
            schema = ref(f"order.{order['orderType'][:1].upper()}{order['orderType'][1:]}Order")
            if order["orderType"] == "aiHosting":
                schema = ref("order.AIHostingOrder")
            assert errors(schema, order["orderData"]) == [], order
            kinds[order["orderType"]] = True
    assert len(kinds) >= 4


def test_a_request_body_carries_most_of_its_optional_fields() -> None:
    body = DOC.by_id["cronjob-create-cronjob"].body
    assert body is not None
    optional = set(DOC.resolve(body)["properties"]) - set(DOC.resolve(body).get("required", ()))
    present = sum(
        len(optional & set(values().generate(body, Context(1, f"b{i}", NOW), request=True)))
        for i in range(40)
    )
    assert present > 0.8 * 40 * len(optional)


def test_response_values_leave_out_write_only_fields_and_requests_read_only_ones() -> None:
    schema = {
        "type": "object",
        "required": ["secret", "id"],
        "properties": {
            "secret": {"type": S, "writeOnly": True},
            "id": {"type": S, "format": "uuid", "readOnly": True},
            "name": {"type": S},
        },
    }
    for index in range(10):
        answer = values().generate(schema, Context(1, f"w{index}", NOW))
        body = values().generate(schema, Context(1, f"w{index}", NOW), request=True)
        assert "secret" not in answer and "id" in answer
        assert "id" not in body and "secret" in body


# --- formats ------------------------------------------------------------------------------

FORMATS = [
    "uuid",
    "date-time",
    "date",
    "email",
    "idn-email",
    "uri",
    "url",
    "hostname",
    "idn-hostname",
    "idn-dnsname",
    "naked-domain",
    "ipv4",
    "ipv6",
    "byte",
    "base64",
    "binary",
    "int32",
    "int64",
    "float",
    "double",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_valid_in_the_apis_wire_style(fmt: str) -> None:
    kind = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}
    schema = {"type": kind.get(fmt, S), "format": fmt}
    for index in range(30):
        value = make(schema, f"format-{index}")
        assert errors(schema, value) == [], value
        if fmt in ("float", "double"):
            assert isinstance(value, float)


def test_ids_and_timestamps_are_written_as_the_api_writes_them() -> None:
    db = make({"$ref": "#/components/schemas/de.mittwald.v1.database.MySqlDatabase"}, "fmt")
    assert UUID.fullmatch(db["id"]) and UUID.fullmatch(db["projectId"])
    assert TIMESTAMP.fullmatch(db["createdAt"]), db["createdAt"]


# --- realistic ----------------------------------------------------------------------------


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/de.mittwald.v1.{name}"}


def test_databases_look_like_mittwalds() -> None:
    for index in range(20):
        db = make(ref("database.MySqlDatabase"), f"mysql-{index}")
        six = db["name"].removeprefix("mysql_")
        assert re.fullmatch(r"mysql_[a-z0-9]{6}", db["name"])
        assert re.fullmatch(rf"mysql-{six}\.pg-[a-z0-9]{{6}}\.db\.project\.host", db["hostname"])
        assert re.fullmatch(r"[0-9]\.[0-9]", db["version"])
        user = make(ref("database.MySqlUser"), f"user-{index}")
        assert re.fullmatch(r"dbu_[a-z0-9]{6}", user["name"])
        assert 10 * 2**20 <= db["storageUsageInBytes"] <= 100 * 2**30


@pytest.mark.parametrize(
    ("schema", "field", "shape"),
    [
        ("project.Project", "shortId", r"p-[a-z0-9]{6}"),
        ("app.AppInstallation", "shortId", r"a-[a-z0-9]{6}"),
        ("cronjob.Cronjob", "shortId", r"cron-[a-z0-9]{6}"),
        ("cronjob.Cronjob", "interval", r"[0-9*/,-]+( [0-9*/,-]+){4}"),
        ("container.ServiceState", "image", r"[a-z0-9./-]+:[a-z0-9.-]+"),
        ("invoice.PaymentSettingsDebit", "iban", r"DE[0-9]{20}"),
        ("user.User", "email", r"[a-z0-9.]+@[a-z0-9.-]+\.[a-z]+"),
        ("app.AppVersion", "externalVersion", r"[0-9]+\.[0-9]+\.[0-9]+"),
        ("dns.RecordMXRecord", "fqdn", r"([a-z0-9-]+\.)+[a-z]+"),
    ],
)
def test_fields_take_mittwalds_shapes(schema: str, field: str, shape: str) -> None:
    for index in range(15):
        value = make(ref(schema), f"shape-{index}")
        if field in value:
            assert re.fullmatch(shape, value[field]), value[field]


def test_ibans_have_valid_check_digits() -> None:
    for index in range(30):
        iban = make(ref("invoice.PaymentSettingsDebit"), f"iban-{index}")["iban"]
        digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
        assert int(digits) % 97 == 1, iban


ROLES = {"info", "kontakt", "support", "office", "buchhaltung", "webmaster"}


def test_a_persons_names_and_email_agree() -> None:
    for index in range(30):
        member = make(ref("membership.ProjectMembership"), f"person-{index}")
        local = member["email"].split("@")[0]
        names = {ascii_name(member["firstName"]), ascii_name(member["lastName"])}
        assert local in ROLES or any(name in local for name in names), member


PLACEHOLDERS = re.compile(r"(?i)^(string|lorem.*|ipsum|foo|bar|test|null|undefined)$")


def test_no_value_is_a_placeholder_or_an_absurd_number() -> None:
    for op, request in [(op, False) for op in RESPONSES] + [(op, True) for op in BODIES]:
        for value in generated(op, request):
            for path, leaf in leaves(value):
                assert not (isinstance(leaf, str) and PLACEHOLDERS.match(leaf)), (path, leaf)
                if isinstance(leaf, int | float) and not isinstance(leaf, bool):
                    assert -(10**4) <= leaf <= 2**40, (op.operation_id, path, leaf)


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        (r".*InBytes", 0, 200 * 2**30),
        (r".*InPercentage", 0, 100),
        (r"port", 1, 65535),
        (r".*[Cc]ount", 0, 1000),
        (r"vatRate", 0, 25),
        (r"foundingYear", 1900, 2026),
    ],
)
def test_numbers_stay_in_plausible_ranges(name: str, low: int, high: int) -> None:
    found = 0
    for op in RESPONSES:
        for value in generated(op, False):
            for path, leaf in leaves(value):
                if re.fullmatch(name, path.rsplit(".", 1)[-1]) and isinstance(leaf, int | float):
                    found += 1
                    assert low <= leaf <= high, (op.operation_id, path, leaf)
    assert found > 0


def test_dates_sit_before_now_unless_named_for_the_future() -> None:
    future = past = 0
    for op in RESPONSES:
        for value in generated(op, False):
            for path, leaf in leaves(value):
                if not (isinstance(leaf, str) and TIMESTAMP.fullmatch(leaf)):
                    continue
                name = path.rsplit(".", 1)[-1].removesuffix("[]")
                if FUTURE.fullmatch(name):
                    future += 1
                    assert parse_ms(leaf) > NOW, (op.operation_id, path, leaf)
                else:
                    past += 1
                    assert parse_ms(leaf) <= NOW, (op.operation_id, path, leaf)
    assert future > 100 and past > 1000


PAIRS = [
    ("createdAt", "updatedAt"),
    ("createdAt", "statusSetAt"),
    ("start", "end"),
    ("executionStart", "executionEnd"),
    ("createdAt", "passwordUpdatedAt"),
]


def test_an_object_is_created_before_it_is_updated() -> None:
    checked = 0
    for op in RESPONSES:
        for value in generated(op, False):
            for obj in objects(value):
                for before, after in PAIRS:
                    if isinstance(obj.get(before), str) and isinstance(obj.get(after), str):
                        checked += 1
                        assert obj[before] <= obj[after], (op.operation_id, obj)
    assert checked > 100


def test_usual_states_are_the_common_ones() -> None:
    statuses = [make(ref("database.MySqlDatabase"), f"s-{i}")["status"] for i in range(200)]
    assert statuses.count("ready") > len(statuses) / 2


# --- deterministic ------------------------------------------------------------------------


def test_the_same_schema_and_context_give_the_same_bytes() -> None:
    op = DOC.by_id["app-get-appinstallation"]
    first = orjson.dumps(make(op.response, "same"))
    again = orjson.dumps(Values(DOC).generate(op.response, Context(1, "same", NOW)))
    assert first == again == orjson.dumps(make(op.response, "same"))


SCRIPT = """
import orjson, sys
from mockapi.spec.document import load_document
from mockapi.spec.values import Context, Values
doc = load_document()
values = Values(doc)
out = [values.generate(doc.by_id[o].response, Context(7, o, 1767225600000))
       for o in sys.argv[1:]]
sys.stdout.buffer.write(orjson.dumps(out))
"""


def test_other_processes_give_the_same_bytes() -> None:
    ops = ["project-get-project", "database-list-mysql-databases", "user-get-user"]
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, *ops], env=env, capture_output=True, check=True
        )
        runs.append(done.stdout)
    here = orjson.dumps([values().generate(DOC.by_id[o].response, Context(7, o, NOW)) for o in ops])
    assert runs[0] == runs[1] == here


def test_another_seed_or_key_gives_other_values() -> None:
    schema = ref("project.Project")
    base = make(schema, "one", seed=1)
    for other in (make(schema, "one", seed=2), make(schema, "two", seed=1)):
        differ = [k for k in base if k in other and base[k] != other[k]]
        assert len(differ) >= len(base) // 2, differ


def test_a_list_item_and_the_single_get_agree_on_their_fields() -> None:
    listed = DOC.by_id["database-list-mysql-databases"].response
    single = DOC.by_id["database-get-mysql-database"].response
    assert listed is not None and single is not None
    own = {
        "id": "7c1d2c3e-0f4b-4a5e-9d8c-1b2a3c4d5e6f",
        "projectId": "0f5ec9cd-1b1b-4850-9061-fcebe765c62d",
    }
    key = "mysql|7c1d2c3e"
    item = values().generate(listed["items"], Context(1, key, NOW, own=own))
    alone = values().generate(single, Context(1, key, NOW, own=own))
    assert item == alone


def test_a_field_keeps_its_value_in_another_compatible_schema() -> None:
    # A project as GET /v2/projects/{id} and as an item of GET /v2/projects: two schemas.
    for index in range(10):
        full = make(ref("project.Project"), f"compatible-{index}")
        item = make(ref("project.ProjectListItem"), f"compatible-{index}")
        shared = set(full) & set(item)
        assert len(shared) > 12
        assert {k: full[k] for k in shared} == {k: item[k] for k in shared}


# --- own values and references ------------------------------------------------------------


def test_own_fields_take_the_given_values() -> None:
    own = {
        "id": "11111111-1111-4111-8111-111111111111",
        "projectId": "22222222-2222-4222-8222-222222222222",
    }
    for index in range(10):
        db = make(ref("database.MySqlDatabase"), f"own-{index}", own=own)
        assert db["id"] == own["id"] and db["projectId"] == own["projectId"]
        # Own values bind the top level only: the main user keeps an id of its own.
        assert db.get("mainUser", {}).get("id") != own["id"]


def test_own_fields_bind_each_item_of_a_top_level_list() -> None:
    listed = DOC.by_id["database-list-mysql-databases"].response
    project = "22222222-2222-4222-8222-222222222222"
    for index in range(10):
        items = make(listed, f"list-{index}", own={"projectId": project})
        assert {item["projectId"] for item in items} <= {project}
        assert len({item["id"] for item in items}) == len(items)


def test_references_fill_fields_of_that_name_anywhere() -> None:
    served = ["aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"]
    schema = {
        "type": "object",
        "required": ["projectId", "items"],
        "properties": {
            "projectId": {"type": S, "format": "uuid"},
            "items": {
                "type": "array",
                "minItems": 4,
                "items": {
                    "type": "object",
                    "required": ["projectId", "customerId"],
                    "properties": {
                        "projectId": {"type": S, "format": "uuid"},
                        "customerId": {"type": S},
                    },
                },
            },
        },
    }
    chosen = set()
    for index in range(20):
        value = make(schema, f"refs-{index}", references={"projectId": served})
        assert value["projectId"] in served
        chosen |= {item["projectId"] for item in value["items"]}
        assert all(item["customerId"] not in served for item in value["items"])
    assert chosen == set(served)


def test_references_name_the_served_projects_in_real_answers() -> None:
    served = ["aaaaaaaa-0000-4000-8000-000000000001"]
    op = DOC.by_id["database-list-mysql-databases"]
    for value in (make(op.response, f"r-{i}", references={"projectId": served}) for i in range(5)):
        assert {db["projectId"] for db in value} <= set(served)


def test_ids_of_other_kinds_come_from_the_key_and_the_path() -> None:
    user = ref("database.MySqlUser")
    assert make(user, "same")["databaseId"] == make(user, "same")["databaseId"]
    assert make(user, "same")["databaseId"] != make(user, "other")["databaseId"]
    assert make(user, "same")["databaseId"] != make(user, "same")["id"]


def test_the_generator_keeps_no_generated_values() -> None:
    fresh = Values(DOC)
    schema = ref("project.Project")
    fresh.generate(schema, Context(1, "warm", NOW))
    plans = len(fresh._plans)
    for index in range(200):
        fresh.generate(schema, Context(1, f"many-{index}", NOW))
    assert len(fresh._plans) == plans


def test_the_summary_names_what_needed_special_handling() -> None:
    fresh = Values(DOC)
    for op in RESPONSES + BODIES:
        schema = op.response if op in RESPONSES else op.body
        assert schema is not None
        fresh.generate(schema, Context(1, op.operation_id, NOW))
    kinds = {kind for kind, _ in fresh.quirks}
    assert "allOf merged into one object" in kinds
    # `"type": "unknown"` never reaches the generator: the document reads it as no type.
    assert any(kind.startswith("pattern") for kind in kinds)
    assert json.dumps(sorted(fresh.quirks))


def test_the_shipped_pools_are_the_seeded_draw() -> None:
    """pools.json is what scripts/draw_pools.py draws (a new Faker may change it: redraw)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parent.parent / "scripts" / "draw_pools.py"
    assert subprocess.run([sys.executable, str(script), "--check"], timeout=120).returncode == 0
