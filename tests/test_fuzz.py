"""Spec fuzzing with Schemathesis: positive and negative input, every check on.

Against the official spec's list operation, and against the app's own /openapi.json.
A long run: MOCKAPI_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import schemathesis
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from mockapi import Settings, create_app
from tests.support import SPEC_PATH

LIST_PATH = "/v2/projects/{projectId}/backups"
EXAMPLES = int(os.environ.get("MOCKAPI_FUZZ_EXAMPLES", "150"))
TOKEN = {"x-access-token": "fuzz"}


def config(examples: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "generation": {
                "mode": "all",  # positive and negative
                "max-examples": examples,
                "database": "none",
                # Unknown query parameters are ignored by design (README behaviour table).
                "allow-extra-parameters": True,
                # The token is ours to send; auth behaviour has its own tests.
                "with-security-parameters": False,
            }
        }
    )


def official_list_operation() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text())
    subset = copy.deepcopy(spec)
    subset["paths"] = {LIST_PATH: {"get": spec["paths"][LIST_PATH]["get"]}}
    return subset


# Tokens are checked (invalid ones get 403), and every project id answers 200 [] unless known,
# so the fuzzer reaches the query handling for any path value it makes up.
APP = create_app(Settings(tokens=["fuzz"], unknown_project="empty"))

official = schemathesis.openapi.from_dict(official_list_operation(), config=config(EXAMPLES))
official.app = APP

own = schemathesis.openapi.from_asgi("/openapi.json", APP, config=config(max(EXAMPLES // 5, 20)))
# Rules that slow every later request (faults with delays, big generations, rate limits)
# would turn a fuzz run into a timing test; they have their own tests.
own = own.exclude(path_regex="^/_mockapi/(faults|generate|rate-limit)")


@official.parametrize()
def test_official_spec_list_operation(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=TOKEN)


@own.parametrize()
def test_own_openapi_document(case: schemathesis.Case) -> None:
    # Fixture documents are checked beyond what a schema can say (unique ids across items,
    # one project per short id, no unknown fields), so schema-valid bodies may rightly be
    # refused; every other check stays on.
    case.call_and_validate(
        headers={**TOKEN, **(case.headers or {})},
        excluded_checks=[positive_data_acceptance],
    )
