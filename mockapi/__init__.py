"""mockapi: an offline, faithful mock of the mittwald API v2 backup API and project look-up."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapi.app import create_app
    from mockapi.backups.clock import ClockMode
    from mockapi.backups.dataset import Dataset, DatasetError, ProjectInfo
    from mockapi.http.auth import AuthMode
    from mockapi.http.faults import FaultRule
    from mockapi.server import MockServer
    from mockapi.settings import Settings, UnknownProjectMode

try:
    __version__ = version("mockapi")
except PackageNotFoundError:  # pragma: no cover - running from a source tree, not installed
    __version__ = "0+unknown"

# Public names resolve on first use, so `mockapi validate` and `generate` never pay for
# importing the web stack.
_EXPORTS = {
    "AuthMode": "mockapi.http.auth",
    "ClockMode": "mockapi.backups.clock",
    "Dataset": "mockapi.backups.dataset",
    "DatasetError": "mockapi.backups.dataset",
    "FaultRule": "mockapi.http.faults",
    "MockServer": "mockapi.server",
    "ProjectInfo": "mockapi.backups.dataset",
    "Settings": "mockapi.settings",
    "UnknownProjectMode": "mockapi.settings",
    "create_app": "mockapi.app",
}
__all__ = [
    "AuthMode",
    "ClockMode",
    "Dataset",
    "DatasetError",
    "FaultRule",
    "MockServer",
    "ProjectInfo",
    "Settings",
    "UnknownProjectMode",
    "__version__",
    "create_app",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'mockapi' has no attribute {name!r}")
