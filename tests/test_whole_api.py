"""The operations beyond backups (issue 16): routed, checked, consistent, paged, remembered.

Each test names one rule of docs/all-operations.md. The answers' shapes are checked against
the whole official document by `tests/support.py` on every call.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mockapi.spec.catalog import Kind, field_for, load_catalog
from mockapi.spec.document import load_document
from mockapi.spec.report import counts, remembering_table
from mockapi.spec.values import Context, Values
from tests.support import SpecClient

TOKEN = {"x-access-token": "t"}
FIRST = "3f1a5d2e-8c4b-4e7a-9b61-2d0c7e5f4a13"  # p-kbuygq
SECOND = "7c9e4b21-5d3a-4f86-a1e0-6b8d2c4f9e37"  # p-4x9zt2
DATABASES = f"/v2/projects/{FIRST}/mysql-databases"
NEVER_SERVED = "5b3f7a9e-1c2d-4e5f-8a6b-7c8d9e0f1a2b"
NO_ROUTE = {"type": "NotFound", "message": "The requested resource was not found."}


@pytest.fixture
def whole(make_api: Callable[..., SpecClient]) -> SpecClient:
    """A spec-checked client over the built-in default dataset."""
    return make_api(None)


def a_body(operation_id: str, key: str = "test") -> Any:
    """A body valid against an operation's request schema (None: it takes none)."""
    document = load_document()
    schema = document.by_id[operation_id].body
    if schema is None:
        return None
    return Values(document).generate(schema, Context(7, f"{operation_id}|{key}", 0))


# --- 1. routed by the document ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/v2/mysql-databases/x/nothing", "/v2/cronjob", "/v2/projects/p-kbuygq/mysql-database"],
)
@pytest.mark.parametrize("headers", [{}, TOKEN])
def test_a_path_not_in_the_document_gets_the_recorded_404_before_any_token_check(
    whole: SpecClient, path: str, headers: dict[str, str]
) -> None:
    response = whole.get(path, headers=headers)
    assert (response.status_code, response.json()) == (404, NO_ROUTE)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", DATABASES, {"GET", "HEAD", "POST"}),
        ("POST", "/v2/apps", {"GET", "HEAD"}),
        # `/v2/users/self` writes only DELETE; GET and PUT are `/v2/users/{userId}`'s.
        ("POST", "/v2/users/self", {"DELETE", "GET", "HEAD", "PUT"}),
    ],
)
def test_a_known_path_with_another_method_gets_405_naming_every_method(
    whole: SpecClient, method: str, path: str, allowed: set[str]
) -> None:
    response = whole.request(method, path, headers={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed


def test_a_parameter_route_answers_where_the_literal_one_lacks_the_method(
    whole: SpecClient,
) -> None:
    response = whole.get("/v2/users/self")
    assert response.status_code == 200
    assert "userId" in response.json()


def test_a_deprecated_alias_redirects_to_its_successor_with_308(whole: SpecClient) -> None:
    response = whole.client.get(
        "/v2/appinstallations/abc?x=1", headers=TOKEN, follow_redirects=False
    )
    assert response.status_code == 308
    assert response.headers["location"] == "/v2/app-installations/abc"


def test_only_the_modelled_operations_answer_with_scope_modelled(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, scope="modelled")
    assert api.get(DATABASES).json() == NO_ROUTE
    assert api.get("/v2/projects/p-kbuygq/backups").status_code == 200
    assert api.request("DELETE", f"/v2/projects/{FIRST}").status_code == 405


# --- 2. one pipeline ------------------------------------------------------------------------


def test_an_operation_that_needs_a_token_refuses_a_request_without_one(
    whole: SpecClient,
) -> None:
    response = whole.get(DATABASES, headers={})
    assert response.status_code == 401
    assert response.json()["type"] == "Unauthenticated"


@pytest.mark.parametrize("path", ["/v2/apps", "/v2/domain-tlds", "/v2/articles"])
def test_an_operation_with_empty_security_answers_without_a_token(
    whole: SpecClient, path: str
) -> None:
    response = whole.get(path, headers={})
    assert response.status_code == 200
    assert "x-ratelimit-limit" not in response.headers


def test_generic_answers_carry_rate_limit_and_trace_headers(whole: SpecClient) -> None:
    first = whole.get(DATABASES)
    second = whole.get(DATABASES)
    assert first.headers["x-ratelimit-limit"] == "3000"
    remaining = int(first.headers["x-ratelimit-remaining"])
    assert int(second.headers["x-ratelimit-remaining"]) == remaining - 1
    assert first.headers["x-traceid"] != second.headers["x-traceid"]


def test_prefer_forces_a_generic_answer_in_the_dialect(whole: SpecClient) -> None:
    response = whole.get(DATABASES, headers={**TOKEN, "Prefer": "code=503"})
    assert response.status_code == 503
    assert response.json()["type"] == "ServiceUnavailable"


def test_a_fault_rule_for_a_project_hits_its_generic_operations(whole: SpecClient) -> None:
    rule = {"project": "p-kbuygq", "status": 500, "count": 1}
    assert whole.control("POST", "faults", json=rule).status_code == 201
    assert whole.get(f"/v2/projects/{SECOND}/mysql-databases").status_code == 200
    assert whole.get("/v2/projects/p-kbuygq/cronjobs").status_code == 500
    assert whole.get("/v2/projects/p-kbuygq/cronjobs").status_code == 200


def test_the_journal_records_generic_calls(whole: SpecClient) -> None:
    whole.get(DATABASES)
    entry = whole.control("GET", "journal").json()["entries"][-1]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", DATABASES, 200)


def test_with_several_workers_a_remembered_write_is_a_409(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, workers=2, clock="running")
    response = api.post(
        f"/v2/projects/{FIRST}/cronjobs", json=a_body("cronjob-create-cronjob"), headers=TOKEN
    )
    assert response.status_code == 409
    assert "read-only" in response.json()["message"]
    assert api.get(DATABASES).status_code == 200


# --- 3. validated input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "body", "named"),
    [
        ("GET", "/v2/apps?limit=abc", None, [("limit", "type")]),
        ("GET", "/v2/apps?limit=-1", None, [("limit", "minimum")]),
        ("GET", "/v2/app-installations?sortOrder=up", None, [("sortOrder", "enum")]),
        ("GET", "/v2/apps?limit=2&limit=3", None, [("limit", "type")]),
        ("GET", "/v2/container-image-config", None, [("imageReference", "required")]),
        ("GET", "/v2/apps/not-a-uuid", None, [("appId", "format")]),
        (
            "POST",
            f"/v2/projects/{FIRST}/cronjobs",
            {"active": "yes"},
            [
                ("active", "type"),
                ("description", "required"),
                ("interval", "required"),
                ("timeout", "required"),
            ],
        ),
        ("POST", f"/v2/projects/{FIRST}/cronjobs", None, [("", "required")]),
    ],
)
def test_bad_input_is_a_400_naming_each_field_with_its_bare_path(
    whole: SpecClient, method: str, url: str, body: Any, named: list[tuple[str, str]]
) -> None:
    response = whole.request(method, url, json=body, headers=TOKEN)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["type"] == "ValidationError"
    assert sorted((e["path"], e["type"]) for e in answer["validationErrors"]) == sorted(named)
    assert answer["message"].startswith("3 INVALID_ARGUMENT: validation failed with [")


def test_a_bad_query_is_refused_before_an_unknown_project(whole: SpecClient) -> None:
    response = whole.get("/v2/projects/p-zzzzzz/app-installations?limit=x")
    assert response.status_code == 400


# --- 6. consistent ---------------------------------------------------------------------------


def test_the_items_of_a_project_list_carry_that_project(whole: SpecClient) -> None:
    for project in (FIRST, SECOND):
        items = whole.get(f"/v2/projects/{project}/mysql-databases").json()
        assert {item["projectId"] for item in items} <= {project}


def test_a_short_id_in_the_path_is_the_project_uuid_in_the_body(whole: SpecClient) -> None:
    by_short = whole.get("/v2/projects/p-kbuygq/mysql-databases").json()
    assert by_short == whole.get(DATABASES).json()


def test_a_get_returns_the_object_the_list_shows(whole: SpecClient) -> None:
    for item in whole.get(DATABASES).json():
        assert whole.get(f"/v2/mysql-databases/{item['id']}").json() == item
    database = whole.get(DATABASES).json()[0]["id"]
    for user in whole.get(f"/v2/mysql-databases/{database}/users").json():
        assert user["databaseId"] == database
        assert whole.get(f"/v2/mysql-users/{user['id']}").json() == user


def test_the_list_of_every_project_is_the_union_of_project_lists(whole: SpecClient) -> None:
    everywhere = whole.get("/v2/app-installations").json()
    per_project = [
        item
        for project in (FIRST, SECOND, "0a2b4c6d-8e0f-4a1b-9c2d-3e4f5a6b7c8d")
        for item in whole.get(f"/v2/projects/{project}/app-installations").json()
    ]
    assert sorted(i["id"] for i in everywhere) == sorted(i["id"] for i in per_project)


def test_references_to_projects_name_served_projects(whole: SpecClient) -> None:
    served = {p["id"] for p in whole.get("/v2/projects").json()}
    for item in whole.get("/v2/ingresses").json():
        assert item["projectId"] in served


def test_customer_and_server_of_a_project_are_served(whole: SpecClient) -> None:
    project = whole.get(f"/v2/projects/{FIRST}").json()
    customer = whole.get(f"/v2/customers/{project['customerId']}").json()
    assert customer["customerId"] == project["customerId"]
    if "serverId" in project:
        assert whole.get(f"/v2/servers/{project['serverId']}").json()["id"] == project["serverId"]


def test_an_unknown_project_gets_the_recorded_403(whole: SpecClient) -> None:
    response = whole.get("/v2/projects/p-zzzzzz/mysql-databases")
    assert response.status_code == 403
    assert response.json()["type"] == "PermissionDenied"


@pytest.mark.parametrize(("mode", "status"), [("forbidden", 403), ("not-found", 404)])
@pytest.mark.parametrize(
    "path",
    [
        f"/v2/mysql-databases/{NEVER_SERVED}",
        f"/v2/mysql-databases/{NEVER_SERVED}/users",
        f"/v2/cronjobs/{NEVER_SERVED}",
        f"/v2/customers/{NEVER_SERVED}",
    ],
)
def test_an_id_never_served_gets_the_unknown_id_answer(
    make_api: Callable[..., SpecClient], mode: str, status: int, path: str
) -> None:
    api = make_api(None, unknown_id=mode)
    assert api.get(path).status_code == status


def test_an_unknown_project_lists_empty_when_configured(
    make_api: Callable[..., SpecClient],
) -> None:
    api = make_api(None, unknown_project="empty")
    response = api.get("/v2/projects/p-zzzzzz/app-installations?limit=5&page=2")
    assert (response.status_code, response.json()) == (200, [])
    assert response.headers["x-pagination-totalcount"] == "0"


# --- 7. lists page ---------------------------------------------------------------------------


def paginated() -> list[str]:
    """Paginated list operations whose only path parameter (if any) is the project."""
    return sorted(
        op.path
        for op in load_document().operations
        if op.paginated
        and op.method == "GET"
        and {p.name for p in op.path_parameters} <= {"projectId"}
        and "/backups" not in op.path
    )


@pytest.mark.parametrize("template", paginated())
def test_a_paginated_list_honours_limit_skip_and_page(whole: SpecClient, template: str) -> None:
    path = template.replace("{projectId}", FIRST)
    everything = whole.get(path + "?limit=1000")
    items = items_of(everything.json())
    total = int(everything.headers["x-pagination-totalcount"])
    assert total == len(items)
    if total < 2:
        pytest.skip("fewer than two items here")
    second = whole.get(path + "?limit=1&skip=1")
    assert items_of(second.json()) == items[1:2]
    assert (second.headers["x-pagination-limit"], second.headers["x-pagination-skip"]) == (
        "1",
        "1",
    )
    page = whole.get(path + "?limit=1&page=2")
    assert items_of(page.json()) == items[1:2]
    if "x-pagination-page" in page.headers:
        assert page.headers["x-pagination-page"] == "2"


def project_lists() -> list[str]:
    """Every list operation of one project."""
    catalog = load_catalog()
    return sorted(
        listing.operation.path
        for kind in catalog.kinds.values()
        for listing in kind.lists
        if listing.params == ("projectId",)
    )


@pytest.mark.parametrize("template", project_lists())
def test_every_list_of_the_first_project_holds_something(whole: SpecClient, template: str) -> None:
    assert len(items_of(whole.get(template.replace("{projectId}", "p-kbuygq")).json())) >= 1


def test_lists_have_varied_sizes(whole: SpecClient) -> None:
    sizes = {
        len(items_of(whole.get(template.replace("{projectId}", project)).json()))
        for template in project_lists()
        if "backup" not in template
        for project in (FIRST, SECOND)
    }
    assert len(sizes) >= 3


# --- 8. remembered ---------------------------------------------------------------------------


def remembering() -> list[Kind]:
    """The kinds the README's table says remember (hand-modelled backups aside)."""
    return [k for k in load_catalog().remembering() if "backup" not in k.name]


def place_of(kind: Kind, whole: SpecClient) -> dict[str, str]:
    """Path values for a kind's create and list: the first project, its customer, or the
    first item of the kind the path names (any id where that kind is listed nowhere)."""
    project = whole.get(f"/v2/projects/{FIRST}").json()
    values = {"projectId": FIRST, "customerId": project["customerId"]}
    for listing in kind.lists:
        for param in listing.params:
            if param in values:
                continue
            parents = [
                li
                for k in load_catalog().kinds.values()
                if param in k.id_params
                for li in k.lists
                if li.params in ((), ("projectId",))
            ]
            if not parents:
                values[param] = NEVER_SERVED
                continue
            parent = whole.get(parents[0].operation.path.replace("{projectId}", FIRST)).json()
            values[param] = items_of(parent)[0]["id"]
    return values


def with_parents(kind: Kind, body: Any, items: list[Any]) -> Any:
    """A body whose `parent...Id` names an item of its own kind (a DNS zone's parent)."""
    if isinstance(body, dict) and items:
        for name in body:
            if name.startswith("parent") and name.endswith("Id"):
                body[name] = items[0][kind.id_field]
    return body


def fill(path: str, values: dict[str, str]) -> str:
    """A path template with its parameters filled."""
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """An object's values by dotted path (lists and scalars are leaves)."""
    if not isinstance(value, dict):
        return {prefix: value}
    found: dict[str, Any] = {}
    for key, inner in value.items():
        found.update(leaves(inner, f"{prefix}.{key}" if prefix else key))
    return found


def items_of(body: Any) -> list[Any]:
    """A list answer's items, bare or wrapped."""
    return body if isinstance(body, list) else next(iter(body.values()))


@pytest.mark.parametrize("kind", remembering(), ids=lambda k: k.short_name)
def test_a_created_item_is_got_listed_changed_deleted_and_reset(
    whole: SpecClient, kind: Kind
) -> None:
    values = place_of(kind, whole)
    create = kind.creates[-1] if "{customerId}" not in kind.creates[0].path else kind.creates[0]
    listing = next(li for li in kind.lists if set(li.params) <= set(values))
    list_url = fill(listing.operation.path, values)
    before = items_of(whole.get(list_url).json())
    body = with_parents(kind, a_body(create.operation_id, kind.name), before)
    made = whole.post(fill(create.path, values), json=body, headers=TOKEN)
    assert made.status_code == create.status, made.text
    answer = made.json() if made.content else {}
    new_id = answer.get(kind.id_field) or answer.get("id")
    if new_id is None:  # the answer names nothing (an SSH key, an API token): the list does
        after = {i[kind.id_field] for i in items_of(whole.get(list_url).json())}
        [new_id] = after - {i[kind.id_field] for i in before}
    got = whole.get(fill(kind.gets[0].path, {**values, kind.id_params[0]: new_id}))
    assert got.status_code == 200, got.text
    shown = got.json()
    shown = shown if kind.id_field in shown else next(iter(shown.values()))
    bound = {field_for(param, kind.properties) for param in values}
    sent = {p: v for p, v in leaves(body).items() if p.split(".")[0] not in bound}
    kept = {p: v for p, v in leaves(shown).items() if p in sent}
    assert kept == {p: sent[p] for p in kept}
    listed = [i[kind.id_field] for i in items_of(whole.get(list_url).json())]
    assert sorted(listed) == sorted([i[kind.id_field] for i in before] + [new_id])
    if kind.deletes:
        item_url = fill(kind.deletes[0].path, {**values, kind.id_params[0]: new_id})
        assert whole.delete(item_url, headers=TOKEN).status_code == kind.deletes[0].status
        assert (
            whole.get(fill(kind.gets[0].path, {**values, kind.id_params[0]: new_id})).status_code
            == 403
        )
        assert items_of(whole.get(list_url).json()) == before
    whole.post(fill(create.path, values), json=body, headers=TOKEN)
    whole.control("POST", "reset")
    assert items_of(whole.get(list_url).json()) == before


def test_an_update_changes_what_get_and_list_show(whole: SpecClient) -> None:
    database = whole.get(DATABASES).json()[0]
    response = whole.patch(
        f"/v2/mysql-databases/{database['id']}/description",
        json={"description": "shop, staging"},
        headers=TOKEN,
    )
    if response.status_code == 404:  # the description has its own operation here
        pytest.fail(response.text)
    got = whole.get(f"/v2/mysql-databases/{database['id']}").json()
    assert got["description"] == "shop, staging"
    listed = {i["id"]: i for i in whole.get(DATABASES).json()}
    assert listed[database["id"]]["description"] == "shop, staging"


def test_the_table_of_what_is_remembered_is_the_code_s() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "all-operations.md").read_text()
    shown = docs.split("<!-- remembering table: generated -->\n", 1)[1]
    shown = shown.split("\n<!-- end of remembering table -->", 1)[0]
    assert shown == remembering_table()
    assert len(remembering()) == counts()["remembering resources"] >= 20


def test_the_counts_in_the_docs_are_the_code_s() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "all-operations.md").read_text()
    found = counts()
    assert f"| operations served | {found['operations']} ({found['modelled']} hand-modelled" in docs
    assert (
        f"| {found['remembering resources']} ({found['remembering operations']} operations) |"
        in docs
    )
    assert f"| deprecated aliases (308) | {found['redirects']} |" in docs
    assert f"| paginated lists | {found['paginated']} |" in docs


# --- fields that must agree (coherence.py) ---------------------------------------------------


def test_a_cronjob_names_its_target_once(whole: SpecClient) -> None:
    for project in (FIRST, SECOND):
        for cronjob in whole.get(f"/v2/projects/{project}/cronjobs").json():
            target = cronjob.get("target", {})
            if "appInstallationId" in target:
                assert cronjob["appId"] == cronjob["appInstallationId"]
                assert cronjob["appInstallationId"] == target["appInstallationId"]
                assert cronjob.get("destination") == target["destination"]
            else:
                assert "destination" not in cronjob


def test_a_cronjob_created_the_old_way_gets_a_target_of_it(whole: SpecClient) -> None:
    installation = whole.get(f"/v2/projects/{FIRST}/app-installations").json()[0]["id"]
    destination = {"url": "https://shop.example.org/cron.php"}
    body = {
        "active": True,
        "appId": installation,
        "description": "the old way",
        "destination": destination,
        "interval": "*/15 * * * *",
        "timeout": 60,
    }
    made = whole.post(f"/v2/projects/{FIRST}/cronjobs", json=body, headers=TOKEN).json()["id"]
    cronjob = whole.get(f"/v2/cronjobs/{made}").json()
    assert cronjob["target"] == {"appInstallationId": installation, "destination": destination}


def test_the_user_is_a_member_of_every_served_project(whole: SpecClient) -> None:
    served = {p["id"] for p in whole.get("/v2/projects").json()}
    memberships = whole.get("/v2/users/self").json()["projectMemberships"]
    assert set(memberships) == served
    assert "id" not in {m["role"] for m in memberships.values()}


def test_a_server_belongs_to_its_projects_customer(whole: SpecClient) -> None:
    for project in whole.get("/v2/projects").json():
        server = whole.get(f"/v2/servers/{project['serverId']}").json()
        assert server["customerId"] == project["customerId"]


def test_every_message_of_a_conversation_names_it(whole: SpecClient) -> None:
    conversation = whole.get("/v2/conversations").json()[0]["conversationId"]
    messages = whole.get(f"/v2/conversations/{conversation}/messages").json()
    assert messages and {m["conversationId"] for m in messages} == {conversation}


# --- fixture documents seed the whole API's resources ----------------------------------------

SEEDED = "5b3f7a9e-1c2d-4e5f-8a6b-7c8d9e0f1a2c"


def seeded_database(whole: SpecClient, **fields: Any) -> dict[str, Any]:
    """A MySQL database item for a fixture document: a served one's shape, another id."""
    database = dict(whole.get(DATABASES).json()[0])
    database.update({"id": SEEDED, "description": "from the fixture", **fields})
    return database


def test_a_fixture_document_seeds_items_served_as_if_created(
    whole: SpecClient, make_api: Callable[..., SpecClient], tmp_path: Path
) -> None:
    import json

    from mockapi.data.fixtures import load_fixtures

    document = {
        "projects": [{"id": FIRST, "shortId": "p-kbuygq"}],
        "backups": [],
        "resources": {"database.MySqlDatabase": [seeded_database(whole)]},
    }
    fixture = tmp_path / "resources.json"
    fixture.write_text(json.dumps(document))
    api = make_api(load_fixtures([fixture]))
    assert api.get(f"/v2/mysql-databases/{SEEDED}").json()["description"] == "from the fixture"
    assert SEEDED in [d["id"] for d in api.get(DATABASES).json()]
    api.delete(f"/v2/mysql-databases/{SEEDED}", headers=TOKEN)
    api.control("POST", "reset")
    assert api.get(f"/v2/mysql-databases/{SEEDED}").status_code == 200  # back at reset
    # The data document carries them, so it serves the same again.
    read = api.control("GET", "data").json()
    assert [i["id"] for i in read["resources"]["database.MySqlDatabase"]] == [SEEDED]


@pytest.mark.parametrize(
    ("fields", "kind", "named"),
    [
        ({"isReady": "yes"}, "database.MySqlDatabase", "field 'isReady'"),
        ({"id": "not-a-uuid"}, "database.MySqlDatabase", "field 'id'"),
        ({}, "database.NoSuchKind", "'database.NoSuchKind' is no kind that remembers"),
        ({"projectId": NEVER_SERVED}, "database.MySqlDatabase", "is not served"),
    ],
)
def test_a_bad_fixture_resource_is_refused_naming_the_item_and_field(
    whole: SpecClient, fields: dict[str, Any], kind: str, named: str
) -> None:
    document = {"backups": [], "resources": {kind: [seeded_database(whole, **fields)]}}
    before = whole.get(DATABASES).json()
    answer = whole.control("POST", "data", json=document)
    assert answer.status_code == 400
    assert named in json_text(answer.json())
    assert whole.get(DATABASES).json() == before  # nothing half-loaded


def json_text(value: Any) -> str:
    """Every message of an error body, joined."""
    return " | ".join([value["message"], *(e["message"] for e in value["validationErrors"])])


def test_a_bad_fixture_resource_stops_startup_naming_file_item_and_field(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    fixture = tmp_path / "bad.json"
    item = {"id": SEEDED, "projectId": FIRST, "name": "mysql_abc123"}  # lacks required fields
    fixture.write_text(json.dumps({"backups": [], "resources": {"database.MySqlDatabase": [item]}}))
    run = subprocess.run(
        [sys.executable, "-m", "mockapi", "validate", str(fixture)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert f"{fixture}: resource database.MySqlDatabase item 0 (id {SEEDED}): field" in run.stderr


def test_domain_suggestions_are_made_of_the_prompt_as_many_as_asked(whole: SpecClient) -> None:
    # The document says it in prose: "Suggest a list of domains based on a prompt".
    url = "/v2/domain-suggestions?prompt=B%C3%A4ckerei%20M%C3%BCller"
    domains = whole.get(url, headers=TOKEN).json()["domains"]
    assert len(domains) == 6  # domainCount's default
    assert all(d.startswith("baeckerei-mueller") for d in domains), domains
    asked = whole.get(url + "&domainCount=3&tlds=de&tlds=at", headers=TOKEN).json()["domains"]
    assert len(asked) == 3 and {d.rsplit(".", 1)[1] for d in asked} == {"de", "at"}
    assert len(set(asked)) == 3
