"""The HTTP operations of the mittwald API that mockapi serves, one module per resource."""

from __future__ import annotations

from mockapi.api import backups, exports, projects, restores, schedules
from mockapi.api.core import Operation


def operations() -> list[Operation]:
    """Every operation; the backup list first, as the router tries them in order."""
    return [
        *backups.OPERATIONS,
        *exports.OPERATIONS,
        *restores.OPERATIONS,
        *schedules.OPERATIONS,
        *projects.OPERATIONS,
    ]
