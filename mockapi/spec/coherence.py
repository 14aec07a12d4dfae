"""Fields of one item that must agree with each other, where the document says so only in
prose: applied after an item is generated, kept only when the item still fits its schema.

Values are generated field by field; a few kinds carry the same fact twice (a cronjob's
deprecated `destination` beside its `target`), or a map over the user's projects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

Item = dict[str, Any]
# (item, references: field name -> ids it may take, the body a client sent or {}) -> the
# agreeing item, changed in place
Fix = Callable[[Item, Mapping[str, Sequence[str]], Mapping[str, Any]], None]


def _cronjob(item: Item, references: Mapping[str, Sequence[str]], sent: Mapping[str, Any]) -> None:
    """`destination`, `appId` and `appInstallationId` are the deprecated forms of `target`;
    a client that sent them and no target made its target of them."""
    target = item.get("target")
    made_of_old = "target" not in sent and (
        {"destination", "appId", "appInstallationId"} & set(sent)
    )
    if made_of_old or (not isinstance(target, dict) and "destination" in item):
        installation = item.get("appInstallationId") or item.get("appId")
        if isinstance(installation, str):
            target = {"appInstallationId": installation, "destination": item["destination"]}
            item["target"] = target
    if not isinstance(target, dict):
        return
    installation = target.get("appInstallationId")
    if isinstance(installation, str):
        item["appInstallationId"] = installation
        item["appId"] = installation  # "DEPRECATED: use appInstallationId": the same id
        if "destination" in target:
            item["destination"] = target["destination"]
    else:  # a container service runs it: there is no app to name
        item.pop("destination", None)
        item.pop("appInstallationId", None)


def _user(item: Item, references: Mapping[str, Sequence[str]], sent: Mapping[str, Any]) -> None:
    """The token's user is a member of every served project, never in the role `id` (an
    enum value only this place of the document has, which no client knows)."""
    memberships = item.get("projectMemberships")
    projects = references.get("projectId", ())
    if not isinstance(memberships, dict) or not memberships:
        return
    template = next(iter(memberships.values()))
    for position, project in enumerate(projects):
        if project not in memberships and isinstance(template, dict):
            copy = dict(template)
            if "id" in copy:
                copy["id"] = f"{template['id'][:-4]}{position:04x}"
            memberships[project] = copy
    for membership in memberships.values():
        if isinstance(membership, dict) and membership.get("role") == "id":
            membership["role"] = "external"


FIXES: dict[str, Fix] = {
    "de.mittwald.v1.cronjob.Cronjob": _cronjob,
    "de.mittwald.v1.user.User": _user,
}
