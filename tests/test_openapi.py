"""/openapi.json and /docs: the official operations verbatim, "Try it out" ready to use."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from openapi_spec_validator import validate

from mockapi.openapi import SERVED_EXAMPLE
from tests.support import OFFICIAL_DICT, WHOLE_DICT, SpecClient


def without_examples(body: Any) -> Any:
    """A request body without the expirationTime examples mockapi adds."""
    if body is None:
        return None
    body = copy.deepcopy(body)
    for media in body.get("content", {}).values():
        media.get("schema", {}).get("properties", {}).get("expirationTime", {}).pop("example", None)
    return body


EXPIRING = [
    ("/v2/projects/{projectId}/backups", "post"),
    ("/v2/project-backups/{projectBackupId}", "patch"),
    ("/v2/project-backups/{projectBackupId}/expiration-time", "put"),
]


def as_official(parameter: dict[str, Any]) -> dict[str, Any]:
    """A served parameter without the served id mockapi adds as its example."""
    official = {k: v for k, v in parameter.items() if k != "example"}
    if "examples" in official:
        official["examples"] = {
            k: v for k, v in official["examples"].items() if k != SERVED_EXAMPLE
        }
    return official


def served_example(parameter: dict[str, Any]) -> Any:
    """The example Swagger UI fills in: `example`, or the first of the named `examples`."""
    if "examples" in parameter:
        return next(iter(parameter["examples"].values()))["value"]
    return parameter.get("example")


SERVED_IDS = ("projectId", "projectBackupId", "projectBackupScheduleId")


def expiration_examples(api: SpecClient) -> list[str]:
    document = api.client.get("/openapi.json").json()
    return [
        document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"][
            "properties"
        ]["expirationTime"]["example"]
        for path, method in EXPIRING
    ]


def test_try_it_out_can_create_a_backup_the_expiration_example_is_the_mocks_now_plus_30_days(
    api: SpecClient,
) -> None:
    assert expiration_examples(api) == ["2026-03-01T12:00:00.000Z"] * 3
    # Asked for later, the example moves with the mock's clock (in whole seconds).
    api.control("POST", "clock", json={"now": "2026-01-31T12:00:00.750Z"})
    [example, *_] = expiration_examples(api)
    assert example == "2026-03-02T12:00:00.000Z"
    created = api.post("/v2/projects/p-tbl001/backups", json={"expirationTime": example})
    assert created.status_code == 201


def test_every_official_operation_is_served_and_documented_verbatim(api: SpecClient) -> None:
    document = api.client.get("/openapi.json").json()
    for path, operations in OFFICIAL_DICT["paths"].items():
        for method, official in operations.items():
            served = document["paths"][path][method]
            assert served["operationId"] == official["operationId"]
            assert served["responses"] == official["responses"]
            assert without_examples(served.get("requestBody")) == official.get("requestBody")
            for mine, theirs in zip(served["parameters"], official["parameters"], strict=True):
                assert as_official(mine) == theirs
    for name, schema in OFFICIAL_DICT["components"]["schemas"].items():
        assert document["components"]["schemas"][name] == schema


def test_try_it_out_names_served_ids_and_says_which_token_works(api: SpecClient) -> None:
    document = api.client.get("/openapi.json").json()
    served: dict[str, set[Any]] = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in SERVED_IDS:
                    served.setdefault(parameter["name"], set()).add(served_example(parameter))
    # One served id per name, whether the document gives the parameter named examples or not.
    assert {name: len(values) for name, values in served.items()} == dict.fromkeys(SERVED_IDS, 1)
    examples = {name: values.pop() for name, values in served.items()}
    assert api.get(f"/v2/projects/{examples['projectId']}/backups").status_code == 200
    assert api.get(f"/v2/project-backups/{examples['projectBackupId']}").status_code == 200
    schedule = examples["projectBackupScheduleId"]
    assert api.get(f"/v2/project-backup-schedules/{schedule}").status_code == 200
    assert "Any non-empty token works" in document["info"]["description"]


def test_the_token_rule_follows_the_settings(make_api: Callable[..., SpecClient]) -> None:
    description = make_api(tokens=["t"]).client.get("/openapi.json").json()["info"]["description"]
    assert "--tokens" in description


def test_document_is_a_valid_openapi_document_in_the_official_documents_dialect(
    api: SpecClient,
) -> None:
    # The official document is OpenAPI 3.0 (`nullable: true`): served as 3.1, its nullable
    # fields would read as not nullable, and Swagger UI takes three times as long to draw it.
    document = api.client.get("/openapi.json").json()
    assert OFFICIAL_DICT["openapi"].startswith("3.0.")
    assert document["openapi"].startswith("3.0.")
    validate(document)  # by the version it declares: 3.0's rules


def test_the_control_apis_optional_fields_are_nullable_in_30s_words(api: SpecClient) -> None:
    body = api.client.get("/openapi.json").json()["paths"]["/_mockapi/clock"]["post"]
    schema = body["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["now"] == {
        "type": "string",
        "format": "date-time",
        "title": "Now",
        "nullable": True,
    }


def test_mock_endpoints_are_documented_under_their_own_tag(api: SpecClient) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {
        "/_mockapi/health",
        "/_mockapi/reset",
        "/_mockapi/data",
        "/_mockapi/journal",
        "/_mockapi/clock",
    } <= set(paths)
    for path, operations in paths.items():
        if path in WHOLE_DICT["paths"]:
            continue
        assert path.startswith("/_mockapi/"), path
        for operation in operations.values():
            assert operation["tags"] == ["mockapi"]


def test_docs_page_loads_nothing_from_elsewhere(api: SpecClient) -> None:
    response = api.client.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text
    assert "http://" not in response.text and "https://" not in response.text
    for asset in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert asset.startswith("/"), asset
        assert api.client.get(asset).status_code == 200, asset


def test_health_reports_what_is_served(api: SpecClient) -> None:
    health = api.client.get("/_mockapi/health").json()
    assert {k: health[k] for k in ("status", "projects", "backups", "inFlight")} == {
        "status": "ok",
        "projects": 3,
        "backups": 10,
        "inFlight": 0,
    }
