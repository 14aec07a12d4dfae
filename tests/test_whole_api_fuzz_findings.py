"""What the fuzz of the whole document found (tests/test_fuzz.py), one behaviour per test.

Each test failed before its fix. Every answer goes through `tests/support.py`'s check, which
holds it against the whole official document: a test that only sends a request still
asserts that the answer conforms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support import SpecClient, check_answer

TOKEN = {"x-access-token": "t"}
FIRST = "3f1a5d2e-8c4b-4e7a-9b61-2d0c7e5f4a13"  # p-kbuygq
ANY_ID = "5b3f7a9e-1c2d-4e5f-8a6b-7c8d9e0f1a2b"
FILE = f"/v2/files/{ANY_ID}"


@pytest.fixture
def whole(make_api: Callable[..., SpecClient]) -> SpecClient:
    """A spec-checked client over the built-in default dataset."""
    return make_api(None)


def named(response: Any) -> list[tuple[str, str]]:
    """(path, type) of each validation error of a 400."""
    assert response.status_code == 400, response.text
    return [(e["path"], e["type"]) for e in response.json()["validationErrors"]]


def first_of(whole: SpecClient, path: str) -> str:
    """The id of the first item a list of the first project serves."""
    items = whole.get(path.replace("{projectId}", FIRST)).json()
    return str(items[0]["id"])


# --- input the document allows was refused ------------------------------------------------


def test_null_is_accepted_where_a_nullable_reference_allows_it(whole: SpecClient) -> None:
    # `credentials: {allOf: [{$ref: SetRegistryCredentials}], nullable: true}`: the
    # validator read `nullable` only beside a `type`, and refused null twice.
    registry = first_of(whole, "/v2/projects/{projectId}/registries")
    response = whole.patch(
        f"/v2/registries/{registry}", json={"credentials": None, "description": "hub"}
    )
    assert response.status_code == 204, response.text


# --- input the document refuses was accepted ----------------------------------------------


@pytest.mark.parametrize("path", ["/v2/customer-token-invite", "/v2/project-token-invite"])
def test_a_required_header_parameter_must_be_sent(whole: SpecClient, path: str) -> None:
    assert named(whole.get(path)) == [("token", "required")]
    assert whole.get(path, headers={**TOKEN, "token": "an-invite-token"}).status_code == 200
    # The answer is ready now; a request without the header is still refused.
    assert named(whole.get(path)) == [("token", "required")]


def test_a_header_parameter_must_have_its_documented_form(whole: SpecClient) -> None:
    response = whole.get(FILE, headers={**TOKEN, "Content-Disposition": "sideways"})
    assert named(response) == [("Content-Disposition", "enum")]
    assert (
        whole.get(FILE, headers={**TOKEN, "Content-Disposition": "attachment"}).status_code == 200
    )


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({}, [("", "required")]),
        ({"files": {"other": ("a.txt", b"x")}}, [("file", "required")]),
        ({"json": {"file": "x"}}, [("", "contentType")]),
    ],
    ids=["no body", "no file part", "JSON instead of a form"],
)
def test_an_upload_needs_its_documented_form_parts(
    whole: SpecClient, kwargs: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    headers = {**TOKEN, "Token": ANY_ID}
    assert named(whole.post("/v2/files", headers=headers, **kwargs)) == errors
    uploaded = whole.post("/v2/files", headers=headers, files={"file": ("a.png", b"\x89PNG")})
    assert uploaded.status_code == 201, uploaded.text


def test_a_url_encoded_form_is_checked_field_by_field(whole: SpecClient) -> None:
    response = whole.post("/v2/oauth2/token", data={"grant_type": "password"})
    assert sorted(named(response)) == [
        ("code", "required"),
        ("grant_type", "enum"),
        ("redirect_uri", "required"),
    ]
    form = {"grant_type": "authorization_code", "code": "c", "redirect_uri": "https://a.example/"}
    assert whole.post("/v2/oauth2/token", data=form).status_code == 200


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        # Items of an array parameter that are a `$ref` to an enum (an order's statuses).
        ("/v2/orders?includesStatus=NOPE", [("includesStatus", "enum")]),
        # An int64 parameter without bounds of its own still has int64's.
        (
            "/v2/customers/{customer}/unlocked-leads?employeeCountMin=-190372039287287358121050112",
            [("employeeCountMin", "minimum")],
        ),
        # A `uri` in the query is a URI.
        (
            "/v2/oauth2/authorize?response_type=code&client_id=c&redirect_uri=%EA%98%85",
            [("redirect_uri", "format")],
        ),
    ],
    ids=["array of enum refs", "int64 range", "uri format"],
)
def test_query_values_are_checked_as_the_document_types_them(
    whole: SpecClient, url: str, errors: list[tuple[str, str]]
) -> None:
    customer = whole.get(f"/v2/projects/{FIRST}").json()["customerId"]
    assert named(whole.get(url.format(customer=customer))) == errors


@pytest.mark.parametrize("email", ["\x1e@K", "no-at-sign", "a@b@c.de", "two words@x.de"])
def test_an_email_field_must_hold_an_email_address(whole: SpecClient, email: str) -> None:
    url = "/v2/users/self/credentials/actions/init-password-reset"
    assert named(whole.post(url, json={"email": email})) == [("email", "format")]
    assert whole.post(url, json={"email": "a.lovelace@example.com"}).status_code == 201


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("text/html", 406),
        ("{}", 406),
        ("", 406),
        ("*/*", 200),
        ("application/*", 200),
        ("text/plain;base64", 200),
        ("text/html, application/octet-stream;q=0.5", 200),
    ],
)
def test_a_file_is_answered_only_in_a_type_the_client_accepts(
    whole: SpecClient, accept: str, status: int
) -> None:
    assert whole.get(FILE, headers={**TOKEN, "Accept": accept}).status_code == status


# --- answers that broke clients or the document ---------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/v2/extension-instances/{instance}"),
        ("POST", "/v2/extension-instances/{instance}/actions/enable"),
    ],
)
def test_a_204_carries_no_body_though_the_document_gives_it_one(
    whole: SpecClient, method: str, path: str
) -> None:
    # The document gives five 204s a JSON body; sending one made urllib3 (requests) fail
    # with "Response may not contain content".
    instance = whole.get("/v2/extension-instances").json()[0]["id"]
    response = whole.request(method, path.format(instance=instance))
    assert response.status_code == 204
    assert response.content == b""
    assert "content-length" not in response.headers


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("GET", "/v2/oauth2/authorize?response_type=token&client_id=c", {}),
        ("POST", "/v2/oauth2/token", {"data": {"grant_type": "x"}}),
    ],
)
def test_an_oauth_refusal_speaks_oauth(
    whole: SpecClient, method: str, url: str, kwargs: dict[str, Any]
) -> None:
    # OAuth's endpoints document `{"error": ..., "error_description": ...}` for a 400.
    answer = whole.request(method, url, **kwargs).json()
    assert answer["error"] == "invalid_request"
    assert answer["error_description"] == answer["message"]
    assert answer["type"] == "ValidationError"


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", "/v2/certificate-requests"), ("PUT", f"/v2/certificates/{ANY_ID}")],
)
def test_a_certificate_refusal_uses_a_documented_message(
    whole: SpecClient, method: str, url: str
) -> None:
    # Their 400 documents an enumerated `message` ("certificate_read_failed", ...): the
    # spec check of every answer holds it to one; what was wrong stays in validationErrors.
    response = whole.request(method, url)
    assert named(response) == [("", "required")]


def test_a_deprecated_alias_redirects_whatever_body_it_is_sent(whole: SpecClient) -> None:
    # Its body is its successor's: it answered 400 (undocumented) to a body not JSON.
    response = whole.client.patch(
        f"/v2/appinstallations/{ANY_ID}",
        content=b"\xff not json",
        headers={**TOKEN, "content-type": "application/json"},
        follow_redirects=False,
    )
    check_answer(
        "PATCH", response.url.path, response.status_code, response.headers, response.content
    )
    assert response.status_code == 308
    assert response.headers["location"] == f"/v2/app-installations/{ANY_ID}"


def test_every_reference_of_the_own_openapi_document_resolves(whole: SpecClient) -> None:
    # The control API's bodies held `#/$defs/...` references: they resolve against the
    # whole document, where no `$defs` is, so a generator met a body it could not build.
    document = whole.client.get("/openapi.json").json()

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return found + [r for value in node.values() for r in refs(value)]
        if isinstance(node, list):
            return [r for value in node for r in refs(value)]
        return []

    for ref in set(refs(document)):
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict) and part in target, ref
            target = target[part]
