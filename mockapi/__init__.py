"""mockapi: an offline, faithful mock of mittwald API v2 'List Backups belonging to a Project'."""

from mockapi.app import create_app
from mockapi.dataset import Dataset, DatasetError, ProjectInfo
from mockapi.server import MockServer
from mockapi.settings import AuthMode, Settings, UnknownProjectMode

__all__ = [
    "AuthMode",
    "Dataset",
    "DatasetError",
    "MockServer",
    "ProjectInfo",
    "Settings",
    "UnknownProjectMode",
    "create_app",
]
