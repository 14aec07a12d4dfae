"""/docs renders the operation in a real headless Chromium with no network but loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mockapi import MockServer, Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="headless Chromium is not installed (.ci/run installs Debian's chromium)",
)
def test_docs_render_the_operation_offline(tmp_path: Path) -> None:
    assert CHROMIUM is not None, "CI must have chromium: .ci/run installs it"
    with MockServer(Settings()) as server:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                f"{server.url}/docs",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    dom = result.stdout
    # Present only once Swagger UI's script (served from the package) has rendered the spec.
    assert 'data-path="/v2/projects/{projectId}/backups"' in dom, result.stderr[-2000:]
    assert "List Backups belonging to a Project." in dom
    assert "Unable to render this definition" not in dom
