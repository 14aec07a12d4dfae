"""mockapi: an offline, faithful mock of the mittwald API v2 backup API and project look-up."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapi.app import create_app
    from mockapi.auth import AuthMode
    from mockapi.clock import ClockMode
    from mockapi.dataset import Dataset, DatasetError, ProjectInfo
    from mockapi.faults import FaultRule
    from mockapi.server import MockServer
    from mockapi.settings import Settings, UnknownProjectMode

try:
    __version__ = version("mockapi")
except PackageNotFoundError:  # pragma: no cover - running from a source tree, not installed
    __version__ = "0+unknown"

# Public names resolve on first use, so `mockapi validate` and `generate` never pay for
# importing the web stack.
_EXPORTS = {
    "AuthMode": "mockapi.auth",
    "ClockMode": "mockapi.clock",
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
