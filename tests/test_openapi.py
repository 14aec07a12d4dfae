"""/openapi.json and /docs describe the operation exactly as the official spec does."""

from __future__ import annotations

import json
import re

from openapi_spec_validator import validate

from tests.support import SPEC_PATH, SpecClient

OFFICIAL = json.loads(SPEC_PATH.read_text())
PATH = "/v2/projects/{projectId}/backups"


def test_operation_is_the_official_one(api: SpecClient) -> None:
    document = api.client.get("/openapi.json").json()
    operation = document["paths"][PATH]["get"]
    official = OFFICIAL["paths"][PATH]["get"]
    assert operation["operationId"] == "backup-list-project-backups"
    assert operation["parameters"] == official["parameters"]
    assert operation["responses"] == official["responses"]
    for name, schema in OFFICIAL["components"]["schemas"].items():
        assert document["components"]["schemas"][name] == schema


def test_document_is_a_valid_openapi_document(api: SpecClient) -> None:
    validate(api.client.get("/openapi.json").json())


def test_mock_endpoints_are_documented_under_their_own_tag(api: SpecClient) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"/_mockapi/health", "/_mockapi/reset", "/_mockapi/data", "/_mockapi/journal"} <= set(
        paths
    )
    for path, operations in paths.items():
        if path == PATH:
            assert operations["get"]["tags"] == ["Backup"]
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
    assert api.client.get("/_mockapi/health").json() == {
        "status": "ok",
        "projects": 3,
        "backups": 10,
    }
