"""Paths to operations: a tree of path segments, literal segments before parameters.

Five hundred path templates are matched in a few dictionary look-ups, however many there
are: `/v2/projects/{projectId}/backups` walks `v2`, `projects`, a parameter, `backups`.
A literal segment wins over a parameter at the same place (`/v2/users/self` before
`/v2/users/{userId}`), and a parameter takes any non-empty segment. A trailing slash is the
same path (answered directly, never redirected: clients break on 307s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
_PARAM = re.compile(r"\{(\w+)\}")
# Load tests repeat a few paths: their matches are remembered (bounded, cleared when full).
_CACHED_PATHS = 4096
_CACHED_PATH_LENGTH = 256


@dataclass
class _Node(Generic[T]):
    literals: dict[str, _Node[T]] = field(default_factory=dict)
    param: _Node[T] | None = None
    # At a template's end: its methods, the template, and its parameters' names in order
    # (templates may name the same place differently: {appVersionId}, {baseAppVersionId}).
    methods: dict[str, T] | None = None
    template: str = ""
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A matched path: the template's methods, its parameters and the template."""

    methods: dict[str, T]
    params: dict[str, str]
    template: str


class RouteTable(Generic[T]):
    """Path templates and their methods; `match` finds a request path's."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        self._cache: dict[str, list[Match[T]]] = {}

    def add(self, template: str, method: str, value: T) -> None:
        """Route `method` on `template` to `value` (a first route for a pair wins)."""
        node = self._root
        names: list[str] = []
        for segment in _segments(template):
            found = _PARAM.fullmatch(segment)
            if found is None:
                node = node.literals.setdefault(segment, _Node())
                continue
            names.append(found[1])
            if node.param is None:
                node.param = _Node()
            node = node.param
        if node.methods is None:
            node.methods, node.template, node.names = {}, template, tuple(names)
        node.methods.setdefault(method, value)
        self._cache.clear()

    def match(self, path: str, method: str = "") -> Match[T] | None:
        """The route of a request path (percent-decoded) for a method, or None.

        Where a literal route lacks the method and a parameter route has it
        (`GET /v2/users/self`: only DELETE is written with `self`; GET is
        `/v2/users/{userId}`), the one with the method wins. Never change the answer.
        """
        found = self._cache.get(path)
        if found is None:
            found = self._all(path)
            if len(path) <= _CACHED_PATH_LENGTH:
                if len(self._cache) >= _CACHED_PATHS:
                    self._cache.clear()
                self._cache[path] = found
        for candidate in found:
            if method in candidate.methods:
                return candidate
        return found[0] if found else None

    def allowed(self, path: str) -> list[str]:
        """Every method some template of the path answers, in the order written."""
        return list(dict.fromkeys(m for found in self._all(path) for m in found.methods))

    def _all(self, path: str) -> list[Match[T]]:
        """Every template matching a path, literal segments first."""
        segments = _segments(path)
        found: list[Match[T]] = []
        self._walk(self._root, segments, 0, [], found)
        return found

    def _walk(
        self,
        node: _Node[T],
        segments: list[str],
        index: int,
        values: list[str],
        found: list[Match[T]],
    ) -> None:
        if index == len(segments):
            if node.methods is not None:
                params = dict(zip(node.names, values, strict=True))
                found.append(Match(node.methods, params, node.template))
            return
        segment = segments[index]
        literal = node.literals.get(segment)
        if literal is not None:
            self._walk(literal, segments, index + 1, values, found)
        if node.param is not None and segment:
            values.append(segment)
            self._walk(node.param, segments, index + 1, values, found)
            values.pop()

    def templates(self) -> list[str]:
        """Every routed template."""
        found: list[str] = []
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.methods is not None:
                found.append(node.template)
            stack.extend(node.literals.values())
            if node.param is not None:
                stack.append(node.param)
        return sorted(found)


def _segments(path: str) -> list[str]:
    """`/v2/a/b/` -> ['v2', 'a', 'b']; an empty segment inside stays (it matches nothing)."""
    inner = path[1:] if path.startswith("/") else path
    if inner.endswith("/"):
        inner = inner[:-1]
    return inner.split("/") if inner else []
