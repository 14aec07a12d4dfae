"""The package's floors: a module imports only from its own floor or the floors below it.

A request flows down from the control API to the shared helpers; an arrow upwards would tie
a lower layer to one that uses it (the domain to HTTP, data to the running state).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "mockapi"
# Top to bottom. A name is a top-level module or a folder of the package.
FLOORS: list[set[str]] = [
    {
        "__init__",
        "__main__",
        "cli",
        "server",
        "app",
        "watch",
        "persist",
        "pytest_plugin",
        "workers",
    },
    {"openapi"},
    {"control"},
    {"api"},
    {"state"},
    {"data"},
    {"settings"},
    {"http"},
    {"backups"},
    {"spec"},
    {"errors", "ids", "timestamps", "numbers", "query"},
]


def floor_of(module: str) -> int:
    """The floor of `mockapi.x.y` (x names it)."""
    name = module.split(".")[1] if "." in module else "__init__"
    for index, names in enumerate(FLOORS):
        if name in names:
            return index
    raise AssertionError(f"{module} is on no floor: add it to FLOORS in {__file__}")


def imports_of(path: Path) -> list[str]:
    """The mockapi modules a file imports (lazy imports inside functions included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mockapi"):
            if node.module == "mockapi":
                found += [f"mockapi.{a.name}" for a in node.names if a.name != "__version__"]
            else:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("mockapi.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_upwards(path: Path) -> None:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)
    mine = floor_of(module)
    upwards = [target for target in imports_of(path) if floor_of(target) < mine]
    assert upwards == [], f"{module} (floor {mine}) imports from above: {upwards}"


def test_a_planted_upward_import_is_caught(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("from mockapi.api.core import Call\n")
    assert floor_of("mockapi.backups.store") > min(floor_of(t) for t in imports_of(planted))
