"""What the document gives mockapi, as Markdown for the README: the counts, and the table of
resources whose created items are remembered. `python -m mockapi.spec.report` prints both;
a test keeps the README equal to them."""

from __future__ import annotations

from collections.abc import Sequence

from mockapi.spec.catalog import CUSTOMER, PROJECT, Catalog, Kind, load_catalog
from mockapi.spec.document import SpecOperation

_PLACES = {None: "the whole API", PROJECT: "a project", CUSTOMER: "a customer"}


def _place(catalog: Catalog, kind: Kind) -> str:
    owner = catalog.owner(kind)
    if owner in _PLACES:
        return _PLACES[owner]
    parent = catalog.by_id_param[owner or ""]
    return f"a {parent.short_name.rsplit('.', 1)[-1]}"


def _ops(operations: Sequence[SpecOperation]) -> str:
    ids = [op.operation_id for op in operations]
    return "<br>".join(f"`{i}`" for i in ids) if ids else "-"


def remembering_table(catalog: Catalog | None = None) -> str:
    """One row per resource that remembers: where it lives, and its operations."""
    catalog = catalog or load_catalog()
    rows = [
        "| resource | lives in | created by | listed by | changed by | deleted by |",
        "|---|---|---|---|---|---|",
    ]
    for kind in catalog.remembering():
        if kind.name.startswith("de.mittwald.v1.backup."):
            continue  # hand-modelled: the backup domain remembers them its own way
        rows.append(
            f"| `{kind.short_name}` | {_place(catalog, kind)} | {_ops(kind.creates)} | "
            f"{_ops([li.operation for li in kind.lists])} | {_ops(kind.updates)} | "
            f"{_ops(kind.deletes)} |"
        )
    return "\n".join(rows)


def readme_table(catalog: Catalog | None = None) -> str:
    """The README's short form: each resource that remembers, where it lives, what makes one,
    and which of list, get, change and delete it has."""
    catalog = catalog or load_catalog()
    rows = ["| resource | lives in | created by | also |", "|---|---|---|---|"]
    for kind in catalog.remembering():
        if kind.name.startswith(_BACKUP):
            continue
        also = [
            word
            for word, present in (
                ("list", kind.lists),
                ("get", kind.gets),
                ("change", kind.updates),
                ("delete", kind.deletes),
            )
            if present
        ]
        rows.append(
            f"| `{kind.short_name}` | {_place(catalog, kind)} | "
            f"`{kind.creates[-1].operation_id}` | {', '.join(also)} |"
        )
    return "\n".join(rows)


def counts(catalog: Catalog | None = None, modelled: int = 20) -> dict[str, int]:
    """How many operations are served, generated, remembered, redirected."""
    catalog = catalog or load_catalog()
    operations = catalog.document.operations
    remembering = [k for k in catalog.remembering() if not k.name.startswith(_BACKUP)]
    remembering_ops = {
        op.operation_id
        for kind in remembering
        for op in [
            *kind.creates,
            *kind.gets,
            *kind.updates,
            *kind.deletes,
            *(li.operation for li in kind.lists),
        ]
    }
    return {
        "operations": len(operations),
        "paths": len({op.path for op in operations}),
        "modelled": modelled,
        "generic": len(operations) - modelled,
        "remembering resources": len(remembering),
        "remembering operations": len(remembering_ops),
        "redirects": sum(1 for op in operations if op.successor is not None),
        "without operationId": sum(1 for op in operations if not op.has_operation_id),
        "public": sum(1 for op in operations if not op.authenticated),
        "paginated": sum(1 for op in operations if op.paginated),
    }


_BACKUP = "de.mittwald.v1.backup."


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    print(remembering_table())
    print()
    print(readme_table())
    print()
    for name, number in counts().items():
        print(f"{name}: {number}")
