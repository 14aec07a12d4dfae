"""Values from the document's schemas: valid (OpenAPI 3.0), realistic and deterministic.

`Values(document).generate(schema, context)` makes one JSON value for a schema. A schema is
compiled once into a plan of small nodes (cached per schema object and field hints); running
a plan is plain arithmetic on 64-bit hashes, so a typical object takes tens of microseconds.

Valid: required fields always, optional fields sometimes (decided per field path), never
`null` (an absent optional field is omitted, a nullable one gets a real value), enums,
bounds, lengths, patterns (`rstr` when the realistic guess misses), item counts and
uniqueness, `additionalProperties`, `allOf` merged, `anyOf` one branch, `oneOf` exactly one
branch (checked against the others, another branch tried if needed), `not`.

Realistic: `realism.py`'s tables choose by field name, object name, format and example.

Deterministic: each field's randomness is a hash of (seed, key, field path) (`draw.py`), so
the same path under the same key gives the same value in any compatible schema, in any
process, whatever else was generated before.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson

from mockapi.spec import realism
from mockapi.spec.document import Schema, SpecDocument
from mockapi.spec.draw import M64 as _M64
from mockapi.spec.draw import Draw, digest64, item, mix, salted
from mockapi.timestamps import format_epoch_ms, parse_ms

_HOUR_MS = 3_600_000
_DAY_MS = 86_400_000
# Beyond this many nested objects only required fields are made and arrays keep their minimum:
# recursive schemas end, and deep optional detail adds little.
_MAX_DEPTH = 5
_OPTIONAL = 0.65  # the chance an optional field is present
_OPTIONAL_DEPRECATED = 0.2
_BODY_FIELD = int(0.9 * (1 << 64))  # the chance a request body's optional field is present
_THRESHOLD = 1 << 64
# Enum values that describe the healthy, usual state: picked four times as often.
_USUAL = re.compile(
    r"(?i)(ready|running|active|completed?|success(ful)?|ok|enabled|available|published|open|"
    r"verified|healthy|paid|succeeded|done|up|valid|installed|default|full|none)"
)


@dataclass(frozen=True)
class Context:
    """What one generated value depends on."""

    seed: int
    key: str
    now_ms: int
    own: Mapping[str, Any] = field(default_factory=dict)
    references: Mapping[str, Sequence[str]] = field(default_factory=dict)


class _Run:
    """The state of one `generate` call: the context, and the time anchor of the object."""

    __slots__ = ("anchor", "depth", "now", "own", "refs", "request")

    def __init__(self, context: Context, request: bool) -> None:
        self.now = context.now_ms
        self.own = context.own or None
        self.refs = context.references or None
        self.request = request
        self.anchor: int | None = None
        self.depth = 0


class _Node:
    """A compiled piece of a plan: `make` gives a value for the place hashed `h`."""

    __slots__ = ()

    def make(self, run: _Run, h: int, o: int) -> Any:
        """A value; `o` is the hash of the enclosing object (for values that agree)."""
        raise NotImplementedError


class _Forward(_Node):
    """A plan still being compiled (a schema that contains itself)."""

    __slots__ = ("target",)

    def __init__(self) -> None:
        self.target: _Node | None = None

    def make(self, run: _Run, h: int, o: int) -> Any:
        assert self.target is not None
        return self.target.make(run, h, o)


class _Const(_Node):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def make(self, run: _Run, h: int, o: int) -> Any:
        return self.value


class _Enum(_Node):
    """One of the enum's values; the usual, healthy ones (`ready`, `active`) three times in four."""

    __slots__ = ("others", "usual")

    def __init__(self, values: list[Any]) -> None:
        usual = [v for v in values if isinstance(v, str) and _USUAL.fullmatch(v)]
        self.usual = tuple(usual)
        self.others = tuple(v for v in values if v not in usual) or self.usual

    def make(self, run: _Run, h: int, o: int) -> Any:
        x = mix(h)
        if self.usual and x & 3:
            return self.usual[(x >> 2) % len(self.usual)]
        return self.others[(x >> 2) % len(self.others)]


class _Bool(_Node):
    __slots__ = ("threshold",)

    def __init__(self, p_true: float) -> None:
        self.threshold = int(p_true * _THRESHOLD)

    def make(self, run: _Run, h: int, o: int) -> Any:
        return h < self.threshold


class _Number(_Node):
    """A number in a plausible span clipped to the schema's bounds."""

    __slots__ = ("choices", "decimals", "hi", "integer", "lo", "log", "multiple", "real")

    def __init__(
        self,
        lo: float,
        hi: float,
        log: bool,
        choices: tuple[float, ...],
        integer: bool,
        real: bool,
        decimals: int | None,
        multiple: float | None,
    ) -> None:
        self.lo, self.hi, self.log, self.choices = lo, hi, log, choices
        self.integer, self.real, self.decimals, self.multiple = integer, real, decimals, multiple

    def make(self, run: _Run, h: int, o: int) -> Any:
        d = Draw(h)
        if self.choices:
            value: float = d.pick(self.choices)
        elif self.log:
            value = math.exp(math.log(self.lo) + d.unit() * (math.log(self.hi) - math.log(self.lo)))
        else:
            value = self.lo + d.unit() * (self.hi - self.lo)
        if self.multiple:
            value = math.ceil(value / self.multiple) * self.multiple
            if value > self.hi:
                value -= self.multiple
        if self.integer:
            whole = min(max(round(value), math.ceil(self.lo)), math.floor(self.hi))
            return whole
        if self.decimals is None:
            whole = min(max(round(value), math.ceil(self.lo)), math.floor(self.hi))
            return float(whole) if self.real else whole
        value = min(max(round(value, self.decimals), self.lo), self.hi)
        return float(value)


class _String(_Node):
    """A string from a maker, fitted to length and pattern; a reference when one is bound."""

    __slots__ = ("checked", "hint", "maker", "max", "min", "name", "pattern")

    def __init__(
        self,
        name: str,
        maker: realism.Maker,
        hint: realism.Hint,
        min_length: int,
        max_length: int | None,
        pattern: re.Pattern[str] | None,
    ) -> None:
        self.name, self.maker, self.hint = name, maker, hint
        self.min, self.max, self.pattern = min_length, max_length, pattern
        self.checked = min_length > 0 or max_length is not None or pattern is not None

    def make(self, run: _Run, h: int, o: int) -> Any:
        if run.refs is not None:
            bound = run.refs.get(self.name)
            if bound:
                return bound[mix(h) % len(bound)]
        value = str(self.maker(Draw(h), o, self.hint))
        if self.checked and not self.fits(value):
            value = self.fit(value, h, o)
        return value

    def fits(self, value: str) -> bool:
        """Whether the value has the schema's length and matches its pattern."""
        if len(value) < self.min or (self.max is not None and len(value) > self.max):
            return False
        return self.pattern is None or self.pattern.search(value) is not None

    def fit(self, value: str, h: int, o: int) -> str:
        """Another guess, then the guess trimmed or padded, then a string from the pattern."""
        for attempt in range(1, 5):
            again = str(self.maker(Draw(salted(h, attempt)), o, self.hint))
            if self.fits(again):
                return again
        d = Draw(salted(h, 9))
        if len(value) < self.min:
            value += (
                d.digits(self.min - len(value))
                if value.isdigit()
                else d.alnum(self.min - len(value))
            )
        if self.max is not None and len(value) > self.max:
            value = value[: self.max].rstrip() or value[: self.max]
        if self.fits(value):
            return value
        assert self.pattern is not None, "a length alone can always be met"
        import rstr

        xeger = rstr.Rstr(random.Random(salted(h, 10)))
        for _ in range(20):
            value = xeger.xeger(self.pattern.pattern)
            if self.max is not None:
                value = value[: self.max]
            if self.fits(value):
                return value
        return value


class _DateTime(_Node):
    """A timestamp before now (after the object's creation or start), or after it (future)."""

    __slots__ = ("date_only", "kind")

    def __init__(self, kind: str, date_only: bool) -> None:
        self.kind, self.date_only = kind, date_only

    def make(self, run: _Run, h: int, o: int) -> Any:
        d, now = Draw(h), run.now
        if self.kind == "future":
            ms = now + d.between(_HOUR_MS, 365 * _DAY_MS)
        elif self.kind == "origin":
            ms = now - d.between(2 * _DAY_MS, 3 * 365 * _DAY_MS)
            run.anchor = ms
        else:
            since = run.anchor if run.anchor is not None else now - 120 * _DAY_MS
            ms = since + int(d.unit() * (now - since))
            if self.kind == "start":
                run.anchor = ms
        text = format_epoch_ms(ms)
        return text[:10] if self.date_only else text


class _Prop:
    """One property of an object plan."""

    __slots__ = ("anchors", "name", "name_hash", "node", "read_only", "required", "threshold")

    def __init__(
        self,
        name: str,
        node: _Node,
        required: bool,
        p_present: float,
        read_only: bool,
        write_only: bool,
        anchors: bool,
    ) -> None:
        self.name, self.node, self.required = name, node, required
        self.name_hash = digest64(name)
        self.threshold = int(p_present * _THRESHOLD)
        # 1: omitted from requests (readOnly), 2: omitted from responses (writeOnly).
        self.read_only = 1 if read_only else 2 if write_only else 0
        self.anchors = anchors


class _Object(_Node):
    """An object: required properties, some optional ones, a few extra keys where allowed."""

    __slots__ = ("extra", "extra_keys", "key_maker", "links", "reorder", "steps")

    def __init__(
        self,
        props: list[_Prop],
        extra: _Node | None,
        extra_keys: list[tuple[str, _Node]],
        key_maker: realism.Maker | str | None,
        links: list[tuple[str, _OneOf, str, dict[int, str]]],
    ) -> None:
        # Timestamps that others follow (created, then started) are made first.
        rank = {"origin": 0, "start": 1}
        order = sorted(
            props,
            key=lambda p: rank.get(p.node.kind, 2) if isinstance(p.node, _DateTime) else 2,
        )
        self.links = links
        declared = [p.name for p in props]
        self.reorder = declared if order != props or links else None
        # Plain tuples: the loop below is the generator's hottest.
        self.steps = [
            (p.name, p.name_hash, p.node.make, p.required, p.threshold, p.read_only, p.anchors)
            for p in order
        ]
        self.extra = extra
        self.extra_keys = extra_keys
        self.key_maker = key_maker

    def make(self, run: _Run, h: int, o: int) -> Any:
        own = run.own if run.depth == 0 else None
        saved = run.anchor
        run.anchor = None
        run.depth += 1
        deep = run.depth > _MAX_DEPTH
        skip = 1 if run.request else 2
        # A request body's own fields are mostly there: a create call says what it wants.
        body = run.request and run.depth == 1
        out: dict[str, Any] = {}
        for name, name_hash, make, required, threshold, read_only, anchors in self.steps:
            if own is not None and name in own:
                out[name] = value = own[name]
                if anchors and isinstance(value, str):
                    run.anchor = _ms_or_none(value)
                continue
            if read_only == skip:
                continue
            # mix(h ^ name_hash), inlined: once per field of every object.
            ch = h ^ name_hash
            ch = ((ch ^ (ch >> 30)) * 0xBF58476D1CE4E5B9) & _M64
            ch = ((ch ^ (ch >> 27)) * 0x94D049BB133111EB) & _M64
            ch ^= ch >> 31
            # The child's hash is uniform: its size decides presence, its draws the value.
            if not required and (deep or ch >= (threshold if not body else _BODY_FIELD)):
                continue
            out[name] = make(run, ch, h)
        for union, node, kind, names in self.links:
            # A kind field beside a oneOf names the branch made (orderType beside orderData).
            if union in out and (own is None or kind not in own):
                index = node.branch_of(out[union])
                if index is not None:
                    out[kind] = names[index]
        if self.reorder is not None:
            out = {name: out[name] for name in self.reorder if name in out}
        if self.extra is not None and not deep:
            self._extra(out, run, h)
        run.depth -= 1
        run.anchor = saved
        return out

    def _extra(self, out: dict[str, Any], run: _Run, h: int) -> None:
        d = Draw(salted(h, 3))
        if self.extra_keys:
            chosen = [kv for kv in self.extra_keys if d.chance(0.75)] or self.extra_keys[:1]
            for key, node in chosen:
                if key not in out:
                    out[key] = node.make(run, mix(h ^ _key_hash(key)), h)
            return
        assert self.extra is not None and self.key_maker is not None
        keys = self.key_maker
        bound = run.refs.get(keys) if isinstance(keys, str) and run.refs is not None else None
        for index in range(d.between(1, 3)):
            kh = item(salted(h, 4), index)
            if isinstance(keys, str):
                # Keyed by ids: served ids where the context names them, else made ones.
                key = bound[mix(kh) % len(bound)] if bound else realism.uuid(Draw(kh), h, _KEY_HINT)
            else:
                key = str(keys(Draw(kh), h, _KEY_HINT))
            if key not in out:
                out[key] = self.extra.make(run, mix(h ^ _key_hash(key)), h)


_KEY_HINT = realism.Hint("key")
_key_hash = lru_cache(maxsize=4096)(digest64)


class _Array(_Node):
    """A few items (1-3 usually, sometimes none), unique where the schema says so."""

    __slots__ = ("hi", "item", "lo", "unique")

    def __init__(self, node: _Node, lo: int, hi: int, unique: bool) -> None:
        self.item, self.lo, self.hi, self.unique = node, lo, hi, unique

    def make(self, run: _Run, h: int, o: int) -> Any:
        lo, hi = self.lo, self.hi
        if run.depth >= _MAX_DEPTH:
            hi = lo
        d = Draw(salted(h, 2))
        count = 0 if lo == 0 and d.chance(0.15) else d.between(max(lo, min(1, hi)), hi)
        if not self.unique:
            return [self.item.make(run, ih := item(h, i), ih) for i in range(count)]
        out: list[Any] = []
        seen: set[bytes] = set()
        index = 0
        while len(out) < count and index < count * 6 + 10:
            ih = item(h, index)
            value = self.item.make(run, ih, ih)
            index += 1
            canonical = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
            if canonical not in seen:
                seen.add(canonical)
                out.append(value)
        return out


class _OneOf(_Node):
    """One branch, chosen by the hash, that no other branch also accepts."""

    __slots__ = ("branches", "checks", "disjoint", "label", "names", "values")

    def __init__(
        self,
        values: Values,
        branches: list[_Node],
        checks: list[Schema],
        disjoint: bool,
        label: str,
        names: list[str],
    ) -> None:
        self.values, self.branches, self.checks = values, branches, checks
        self.disjoint, self.label, self.names = disjoint, label, names

    def branch_of(self, value: Any) -> int | None:
        """The index of the branch a value made here belongs to."""
        for index, check in enumerate(self.checks):
            if self.values.matcher.valid(check, value):
                return index
        return None

    def make(self, run: _Run, h: int, o: int) -> Any:
        count = len(self.branches)
        start = mix(salted(h, 5)) % count
        if self.disjoint:
            return self.branches[start].make(run, h, o)
        first: Any = None
        matcher = self.values.matcher
        # Each branch in turn from the chosen one; then again with other draws, for branches
        # that overlap only for some values (an enum beside any string).
        for attempt in range(3):
            ah = h if attempt == 0 else salted(h, 30 + attempt)
            for step in range(count):
                index = (start + step) % count
                value = self.branches[index].make(run, ah, o)
                if first is None:
                    first = value
                if not any(
                    matcher.valid(check, value) for j, check in enumerate(self.checks) if j != index
                ) and matcher.valid(self.checks[index], value):
                    # (The branch itself is checked too: it may hold a oneOf nothing satisfies.)
                    return value
        self.values.ambiguous.add(self.label)
        return first


class _AnyOf(_Node):
    __slots__ = ("branches",)

    def __init__(self, branches: list[_Node]) -> None:
        self.branches = branches

    def make(self, run: _Run, h: int, o: int) -> Any:
        return self.branches[mix(salted(h, 6)) % len(self.branches)].make(run, h, o)


class _Not(_Node):
    """A value of the base schema that the `not` schema refuses (a few tries)."""

    __slots__ = ("base", "refused", "values")

    def __init__(self, values: Values, base: _Node, refused: Schema) -> None:
        self.values, self.base, self.refused = values, base, refused

    def make(self, run: _Run, h: int, o: int) -> Any:
        value = self.base.make(run, h, o)
        for attempt in range(1, 12):
            if not self.values.matcher.valid(self.refused, value):
                return value
            value = self.base.make(run, salted(h, 20 + attempt), o)
        return value


class _AnyValue(_Node):
    """Any JSON value (`"type": "unknown"`, or no constraint at all): a word or a count."""

    __slots__ = ()

    def make(self, run: _Run, h: int, o: int) -> Any:
        d = Draw(h)
        return realism.word(d, o, _KEY_HINT) if d.chance(0.7) else d.between(1, 60)


def _ms_or_none(text: str) -> int | None:
    try:
        return parse_ms(text)
    except ValueError:
        return None


class Matcher:
    """Whether a value is valid against a schema (OpenAPI 3.0, formats not checked).

    Used only to keep `oneOf` exact and `not` respected, so it is small and lenient where the
    document never needs more.
    """

    def __init__(self, document: SpecDocument) -> None:
        self.document = document
        self._patterns: dict[str, re.Pattern[str]] = {}

    def valid(self, schema: Schema, value: Any) -> bool:
        """True when `value` satisfies `schema`."""
        s = self.document.resolve(schema)
        if value is None:
            return bool(s.get("nullable")) or not s
        kind = s.get("type")
        if kind is not None and kind != "unknown" and not _is_type(kind, value):
            return False
        if "enum" in s and not any(_same(value, e) for e in s["enum"]):
            return False
        if isinstance(value, str) and not self._string(s, value):
            return False
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number and not _in_bounds(s, value):
            return False
        if isinstance(value, list) and not self._array(s, value):
            return False
        if isinstance(value, dict) and not self._object(s, value):
            return False
        if "allOf" in s and not all(self.valid(b, value) for b in s["allOf"]):
            return False
        if "anyOf" in s and not any(self.valid(b, value) for b in s["anyOf"]):
            return False
        if "oneOf" in s and sum(self.valid(b, value) for b in s["oneOf"]) != 1:
            return False
        return not ("not" in s and self.valid(s["not"], value))

    def _string(self, s: Schema, value: str) -> bool:
        if len(value) < s.get("minLength", 0):
            return False
        if "maxLength" in s and len(value) > s["maxLength"]:
            return False
        if "pattern" in s:
            pattern = self._patterns.get(s["pattern"])
            if pattern is None:
                pattern = self._patterns[s["pattern"]] = re.compile(s["pattern"])
            return pattern.search(value) is not None
        return True

    def _array(self, s: Schema, value: list[Any]) -> bool:
        if len(value) < s.get("minItems", 0):
            return False
        if "maxItems" in s and len(value) > s["maxItems"]:
            return False
        if s.get("uniqueItems"):
            canon = [orjson.dumps(v, option=orjson.OPT_SORT_KEYS) for v in value]
            if len(set(canon)) != len(canon):
                return False
        items = s.get("items")
        return items is None or all(self.valid(items, v) for v in value)

    def _object(self, s: Schema, value: dict[str, Any]) -> bool:
        if any(name not in value for name in s.get("required", ())):
            return False
        props = s.get("properties") or {}
        extra = s.get("additionalProperties", True)
        for name, v in value.items():
            if name in props:
                if not self.valid(props[name], v):
                    return False
            elif extra is False or (isinstance(extra, dict) and not self.valid(extra, v)):
                return False
        return True


def _is_type(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _same(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _in_bounds(s: Schema, value: float) -> bool:
    if "minimum" in s:
        low = s["minimum"]
        if value < low or (s.get("exclusiveMinimum") is True and value == low):
            return False
    if "maximum" in s:
        high = s["maximum"]
        if value > high or (s.get("exclusiveMaximum") is True and value == high):
            return False
    return True


_CONSTRAINTS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "enum",
        "items",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "not",
    }
)
_MERGE_FIRST = ("type", "format", "pattern", "example", "default", "description", "title")


def merge_all_of(parts: list[Schema]) -> Schema:
    """One schema that asks what all `parts` (resolved, without allOf) ask together."""
    merged: Schema = {}
    props: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        for key in _MERGE_FIRST:
            if key in part and key not in merged:
                merged[key] = part[key]
        for name, sub in (part.get("properties") or {}).items():
            props[name] = {"allOf": [props[name], sub]} if name in props else sub
        required += [r for r in part.get("required", ()) if r not in required]
        if "additionalProperties" in part and "additionalProperties" not in merged:
            merged["additionalProperties"] = part["additionalProperties"]
        if "enum" in part:
            known = merged["enum"] if "enum" in merged else part["enum"]
            merged["enum"] = [v for v in known if v in part["enum"]]
        for low in ("minimum", "minLength", "minItems"):
            if low in part:
                merged[low] = max(merged.get(low, part[low]), part[low])
        for high in ("maximum", "maxLength", "maxItems"):
            if high in part:
                merged[high] = min(merged.get(high, part[high]), part[high])
        if "items" in part:
            merged["items"] = (
                {"allOf": [merged["items"], part["items"]]} if "items" in merged else part["items"]
            )
        for key in ("oneOf", "anyOf"):
            if key in part:
                merged.setdefault("_choices", []).append((key, part[key]))
        if "not" in part:
            merged["not"] = part["not"]
        if part.get("readOnly"):
            merged["readOnly"] = True
        if part.get("writeOnly"):
            merged["writeOnly"] = True
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = required
    if props and "type" not in merged:
        merged["type"] = "object"
    return merged


class Values:
    """Generates values for the document's schemas; plans are compiled once and kept."""

    def __init__(self, document: SpecDocument) -> None:
        self.document = document
        self.matcher = Matcher(document)
        # Schemas whose oneOf no value of the document's branches can match exactly once.
        self.ambiguous: set[str] = set()
        # What needed special handling while compiling: (kind, where), for the summary.
        self.quirks: set[tuple[str, str]] = set()
        self._roots: dict[int, tuple[Schema, _Node]] = {}
        self._plans: dict[tuple[Any, ...], _Node] = {}
        self._merged: dict[int, tuple[Schema, Schema]] = {}
        self._kept: list[Schema] = []
        # Which heuristics row made each string field: (object, field, format) -> row.
        self.sources: dict[tuple[str, str, str | None], str] = {}

    def generate(self, schema: Schema, context: Context, *, request: bool = False) -> Any:
        """A value valid against `schema` (OpenAPI 3.0 semantics), realistic, deterministic.

        `request=True` makes a request body (readOnly fields left out instead of writeOnly).
        """
        node = self.plan(schema)
        h = digest64(f"{context.seed}\x1f{context.key}")
        return node.make(_Run(context, request), h, h)

    def plan(self, schema: Schema) -> _Node:
        """The compiled plan of a schema (made on first use, then kept)."""
        found = self._roots.get(id(schema))
        if found is not None and found[0] is schema:
            return found[1]
        node = self._node(schema, "", "")
        # Keeping the schema keeps its id from being reused by another object.
        self._roots[id(schema)] = (schema, node)
        return node

    # --- compiling ------------------------------------------------------------------------

    def _node(
        self, schema: Schema, name: str, parent: str, avoid: frozenset[str] = frozenset()
    ) -> _Node:
        label = _short(schema.get("$ref", "")) if isinstance(schema, dict) else ""
        s = self.document.resolve(schema)
        if "allOf" in s:
            s = self._merge(s)
            label = label or next(
                (_short(p.get("$ref", "")) for p in schema.get("allOf", []) if "$ref" in p), ""
            )
            self.quirks.add(("allOf merged into one object", _place(label, parent, name)))
        key = (id(s), name, parent, label, avoid)
        found = self._plans.get(key)
        if found is not None:
            return found
        forward = _Forward()
        self._plans[key] = forward
        node = self._build(s, name, parent, label, avoid)
        forward.target = node
        self._plans[key] = node
        return node

    def _merge(self, s: Schema) -> Schema:
        found = self._merged.get(id(s))
        if found is not None and found[0] is s:
            return found[1]
        parts = []
        for part in s["allOf"]:
            resolved = self.document.resolve(part)
            parts.append(self._merge(resolved) if "allOf" in resolved else resolved)
        rest = {k: v for k, v in s.items() if k != "allOf"}
        merged = merge_all_of([rest, *parts]) if rest else merge_all_of(parts)
        self._merged[id(s)] = (s, merged)
        return merged

    def _build(self, s: Schema, name: str, parent: str, label: str, avoid: frozenset[str]) -> _Node:
        choices = list(s.get("_choices", ()))
        for key in ("oneOf", "anyOf"):
            if key in s:
                choices.append((key, s[key]))
        if choices:
            return self._choice(s, choices, name, parent, label, avoid)
        if "not" in s:
            base = {k: v for k, v in s.items() if k != "not"}
            if "enum" in base:
                # An enum minus what `not` refuses: decided once, here.
                allowed = [v for v in base["enum"] if not self.matcher.valid(s["not"], v)]
                return self._build(dict(base, enum=allowed), name, parent, label, avoid)
            self.quirks.add(("`not`: made from the rest, then checked", _place("", parent, name)))
            return _Not(self, self._build(base, name, parent, label, avoid), s["not"])
        if "enum" in s:
            values = [v for v in s["enum"] if v is not None]
            return _Const(values[0]) if len(values) == 1 else _Enum(values)
        kind = s.get("type")
        if kind is None:
            # No type, but the keywords say which (a `format: date-time` without a type).
            kind = _implied_type(s)
        if kind == "object":
            return self._object(s, name, parent, label, avoid)
        if kind == "array":
            return self._array(s, name, parent)
        if kind == "string":
            return self._string(s, name, parent)
        if kind in ("integer", "number"):
            return self._number(s, kind, name, parent)
        if kind == "boolean":
            default = s.get("default")
            bias = realism.bool_bias(name)
            if bias == 0.5 and isinstance(default, bool):
                bias = 0.8 if default else 0.2
            return _Bool(bias)
        self.quirks.add((f"type {kind!r}: any value", _place("", parent, name)))
        return _AnyValue()

    def _choice(
        self,
        s: Schema,
        choices: list[tuple[str, list[Schema]]],
        name: str,
        parent: str,
        label: str,
        avoid: frozenset[str],
    ) -> _Node:
        """oneOf/anyOf (beside other keywords, or several from allOf): a branch each."""
        # What the schema asks beside its choices applies to every branch.
        base = {k: v for k, v in s.items() if k in _CONSTRAINTS}
        keyword, branches = choices[0]
        rest = choices[1:]
        resolved = []
        for branch in branches:
            b = self.document.resolve(branch)
            if "allOf" in b:
                b = self._merge(b)
            merged = merge_all_of([base, b]) if base else b
            if rest:
                merged = dict(merged, _choices=list(rest) + list(merged.get("_choices", ())))
            resolved.append((branch, merged))
        where = _place(label, parent, name)
        if keyword == "anyOf":
            nodes = [
                self._node_of(m, name, parent, _short(br.get("$ref", "")) or label, avoid)
                for br, m in resolved
            ]
            return _AnyOf(nodes)
        requireds = [set(m.get("required", ())) for _, m in resolved]
        nodes = []
        for index, (branch, merged) in enumerate(resolved):
            others = set().union(*(r for j, r in enumerate(requireds) if j != index))
            keep_out = frozenset(others - requireds[index]) | avoid
            branch_label = _short(branch.get("$ref", "")) or label
            nodes.append(self._node_of(merged, name, parent, branch_label, keep_out))
        checks = [m for _, m in resolved]
        disjoint = self._disjoint(checks)
        if len(nodes) == 1:
            self.quirks.add(("oneOf with a single branch", where))
        elif not disjoint:
            self.quirks.add(("oneOf checked at run time against the other branches", where))
        names = [_short(branch.get("$ref", "")) for branch, _ in resolved]
        return _OneOf(self, nodes, checks, disjoint or len(nodes) == 1, where, names)

    def _node_of(
        self, s: Schema, name: str, parent: str, label: str, avoid: frozenset[str]
    ) -> _Node:
        """A plan for an already resolved (possibly merged) schema, cached by its identity."""
        key = (id(s), name, parent, label, avoid)
        found = self._plans.get(key)
        if found is not None:
            return found
        forward = _Forward()
        self._plans[key] = forward
        # Keep merged dicts alive: their id is part of the key.
        self._kept.append(s)
        node = self._build(s, name, parent, label, avoid)
        forward.target = node
        self._plans[key] = node
        return node

    def _disjoint(self, branches: list[Schema]) -> bool:
        """Whether no value can match two branches, judged from types and constant fields."""
        types = [b.get("type") for b in branches]
        if None not in types and len(set(types)) == len(types):
            return True
        if not all(b.get("type") == "object" or "properties" in b for b in branches):
            return False
        shared = set.intersection(*(set(b.get("required", ())) for b in branches))
        for name in sorted(shared):
            sets = []
            for b in branches:
                sub = (b.get("properties") or {}).get(name)
                enum = self.document.resolve(sub).get("enum") if sub is not None else None
                if enum is None:
                    break
                sets.append({orjson.dumps(v) for v in enum})
            else:
                if all(not (a & c) for i, a in enumerate(sets) for c in sets[i + 1 :]):
                    return True
        return False

    def _object(
        self, s: Schema, name: str, parent: str, label: str, avoid: frozenset[str]
    ) -> _Node:
        me = label or name
        required = set(s.get("required", ()))
        props = []
        for prop_name, sub in (s.get("properties") or {}).items():
            if prop_name in avoid and prop_name not in required:
                continue
            resolved = self.document.resolve(sub)
            node = self._node(sub, prop_name, me)
            deprecated = bool(resolved.get("deprecated"))
            props.append(
                _Prop(
                    prop_name,
                    node,
                    prop_name in required,
                    _OPTIONAL_DEPRECATED if deprecated else _OPTIONAL,
                    bool(resolved.get("readOnly")),
                    bool(resolved.get("writeOnly")),
                    isinstance(node, _DateTime) and node.kind in ("origin", "start"),
                )
            )
        missing = required - {p.name for p in props}
        if missing:
            where = f"{_place(label, parent, name)}: {', '.join(sorted(missing))}"
            self.quirks.add(("required field without a schema", where))
            for prop_name in sorted(missing):
                guess = self._guess(prop_name, me)
                props.append(_Prop(prop_name, guess, True, 1.0, False, False, False))
        extra_schema = s.get("additionalProperties")
        extra: _Node | None = None
        extra_keys: list[tuple[str, _Node]] = []
        key_maker: realism.Maker | str | None = None
        if isinstance(extra_schema, dict) and not avoid:
            extra = self._node(extra_schema, name, parent)
            example = s.get("example")
            if isinstance(example, dict):
                for key, shown in example.items():
                    if key in (s.get("properties") or {}):
                        continue
                    node = self._node(extra_schema, key, me)
                    if isinstance(shown, str) and _generic(node):
                        # The example's value says more than a word would (MYSQL_USER: my_user).
                        node = _Const(shown)
                    extra_keys.append((key, node))
            key_maker = realism.map_keys(name)
        return _Object(props, extra, extra_keys, key_maker, self._links(props, s, me))

    def _guess(self, name: str, parent: str) -> _Node:
        """A field that is required but has no schema: a flag by its name, or any value."""
        if re.fullmatch(r"(is|has|can|should)[A-Z].*|accepted|enabled|active", name):
            return _Bool(0.5)
        if name.endswith("Id"):
            return self._string({"type": "string", "format": "uuid"}, name, parent)
        if name.endswith("Code"):
            return self._string({"type": "string"}, name, parent)
        return _AnyValue()

    def _links(
        self, props: list[_Prop], s: Schema, me: str
    ) -> list[tuple[str, _OneOf, str, dict[int, str]]]:
        """Enum fields that name the branch of a oneOf beside them, branch by branch.

        `orderType: projectHosting` goes with `orderData: ProjectHostingOrder`: an enum value
        names a branch when the branch's schema name starts with it (case aside), and every
        branch is named by exactly one value.
        """
        links = []
        for prop in props:
            node = prop.node
            if not isinstance(node, _OneOf) or not all(node.names):
                continue
            for other in props:
                sub = self.document.resolve((s.get("properties") or {}).get(other.name, {}))
                enum = [v for v in sub.get("enum", ()) if isinstance(v, str)]
                if other is prop or not enum:
                    continue
                names: dict[int, str] = {}
                for index, branch in enumerate(node.names):
                    named = [v for v in enum if branch.lower().startswith(v.lower())]
                    if len(named) == 1:
                        names[index] = named[0]
                if len(names) == len(node.names):
                    where = f"{_place(me, '', '')}: {other.name} names {prop.name}"
                    self.quirks.add(("enum field names the oneOf branch beside it", where))
                    links.append((prop.name, node, other.name, names))
        return links

    def _array(self, s: Schema, name: str, parent: str) -> _Node:
        items = s.get("items", {})
        node = self._node(items, name, parent) if items else _AnyValue()
        lo = int(s.get("minItems", 0))
        hi = s.get("maxItems")
        top = max(lo, min(3, hi) if hi is not None else 3)
        if hi is not None:
            top = min(top, int(hi))
        unique = bool(s.get("uniqueItems"))
        resolved = self.document.resolve(items) if items else {}
        if unique and "enum" in resolved:
            top = min(top, len([v for v in resolved["enum"] if v is not None]))
        return _Array(node, lo, max(top, lo), unique)

    def _string(self, s: Schema, name: str, parent: str) -> _Node:
        fmt = s.get("format")
        if fmt in ("date-time", "date"):
            return _DateTime(realism.date_kind(name), fmt == "date")
        hint = realism.Hint(name, parent, fmt, s.get("example"), s.get("maxLength"))
        if fmt == "uuid":
            maker: realism.Maker = realism.uuid
        else:
            maker, why = realism.string_maker(hint)
            self.sources[(parent, name, fmt)] = why
            # No row knew the name: the format decides (an e-mail, a host, base64, ...).
            if why in ("example", "words") and fmt in realism.FORMAT_MAKERS:
                maker = realism.FORMAT_MAKERS[fmt]
        if fmt is not None and fmt not in realism.KNOWN_FORMATS | {"password"}:
            self.quirks.add((f"format {fmt!r} (not a standard format)", _place("", parent, name)))
        pattern = re.compile(s["pattern"]) if "pattern" in s else None
        if pattern is not None:
            self.quirks.add((f"pattern {s['pattern']!r}", _place("", parent, name)))
        return _String(name, maker, hint, int(s.get("minLength", 0)), s.get("maxLength"), pattern)

    def _number(self, s: Schema, kind: str, name: str, parent: str) -> _Node:
        span, why = realism.number_span(name, parent, s.get("example"))
        self.sources[(parent, name, kind)] = why
        integer = kind == "integer"
        low, high = s.get("minimum"), s.get("maximum")
        if low is not None and s.get("exclusiveMinimum") is True:
            low = low + 1 if integer else low + abs(low) * 1e-9 + 1e-9
        if high is not None and s.get("exclusiveMaximum") is True:
            high = high - 1 if integer else high - abs(high) * 1e-9 - 1e-9
        choices = tuple(
            c for c in span.choices if (low is None or c >= low) and (high is None or c <= high)
        )
        lo, hi = (min(choices), max(choices)) if choices else (span.lo, span.hi)
        if low is not None:
            lo = max(lo, low)
        if high is not None:
            hi = min(hi, high)
        if lo > hi:
            # The plausible span misses the schema's bounds: stay near the bound that exists.
            if low is not None and high is not None:
                lo, hi = low, min(high, low + max(10, abs(low)))
            elif low is not None:
                lo, hi = low, low + max(10, abs(low))
            else:
                assert high is not None
                lo, hi = max(high - max(10, abs(high)), 0 if high > 0 else high - 10), high
        if integer and math.ceil(lo) > math.floor(hi):
            choices, lo, hi = (), math.ceil(lo), math.ceil(lo)
        log = span.log and lo > 0
        real = s.get("format") in ("float", "double")
        decimals = span.decimals
        if real and decimals is None and hi - lo < 10:
            decimals = 2
        return _Number(
            lo,
            hi,
            log,
            choices if (span.choices and choices) else (),
            integer,
            real,
            None if integer else decimals,
            s.get("multipleOf"),
        )


def _implied_type(s: Schema) -> str | None:
    """The type a schema without `type` means by its other keywords, if any."""
    if "properties" in s or "additionalProperties" in s:
        return "object"
    if "items" in s:
        return "array"
    if s.get("format") in ("int32", "int64"):
        return "integer"
    if s.get("format") in ("float", "double") or "minimum" in s or "maximum" in s:
        return "number"
    if "format" in s or "pattern" in s or "minLength" in s or "maxLength" in s:
        return "string"
    return None


def _generic(node: _Node) -> bool:
    """A string plan that no specific row made (a plain word, an env value, an example's shape)."""
    return isinstance(node, _String) and node.maker in (
        realism.word_phrase,
        realism.env_value,
        realism.shaped_example,
    )


def _short(ref: str) -> str:
    """`#/components/schemas/de.mittwald.v1.database.MySqlDatabase` -> `MySqlDatabase`."""
    return ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1] if ref else ""


def _place(label: str, parent: str, name: str) -> str:
    """Where a schema sits, for the summary: `Cronjob.destination`, `Project`, `(body)`."""
    if label:
        return label
    return ".".join(part for part in (parent, name) if part) or "(an operation's body)"
