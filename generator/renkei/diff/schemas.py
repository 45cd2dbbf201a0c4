"""Comparing two JSON Schemas in one direction (request or response), `$ref`s resolved, cycles cut."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from renkei.diff.changes import Severity
from renkei.diff.context import Context, Side
from renkei.diff.directions import Direction, Effect, severity_of
from renkei.diff.nodes import Node, Tokens
from renkei.diff.versions import Version

_UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "minItems", "minProperties")
_ALTERNATIVES = ("oneOf", "anyOf")


@dataclass
class Flat:
    """A schema with its `allOf` parts merged: keywords, properties and `required` of every part."""

    node: Node
    keywords: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


def flatten(version: Version, node: Node, seen: frozenset[Tokens] = frozenset()) -> Flat:
    """`node` (resolved) with its `allOf` merged in; a part met again (a cycle through allOf) is skipped."""
    flat = Flat(node)
    value = node.value if isinstance(node.value, dict) else {}
    for key, keyword in value.items():
        if key not in ("allOf", "properties", "required"):
            flat.keywords[key] = keyword
    flat.properties.update(node.mapping("properties"))
    flat.required.update(str(name) for name in value.get("required") or () if isinstance(name, str))
    for part in node.items("allOf"):
        resolved = version.resolve(part)
        if resolved.tokens in seen:
            continue
        merged = flatten(version, resolved, seen | {node.tokens})
        for key, keyword in merged.keywords.items():
            flat.keywords.setdefault(key, keyword)
        for name, child in merged.properties.items():
            flat.properties.setdefault(name, child)
        flat.required |= merged.required
    return flat


def component_label(tokens: Tokens) -> str | None:
    """`Balance` for `#/components/schemas/Balance`."""
    if len(tokens) == 3 and tokens[:2] == ("components", "schemas"):
        return tokens[2]
    return None


def _types(keywords: dict[str, Any]) -> frozenset[str] | None:
    declared = keywords.get("type")
    if declared is None:
        return None
    types = set(declared) if isinstance(declared, list) else {declared}
    if keywords.get("nullable") is True:
        types.add("null")
    return frozenset(str(t) for t in types)


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _show(value: Any) -> str:
    if isinstance(value, frozenset | set):
        return "|".join(sorted(value))
    return repr(value) if isinstance(value, str) else str(value)


class SchemaComparer:
    """Compares the schemas met in one operation in one direction; each pair of nodes once (cycles)."""

    def __init__(self, context: Context, direction: Direction, operation: str) -> None:
        self.context = context
        self.direction = direction
        self.operation = operation
        self.seen: set[tuple[Tokens, Tokens]] = set()

    # -- reporting ------------------------------------------------------------------------------------

    def _emit(self, kind: str, severity: Severity, message: str, node: Node, side: Side = "new") -> None:
        self.context.emit(f"{self.direction}-{kind}", severity, message, self.operation, node, side)

    def _effect(self, kind: str, effect: Effect, message: str, node: Node, side: Side = "new") -> None:
        self._emit(kind, severity_of(self.direction, effect), f"{message} ({effect})", node, side)

    # -- walking ---------------------------------------------------------------------------------------

    def compare(self, old: Node, new: Node, label: str) -> None:
        old_node = self.context.old.resolve(old)
        new_node = self.context.new.resolve(new)
        key = (old_node.tokens, new_node.tokens)
        if key in self.seen:
            return
        self.seen.add(key)
        label = component_label(new_node.tokens) or label
        old_flat = flatten(self.context.old, old_node)
        new_flat = flatten(self.context.new, new_node)
        for keyword in _ALTERNATIVES:
            if bool(old_flat.node.get(keyword)) != bool(new_flat.node.get(keyword)):
                # A schema that became (or stopped being) a union: one structural change, not its parts.
                message = f"{label}: {keyword} {'added' if new_flat.node.get(keyword) else 'removed'}"
                self._effect(f"{keyword.lower()}-changed", "changed", message, new_flat.node)
                return
        self._keywords(old_flat, new_flat, label)
        self._properties(old_flat, new_flat, label)
        self._additional(old_flat, new_flat, label)
        self._alternatives(old_flat, new_flat, label)
        old_items, new_items = old_flat.node.get("items"), new_flat.node.get("items")
        if old_items is not None and new_items is not None:
            self.compare(old_items, new_items, f"{label}[]")

    def _keywords(self, old: Flat, new: Flat, label: str) -> None:
        here = new.node
        self._type(_types(old.keywords), _types(new.keywords), label, here)
        before, after = old.keywords.get("format"), new.keywords.get("format")
        if before != after:
            effect: Effect = "narrowed" if before is None else "widened" if after is None else "changed"
            message = f"{label}: format {before} → {after}"
            self._effect("format-changed", effect, message, here.get("format") or here)
        for keyword in _UPPER + _LOWER + ("exclusiveMaximum", "exclusiveMinimum", "multipleOf"):
            self._bound(keyword, old.keywords.get(keyword), new.keywords.get(keyword), label, here)
        before, after = old.keywords.get("pattern"), new.keywords.get("pattern")
        if before != after:
            effect = "narrowed" if before is None else "widened" if after is None else "changed"
            message = f"{label}: pattern {before!r} → {after!r}"
            self._effect("pattern-changed", effect, message, here.get("pattern") or here)
        if bool(old.keywords.get("uniqueItems")) != bool(new.keywords.get("uniqueItems")):
            effect = "narrowed" if new.keywords.get("uniqueItems") else "widened"
            self._effect("unique-items-changed", effect, f"{label}: uniqueItems changed", here)
        self._enum(old, new, label)
        if old.keywords.get("default") != new.keywords.get("default"):
            self._emit(
                "default-changed",
                Severity.INFO,
                f"{label}: default {old.keywords.get('default')!r} → {new.keywords.get('default')!r}",
                here,
            )
        if not old.keywords.get("deprecated") and new.keywords.get("deprecated"):
            self._emit("deprecated", Severity.INFO, f"{label}: deprecated", here)
        for text in ("description", "title"):
            if old.keywords.get(text) != new.keywords.get(text):
                self._emit(f"{text}-changed", Severity.INFO, f"{label}: {text} changed", here)

    def _type(
        self, before: frozenset[str] | None, after: frozenset[str] | None, label: str, here: Node
    ) -> None:
        if before == after:
            return
        if before is None:
            effect: Effect = "narrowed"
        elif after is None or _covers(after, before):
            effect = "widened"
        elif _covers(before, after):
            effect = "narrowed"
        else:
            effect = "changed"
        shown = f"{_show(before) if before else 'any'} → {_show(after) if after else 'any'}"
        self._effect("type-changed", effect, f"{label}: type {shown}", here)

    def _bound(self, keyword: str, before: Any, after: Any, label: str, here: Node) -> None:
        if before == after:
            return
        effect: Effect
        if isinstance(before, bool) or isinstance(after, bool):  # OpenAPI 3.0 exclusiveMaximum: true
            effect = "narrowed" if after else "widened"
        elif keyword == "multipleOf":
            if before is None:
                effect = "narrowed"
            elif after is None:
                effect = "widened"
            else:
                effect = "narrowed" if after % before == 0 else "changed"
        elif before is None:
            effect = "narrowed"
        elif after is None:
            effect = "widened"
        else:
            smaller = after < before
            upper = keyword in _UPPER or keyword == "exclusiveMaximum"
            effect = "narrowed" if smaller == upper else "widened"
        message = f"{label}: {keyword} {before} → {after}"
        self._effect(f"{keyword}-changed".lower(), effect, message, here.get(keyword) or here)

    def _enum(self, old: Flat, new: Flat, label: str) -> None:
        def values(keywords: dict[str, Any]) -> list[Any] | None:
            if "const" in keywords:
                return [keywords["const"]]
            enum = keywords.get("enum")
            return list(enum) if isinstance(enum, list) else None

        before, after = values(old.keywords), values(new.keywords)
        if before == after:
            return
        here = new.node
        if before is None:
            self._effect("enum-added", "narrowed", f"{label}: now limited to {after}", here)
            return
        if after is None:
            self._effect("enum-removed", "widened", f"{label}: no longer an enumeration", here)
            return
        for value in before:
            if value not in after:
                # A request rejects it; the generated client's enum loses the member (code naming it breaks).
                self._emit(
                    "enum-value-removed", Severity.BREAKING, f"{label}: enum value {value!r} removed", here
                )
        for value in after:
            if value not in before:
                severity = Severity.COMPATIBLE if self.direction == "request" else Severity.BREAKING
                self._emit("enum-value-added", severity, f"{label}: enum value {value!r} added", here)

    def _properties(self, old: Flat, new: Flat, label: str) -> None:
        request = self.direction == "request"
        skipped = "readOnly" if request else "writeOnly"

        def visible(node: Node) -> bool:
            return not (isinstance(node.value, dict) and node.value.get(skipped) is True)

        closed = new.keywords.get("additionalProperties") is False
        for name, node in old.properties.items():
            if name in new.properties or not visible(self.context.old.resolve(node)):
                continue
            if request:
                severity = Severity.BREAKING if closed else Severity.COMPATIBLE
                why = " (additionalProperties: false rejects it)" if closed else ""
                message = f"{label}: property `{name}` removed{why}"
            else:
                severity, message = Severity.BREAKING, f"{label}: property `{name}` removed"
            self._emit("property-removed", severity, message, node, "old")
        for name, node in new.properties.items():
            if name in old.properties or not visible(self.context.new.resolve(node)):
                continue
            if request and name in new.required:
                self._emit(
                    "property-added-required",
                    Severity.BREAKING,
                    f"{label}: new required property `{name}`",
                    node,
                )
            else:
                self._emit("property-added", Severity.COMPATIBLE, f"{label}: new property `{name}`", node)
        for name, old_node in old.properties.items():
            new_node = new.properties.get(name)
            if new_node is None:
                continue
            was, now = name in old.required, name in new.required
            if was != now and visible(self.context.new.resolve(new_node)):
                if request:
                    severity = Severity.BREAKING if now else Severity.COMPATIBLE
                else:
                    severity = Severity.BREAKING if was else Severity.COMPATIBLE
                kind = "property-became-required" if now else "property-became-optional"
                self._emit(kind, severity, f"{label}: property `{name}` {kind.split('-')[-1]}", new_node)
            self.compare(old_node, new_node, f"{label}.{name}")

    def _additional(self, old: Flat, new: Flat, label: str) -> None:
        before, after = old.keywords.get("additionalProperties"), new.keywords.get("additionalProperties")
        if before is not False and after is False:
            self._effect(
                "additional-properties-closed", "narrowed", f"{label}: additionalProperties: false", new.node
            )
        elif before is False and after is not False:
            # Clients keep unknown response fields (extra="allow"): opening a response is compatible too.
            self._emit(
                "additional-properties-opened",
                Severity.COMPATIBLE,
                f"{label}: additional properties allowed",
                new.node,
            )
        old_schema, new_schema = old.node.get("additionalProperties"), new.node.get("additionalProperties")
        if old_schema is not None and new_schema is not None:
            if isinstance(old_schema.value, dict) and isinstance(new_schema.value, dict):
                self.compare(old_schema, new_schema, f"{label}{{*}}")

    def _alternatives(self, old: Flat, new: Flat, label: str) -> None:
        for keyword in _ALTERNATIVES:
            before, after = list(old.node.items(keyword)), list(new.node.items(keyword))
            if not before and not after:
                continue
            if not before or not after:
                message = f"{label}: {keyword} {'added' if after else 'removed'}"
                self._effect(f"{keyword.lower()}-changed", "changed", message, new.node)
                continue
            old_named = {self._name(self.context.old, n, i): n for i, n in enumerate(before)}
            new_named = {self._name(self.context.new, n, i): n for i, n in enumerate(after)}
            for name, node in old_named.items():
                if name not in new_named:
                    self._effect(
                        f"{keyword.lower()}-removed",
                        "narrowed",
                        f"{label}: {keyword} {name} removed",
                        node,
                        "old",
                    )
            for name, node in new_named.items():
                if name not in old_named:
                    self._effect(
                        f"{keyword.lower()}-added", "widened", f"{label}: {keyword} {name} added", node
                    )
                else:
                    self.compare(old_named[name], node, f"{label}<{name}>")

    @staticmethod
    def _name(version: Version, node: Node, number: int) -> str:
        return component_label(version.resolve(node).tokens) or f"#{number}"
