"""mockapi: an offline, faithful mock of mittwald API v2 'List Backups belonging to a Project'."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapi.app import create_app
    from mockapi.dataset import Dataset, DatasetError, ProjectInfo
    from mockapi.faults import FaultRule
    from mockapi.server import MockServer
    from mockapi.settings import AuthMode, Settings, UnknownProjectMode

# Public names resolve on first use, so `mockapi validate` and `generate` never pay for
# importing the web stack.
_EXPORTS = {
    "AuthMode": "mockapi.settings",
    "Dataset": "mockapi.dataset",
    "DatasetError": "mockapi.dataset",
    "FaultRule": "mockapi.faults",
    "MockServer": "mockapi.server",
    "ProjectInfo": "mockapi.dataset",
    "Settings": "mockapi.settings",
    "UnknownProjectMode": "mockapi.settings",
    "create_app": "mockapi.app",
}
__all__ = [
    "AuthMode",
    "Dataset",
    "DatasetError",
    "FaultRule",
    "MockServer",
    "ProjectInfo",
    "Settings",
    "UnknownProjectMode",
    "create_app",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'mockapi' has no attribute {name!r}")
