"""pytest fixtures for testing mittwald clients against mockapi (loaded via `pytest11`).

Override `mockapi_settings` or `mockapi_dataset` in your conftest.py to change what the
session's server serves; `mockapi_server` hands each test the server, reset beforehand.
Settings come only from code: the shell's MOCKAPI_* variables never reach them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mockapi.backups.dataset import Dataset
    from mockapi.server import MockServer
    from mockapi.settings import Settings

# The web stack is imported when a test first asks for a fixture, not when pytest loads the
# plugin: every pytest run of a project that installs mockapi loads it.


@pytest.fixture(scope="session")
def mockapi_settings() -> Settings:
    """Settings of the session's server (override in conftest.py)."""
    from mockapi.settings import Settings

    return Settings()


@pytest.fixture(scope="session")
def mockapi_dataset() -> Dataset | None:
    """Startup data; None serves what the settings say (default: the built-in dataset)."""
    return None


@pytest.fixture(scope="session")
def mockapi_session_server(
    mockapi_settings: Settings, mockapi_dataset: Dataset | None
) -> Iterator[MockServer]:
    """One real mockapi HTTP server for the session, on 127.0.0.1 and a free port."""
    from mockapi.server import MockServer

    with MockServer(mockapi_settings, mockapi_dataset) as server:
        yield server


@pytest.fixture
def mockapi_server(mockapi_session_server: MockServer) -> MockServer:
    """The session's server, reset to its startup state before this test."""
    mockapi_session_server.reset()
    return mockapi_session_server


@pytest.fixture
def mockapi_client(mockapi_server: MockServer) -> Iterator[Any]:
    """A synchronous client on the same app and state as `mockapi_server`, without a socket."""
    with mockapi_server.client() as client:
        yield client
