"""The operations beyond backups against a hostile client: bounded memory, no 500s.

Each test names one bound or refusal a client meets; each failed before its fix.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mockapi.api.generic import ReadyAnswers
from mockapi.http.responses import Reply
from tests.support import SpecClient

TOKEN = {"x-access-token": "t"}
FIRST = "3f1a5d2e-8c4b-4e7a-9b61-2d0c7e5f4a13"  # p-kbuygq
REGISTRIES = f"/v2/projects/{FIRST}/registries"


@pytest.fixture
def whole(make_api: Callable[..., SpecClient]) -> SpecClient:
    """A spec-checked client over the built-in default dataset."""
    return make_api(None)


def registry(description: str) -> dict[str, object]:
    """A valid body for a new container registry."""
    return {"uri": "registry.example.com", "description": description}


def test_the_memory_holds_a_bounded_number_of_bytes(whole: SpecClient) -> None:
    # 100,000 items of 64 KiB each would be 6 GiB: what they hold is bounded too.
    whole.app.mock.memory.byte_limit = 200_000
    for n in range(3):
        made = whole.post(REGISTRIES, json=registry(f"{n}" + "x" * 60_000))
        assert made.status_code == 201, made.text
    refused = whole.post(REGISTRIES, json=registry("x" * 60_000))
    assert refused.status_code == 409
    assert "200,000 bytes" in refused.json()["message"]
    # A small one still fits; a change that would grow one past the bound does not.
    assert whole.post(REGISTRIES, json=registry("small")).status_code == 201
    listed = whole.get(REGISTRIES).json()
    grown = next(r for r in listed if r["description"] == "small")
    response = whole.patch(f"/v2/registries/{grown['id']}", json={"description": "y" * 60_000})
    assert response.status_code == 409


def test_changes_and_deletes_count_against_the_memory_s_limit(whole: SpecClient) -> None:
    # Only creates were counted: PATCHing or deleting derived items grew it without bound.
    whole.app.mock.memory.limit = 2
    ids = [item["id"] for item in whole.get(REGISTRIES).json()]
    assert len(ids) >= 3
    for item in ids[:2]:
        assert whole.patch(f"/v2/registries/{item}", json={"description": "a"}).status_code == 204
    assert whole.patch(f"/v2/registries/{ids[2]}", json={"description": "a"}).status_code == 409
    assert whole.delete(f"/v2/registries/{ids[2]}").status_code == 409
    # What is remembered already may change again, and be deleted.
    assert whole.patch(f"/v2/registries/{ids[0]}", json={"description": "b"}).status_code == 204
    assert whole.delete(f"/v2/registries/{ids[0]}").status_code == 204


def reply(size: int) -> Reply:
    """A ready JSON answer of `size` bytes."""
    return Reply(200, b"x" * size, ())


def test_ready_answers_count_their_keys_bytes() -> None:
    # A query string of up to 8 KiB is part of every key: 4,096 of them were not counted.
    cache = ReadyAnswers(entries=1000, budget=100_000)
    for n in range(200):
        cache.keep(("op", (("projectId", "p"),), f"q={n}&" + "y" * 1000, (0, 0, 0, n)), reply(10))
    assert cache.bytes <= 100_000
    assert 0 < len(cache) < 200


def test_ready_answers_keep_no_long_key() -> None:
    cache = ReadyAnswers()
    cache.keep(("op", (("id", "z" * 5000),), "", (0, 0, 0, 0)), reply(10))
    assert len(cache) == 0
    cache.keep(("op", (("id", "z"),), "", (0, 0, 0, 0)), reply(10))
    assert cache.get(("op", (("id", "z"),), "", (0, 0, 0, 0))) is not None
