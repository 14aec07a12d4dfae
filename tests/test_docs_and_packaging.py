"""The README and Dockerfile keep their promises about configuration and running."""

from __future__ import annotations

import re
from pathlib import Path

from mockapi.settings import Settings

REPO = Path(__file__).parent.parent
README = (REPO / "README.md").read_text()
DOCS = {path.name: path.read_text() for path in sorted((REPO / "docs").glob("*.md"))}
DOCKERFILE = (REPO / "Dockerfile").read_text()


def test_settings_table_lists_every_setting() -> None:
    table = DOCS["settings.md"]
    for name in Settings.model_fields:
        assert f"`--{name.replace('_', '-')}`" in table, name
        assert f"`MOCKAPI_{name.upper()}`" in table, name


def test_readme_stays_a_front_door_linking_the_reference() -> None:
    assert len(README.splitlines()) <= 350
    for name in DOCS:
        assert f"(docs/{name})" in README, name


def test_readme_quick_start_has_exactly_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, flags=re.S)
    assert commands[:2] == ["pip install . && mockapi serve", "pip install '.[test]' && pytest"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "pip install '.[test]' && pytest" in (REPO / ".ci" / "run").read_text()


def test_dockerfile_runs_as_non_root_in_exec_form_with_a_healthcheck() -> None:
    assert not DOCKERFILE.startswith("# syntax")
    assert "RUN --mount" not in DOCKERFILE
    assert re.search(r"^USER (?!root|0\b)\S+", DOCKERFILE, flags=re.M)
    assert re.search(r'^CMD \["mockapi", "serve"\]', DOCKERFILE, flags=re.M)
    assert "HEALTHCHECK" in DOCKERFILE and "/_mockapi/health" in DOCKERFILE
    assert "MOCKAPI_HOST=0.0.0.0" in DOCKERFILE
    assert re.search(r"^FROM python:[\d.]+-slim", DOCKERFILE, flags=re.M)


def test_dockerfile_healthcheck_command_probes_the_health_endpoint() -> None:
    import json
    import os
    import subprocess

    from mockapi import MockServer

    healthcheck = DOCKERFILE.split("HEALTHCHECK", 1)[1]
    command = json.loads(re.search(r"CMD (\[.*?\])\n", healthcheck)[1])  # type: ignore[index]
    with MockServer(Settings()) as server:
        healthy = subprocess.run(
            command, env={**os.environ, "MOCKAPI_PORT": str(server.port)}, timeout=30
        )
    assert healthy.returncode == 0
    down = subprocess.run(
        command,
        env={**os.environ, "MOCKAPI_PORT": str(server.port)},
        capture_output=True,
        timeout=30,
    )
    assert down.returncode != 0


def test_every_test_the_docs_name_exists() -> None:
    """Each claim in the README and docs names the test that proves it; no name goes stale."""
    problems = []
    text = "\n".join([README, *DOCS.values()])
    named = re.findall(r"`(?:tests/)?(test_\w+\.py)(?:::(\w+))?`", text)
    # `::name` right after a named file's test refers to that file.
    for match in re.finditer(r"`(?:tests/)?(test_\w+\.py)::\w+`((?:, `::\w+`)+)", text):
        named += [(match[1], name) for name in re.findall(r"`::(\w+)`", match[2])]
    for file_name, test_name in named:
        path = REPO / "tests" / file_name
        if not path.exists():
            problems.append(file_name)
        elif test_name and f"def {test_name}(" not in path.read_text():
            problems.append(f"{file_name}::{test_name}")
    assert len(named) > 50
    assert problems == []
