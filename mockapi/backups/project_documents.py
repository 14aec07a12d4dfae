"""Full, schema-valid Project objects for served projects, derived from their UUIDs.

A fixture names a project by its UUID and maybe a few fields; the official clients expect
every required field of `Project` and `ProjectListItem`. The rest is filled in here, the
same way every time for the same UUID and the same reference "now".
"""

from __future__ import annotations

import hashlib
from typing import Any

from mockapi.backups.dataset import ProjectInfo
from mockapi.backups.lifecycle import DAY_MS, HOUR_MS
from mockapi.ids import short_id_from_text, uuid_from_text
from mockapi.timestamps import format_epoch_ms

_CLUSTERS = ("espelkamp", "fiestel", "lombardi", "minden")
# Feature sets as recorded projects carry them (`mw project get`: redis, container, node).
_FEATURES: tuple[list[str], ...] = (
    ["redis", "container", "node"],
    ["redis", "node"],
    ["redis", "container"],
    ["redis"],
)
_STORAGE = ("20Gi", "50Gi", "50Gi", "100Gi")
# ProjectListItem's fields, in the spec's (alphabetical) order; customerMeta is list-only.
LIST_ITEM_FIELDS = (
    "backupStorageUsageInBytes",
    "backupStorageUsageInBytesSetAt",
    "createdAt",
    "customerId",
    "customerMeta",
    "deletionRequested",
    "description",
    "disableReason",
    "disabledAt",
    "enabled",
    "features",
    "id",
    "imageRefId",
    "isReady",
    "projectHostingId",  # only when a fixture gives it: recorded projects carry serverId
    "readiness",
    "serverGroupId",
    "serverId",
    "serverShortId",
    "shortId",
    "status",
    "statusSetAt",
    "supportedFeatures",
    "webStorageUsageInBytes",
    "webStorageUsageInBytesSetAt",
)


def project_document(
    info: ProjectInfo, now_ms: int, oldest_backup_ms: int | None
) -> dict[str, Any]:
    """The project's full `Project` object: derived fields, then the fixture's own on top."""
    seed = hashlib.sha256(f"mockapi-project:{info.id}".encode()).digest()
    n = int.from_bytes(seed[:8], "big")
    earliest = min(now_ms, oldest_backup_ms) if oldest_backup_ms is not None else now_ms
    created = earliest - (30 + n % 900) * DAY_MS - (n >> 10) % DAY_MS
    created -= created % 1000
    usage_set = now_ms - now_ms % HOUR_MS - (n >> 20) % (3 * HOUR_MS)
    usage_set -= usage_set % 1000
    cluster = _CLUSTERS[n % len(_CLUSTERS)]
    features = _FEATURES[(n >> 3) % len(_FEATURES)]
    home = f"/home/{info.short_id}"
    # The fields and shapes of a recorded `mw project get --output json`.
    document: dict[str, Any] = {
        "backupStorageUsageInBytes": (n >> 7) % 20_000_000_000,
        "backupStorageUsageInBytesSetAt": format_epoch_ms(usage_set),
        "clusterDomain": "project.host",
        "clusterID": cluster,
        "clusterId": cluster,
        "createdAt": format_epoch_ms(created),
        "customerId": uuid_from_text(f"{info.id}:customer"),
        "deletionRequested": False,
        "description": info.description,
        "directories": {"Home": home, "Logs": f"{home}/logs", "Web": f"{home}/html"},
        "enabled": True,
        "features": features,
        "id": info.id,
        "isReady": True,
        "readiness": "ready",
        "serverGroupId": uuid_from_text(f"{info.id}:group"),
        "serverId": uuid_from_text(f"{info.id}:server"),
        "serverShortId": short_id_from_text(f"{info.id}:server", "s-"),
        "shortId": info.short_id,
        # Storage only, as recorded: it matches HardwareSpec alone (a VisitorSpec needs
        # visitors too), so the spec's oneOf holds.
        "spec": {"storage": _STORAGE[(n >> 5) % len(_STORAGE)]},
        "statisticsBaseDomain": "pe-prod.mcloud.services",
        "status": "ready",
        "statusSetAt": format_epoch_ms(created + 120_000),
        "supportedFeatures": features,
        "webStorageUsageInBytes": (n >> 13) % 50_000_000_000,
        "webStorageUsageInBytesSetAt": format_epoch_ms(usage_set),
    }
    document.update(info.fields)
    return dict(sorted(document.items()))


def list_item(document: dict[str, Any]) -> dict[str, Any]:
    """The project as `ProjectListItem`: the list's fields, with customerMeta."""
    item = {key: document[key] for key in LIST_ITEM_FIELDS if key in document}
    item["customerMeta"] = {"id": document["customerId"]}
    item.setdefault("deletionRequested", False)
    return dict(sorted(item.items()))
