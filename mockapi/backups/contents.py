"""What a backup contains: its directory tree and its database dumps. Derived, never stored.

The same project always shows the same tree and the same dumps, so a client that browses a
backup before restoring from it sees a stable, plausible picture.
"""

from __future__ import annotations

import hashlib
import posixpath
from typing import Any

_APPS = ("wordpress", "shopware", "typo3", "mainApp", "nextcloud", "joomla")


def _n(project_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"contents:{project_id}".encode()).digest()[:8], "big")


def database_dumps(backup: dict[str, Any]) -> list[str]:
    """The dumps a completed backup holds: its project's databases, and any it names."""
    if backup["status"] != "Completed":
        return []
    n = _n(backup["projectId"])
    names = [f"dbdump-mysql-{100_000 + n % 900_000}"]
    if n % 3 == 0:
        names.append(f"dbdump-mysql-{100_000 + (n // 7) % 900_000}")
    for entry in backup.get("restore", {}).get("databaseRestores", []):
        names.append(entry["databaseBackupDump"])
    return list(dict.fromkeys(names))


def _tree(project_id: str) -> dict[str, Any]:
    """The backup's files: {name: size} for files, {name: {...}} for folders, str: symlink."""
    n = _n(project_id)
    app = _APPS[n % len(_APPS)]
    return {
        "html": {
            app: {
                "index.php": 405 + n % 300,
                "config": {"settings.php": 2_817 + n % 900, "database.php": 611},
                "public": {"robots.txt": 67, "favicon.ico": 15_086},
                "uploads": {f"image-{i}.jpg": 180_000 + (n >> i) % 90_000 for i in range(3)},
            },
            "current": f"/html/{app}",
        },
        "files": {"export.csv": 48_213 + n % 10_000},
        "logs": {"access.log": 1_204_711 + n % 100_000, "error.log": 8_312},
    }


def _entry(path: str, node: Any, with_items: bool) -> dict[str, Any]:
    name = posixpath.basename(path) or "/"
    entry: dict[str, Any] = {"absolutePath": path}
    if isinstance(node, dict):
        entry.update(isDirectory=True, isExecutable=True, isFile=False, isSymlink=False)
        if with_items:
            entry["items"] = [
                _entry(posixpath.join(path, child), node[child], False) for child in sorted(node)
            ]
        entry.update(name=name, size=4096)
    elif isinstance(node, str):
        entry.update(isDirectory=False, isExecutable=False, isFile=False, isSymlink=True)
        entry.update(name=name, size=len(node), target=node)
    else:
        entry.update(isDirectory=False, isExecutable=False, isFile=True, isSymlink=False)
        entry.update(name=name, size=node)
    return dict(sorted(entry.items()))


def backup_path(project_id: str, directory: str) -> dict[str, Any] | None:
    """The ProjectBackupPath of a directory (with its items), or None if it is not there."""
    path = posixpath.normpath("/" + directory.strip().lstrip("/"))
    node: Any = _tree(project_id)
    for part in [p for p in path.split("/") if p]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return _entry(path, node, True)
