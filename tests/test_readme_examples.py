"""The README's examples run: its pytest files through pytester, its curl scenarios in bash."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockapi import MockServer, Settings

REPO = Path(__file__).parent.parent
README = (REPO / "README.md").read_text()


def section(title: str, text: str = README) -> str:
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(title: str, language: str, text: str = README) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(title, text), flags=re.S)


@pytest.fixture(params=["frozen", "running"])
def server(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """The README's server, on a frozen clock as it shows, and on a running one."""
    with MockServer(Settings(clock=request.param)) as running:
        yield running


def test_pytest_section_examples_pass(pytester: pytest.Pytester) -> None:
    test_file, conftest, script = blocks("Using mockapi in pytest", "python")
    pytester.makepyfile(test_my_client=test_file)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=4)

    pytester.makeconftest(conftest)
    pytester.makepyfile(
        test_configured="""
        import httpx2

        def test_uses_conftest_settings(mockapi_server):
            assert len(mockapi_server.projects()) == 5
            url = mockapi_server.api_url(mockapi_server.projects()[0].short_id)
            assert httpx2.get(url, headers={"x-access-token": "ci-token"}).status_code == 200
            assert httpx2.get(url, headers={"x-access-token": "nope"}).status_code == 401
        """
    )
    result = pytester.runpytest_inprocess("test_configured.py")
    result.assert_outcomes(passed=1)

    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v2/projects/p-[a-z0-9]{6}/backups\n", run.stdout)


@pytest.mark.skipif(shutil.which("curl") is None and not os.environ.get("CI"), reason="no curl")
@pytest.mark.parametrize(
    ("where", "title"),
    [
        ("README.md", "The whole backup API"),
        ("README.md", "Every other operation"),
        ("docs/control.md", "A scenario"),
        ("docs/faults.md", "A scenario"),
    ],
)
def test_curl_scenarios_run_against_a_real_server(
    server: MockServer, where: str, title: str, tmp_path: Path
) -> None:
    [script] = blocks(title, "sh", (REPO / where).read_text())
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env={**os.environ, "MOCKAPI": server.url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_table_of_what_is_remembered_is_the_code_s() -> None:
    from mockapi.spec.report import readme_table

    shown = README.split("<!-- readme table: generated -->\n", 1)[1]
    assert shown.split("\n<!-- end of readme table -->", 1)[0] == readme_table()
