"""Read one YAML/JSON file into plain data while recording the position of every entry.

Uses libyaml's composer when available (fast even for multi-megabyte documents) and converts the node
tree itself, so that each mapping entry and sequence item gets a position. Scalars follow the YAML 1.2
core schema (what JSON and OpenAPI 3.1 expect): `yes`/`on` stay strings, dates stay strings, and
mapping keys are always strings (`200:` is the key "200").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from renkei.loading.errors import SourceLocation, SpecError, display_path
from renkei.loading.locations import LocationIndex
from renkei.loading.text import Text
from renkei.loading.yaml_hints import hint_for, problem_text

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = "tag:yaml.org,2002:str"


class _ComposingLoader(_BaseLoader):  # type: ignore[misc]
    """A loader with no implicit tag resolution: plain scalars are typed by `_plain_scalar`."""

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        """Every untagged node gets its kind's default tag (much faster than PyYAML's regex table)."""
        if kind is ScalarNode:
            return _STR_TAG
        if kind is SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


_CONSTANTS: dict[str, Any] = {
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
    "null": None, "Null": None, "NULL": None, "~": None,
}  # fmt: skip
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip
_NUMBER_START = frozenset("0123456789+-.")


def _plain_scalar(text: str) -> Any:
    """Type a plain (unquoted) scalar per the YAML 1.2 core schema."""
    if not text:
        return None
    first = text[0]
    if first in _NUMBER_START:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
        if text[:2] == "0x" and len(text) > 2:
            try:
                return int(text[2:], 16)
            except ValueError:
                return text
        if text[:2] == "0o" and len(text) > 2:
            try:
                return int(text[2:], 8)
            except ValueError:
                return text
        return _SPECIAL_FLOATS.get(text, text)
    return _CONSTANTS.get(text, text)


class _Builder:
    """Turns a composed node tree into dicts/lists/scalars, filling the location index."""

    def __init__(self, path: Path, index: LocationIndex) -> None:
        self.path = path
        self.file_number = index.file_number(path)
        self.index = index
        self.positions = index.positions
        self.memo: dict[int, Any] = {}  # aliases share the built object (and cannot blow up)

    def location(self, node: Node) -> SourceLocation:
        return SourceLocation(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            if not node.style and node.tag == _STR_TAG:  # plain: style None (Python) or "" (libyaml)
                return _plain_scalar(node.value)
            if node.tag == _STR_TAG or node.style:
                return node.value
            return self.explicit_scalar(node)
        built = self.memo.get(id(node))
        if built is not None:
            return built
        positions = self.positions
        shift = self.file_number << 42
        if isinstance(node, MappingNode):
            mapping: dict[str, Any] = {}
            self.memo[id(node)] = mapping
            mapping_id = id(mapping)
            merged: list[Node] = []
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise SpecError(
                        "yaml-syntax",
                        Text("mapping keys must be plain strings", "マッピングのキーは単純な文字列にします"),
                        self.location(key_node),
                    )
                key = key_node.value
                if key == "<<" and not key_node.style:
                    merged.append(value_node)
                    continue
                if key in mapping:
                    raise SpecError(
                        "yaml-duplicate-key",
                        Text(
                            f"duplicate key {key!r} in a mapping",
                            f"マッピングのキー {key!r} が重複しています (片方は黙って捨てられます)",
                        ),
                        self.location(key_node),
                    )
                mark = key_node.start_mark
                positions[(mapping_id, key)] = shift | ((mark.line + 1) << 21) | (mark.column + 1)
                mapping[key] = self.build(value_node)
            for merge_node in merged:
                self.merge(mapping, merge_node)
            return mapping
        if isinstance(node, SequenceNode):
            sequence: list[Any] = []
            self.memo[id(node)] = sequence
            sequence_id = id(sequence)
            for number, item_node in enumerate(node.value):
                mark = item_node.start_mark
                positions[(sequence_id, number)] = shift | ((mark.line + 1) << 21) | (mark.column + 1)
                sequence.append(self.build(item_node))
            return sequence
        raise SpecError("yaml-syntax", f"unsupported YAML node {node.tag}", self.location(node))

    def merge(self, mapping: dict[str, Any], merge_node: Node) -> None:
        """A YAML merge key (`<<: *base` or `<<: [*a, *b]`): keys not given explicitly come from the
        merged mappings, earlier ones first; each keeps the position it has in its own mapping."""
        sources = merge_node.value if isinstance(merge_node, SequenceNode) else [merge_node]
        for source_node in sources:
            source = self.build(source_node)
            if not isinstance(source, dict):
                raise SpecError("yaml-syntax", "a merge key (<<) takes mappings", self.location(source_node))
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    packed = self.positions.get((id(source), key))
                    if packed is not None:
                        self.positions[(id(mapping), key)] = packed

    def explicit_scalar(self, node: ScalarNode) -> Any:
        """A scalar with an explicit tag (`!!int 3`): let PyYAML's safe constructor type it."""
        try:
            return yaml.SafeLoader("").construct_object(node)
        except yaml.YAMLError as error:
            raise SpecError("yaml-syntax", str(error).splitlines()[0], self.location(node)) from None


def _yaml_error(path: Path, error: yaml.YAMLError, text: str) -> SpecError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    location = SourceLocation(path, mark.line + 1, mark.column + 1) if mark is not None else None
    hint: Text | None = None
    if isinstance(error, yaml.MarkedYAMLError):
        context = error.context
        started = ""
        if context and error.context_mark is not None and error.problem_mark is not None:
            if error.context_mark.line != error.problem_mark.line:
                started = f" (started at line {error.context_mark.line + 1})"
        parts = [part for part in (context, error.problem) if part]
        message = ": ".join(parts) if parts else "invalid YAML"
        english = f"{context}{started}: {error.problem}" if context and error.problem else message
        japanese_started = started.replace(" (started at line ", " (").replace(")", " 行目から)")
        japanese = (
            f"{problem_text(context)}{japanese_started}: {problem_text(error.problem)}"
            if context and error.problem
            else problem_text(message)
        )
        if mark is not None:
            context_line = error.context_mark.line if error.context_mark is not None else None
            hint = hint_for(text.splitlines(), error.problem or "", mark.line, mark.column, context_line)
    else:
        english = japanese = str(error).splitlines()[0] if str(error) else "invalid YAML"
    result = Text(f"invalid YAML: {english}", f"YAML の構文誤り: {japanese}")
    return SpecError("yaml-syntax", result + hint if hint is not None else result, location)


def read_text(path: Path, referenced_from: Callable[[], SourceLocation] | None = None) -> str:
    """The file's text; a missing or unreadable file becomes a SpecError located at the referrer
    (`referenced_from` computes that location: only needed on failure)."""

    def referrer() -> SourceLocation | None:
        return referenced_from() if referenced_from is not None else None

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if referenced_from is not None:
            raise SpecError(
                "ref-unresolvable",
                Text(
                    f"$ref target file not found: {display_path(path)}",
                    f"$ref の参照先ファイルがありません: {display_path(path)}",
                ),
                referrer(),
            ) from None
        raise SpecError(
            "file-missing",
            Text(f"file not found: {display_path(path)}", f"ファイルがありません: {display_path(path)}"),
        ) from None
    except IsADirectoryError:
        raise SpecError("file-unreadable", f"is a directory, not a file: {path}", referrer()) from None
    except OSError as error:
        raise SpecError("file-unreadable", f"cannot read {path}: {error.strerror}", referrer()) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SpecError(
            "yaml-syntax",
            Text(
                f"file is not UTF-8 (byte {error.start})",
                f"ファイルが UTF-8 ではありません ({error.start} バイト目)。UTF-8 で保存してください",
            ),
            SourceLocation(path, line, 1),
        ) from None


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateKey
    return mapping


def _fill_json_positions(path: Path, text: str, data: Any, index: LocationIndex) -> None:
    """Positions of a JSON document parsed on the fast path: compose it as YAML and walk both trees.
    A JSON text libyaml cannot read (e.g. tab indentation) simply stays without positions."""
    loader = _ComposingLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()
    positions = index.positions
    shift = index.file_number(path) << 42
    stack: list[tuple[Node, Any]] = [(node, data)] if node is not None else []
    while stack:
        node, value = stack.pop()
        if isinstance(node, MappingNode) and isinstance(value, dict):
            value_id = id(value)
            for key_node, value_node in node.value:
                key = key_node.value
                if isinstance(key_node, ScalarNode) and key in value:
                    mark = key_node.start_mark
                    positions[(value_id, key)] = shift | ((mark.line + 1) << 21) | (mark.column + 1)
                    stack.append((value_node, value[key]))
        elif isinstance(node, SequenceNode) and isinstance(value, list) and len(node.value) == len(value):
            value_id = id(value)
            for number, (item_node, item) in enumerate(zip(node.value, value, strict=True)):
                mark = item_node.start_mark
                positions[(value_id, number)] = shift | ((mark.line + 1) << 21) | (mark.column + 1)
                stack.append((item_node, item))


def _read_json(path: Path, text: str, index: LocationIndex) -> tuple[bool, Any]:
    """The fast path for `.json` files: (parsed, data); positions are filled only when first needed.
    Not parsed when a key repeats: the YAML path then reports it with its position."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise SpecError(
            "yaml-syntax", f"invalid JSON: {error.msg}", SourceLocation(path, error.lineno, error.colno)
        ) from None
    except _DuplicateKey:
        return False, None
    stripped = text.lstrip()
    skipped = text[: len(text) - len(stripped)]
    line = skipped.count("\n") + 1
    column = len(skipped) - (skipped.rfind("\n") + 1) + 1
    index.add_root(data, index.pack(index.file_number(path), line, column))
    index.defer(lambda: _fill_json_positions(path, text, data, index))
    return True, data


def read_yaml(
    path: Path, index: LocationIndex, referenced_from: Callable[[], SourceLocation] | None = None
) -> Any:
    """Parse `path` (YAML, or JSON on a fast path) into plain data, recording positions in `index`."""
    text = read_text(path, referenced_from)
    if path.suffix.lower() == ".json":
        parsed, data = _read_json(path, text, index)
        if parsed:
            return data
    loader = _ComposingLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        raise _yaml_error(path, error, text) from None
    finally:
        loader.dispose()
    if node is None:
        raise SpecError("yaml-syntax", f"empty document: {path}", SourceLocation(path, 1, 1))
    builder = _Builder(path, index)
    try:
        data = builder.build(node)
    except RecursionError:
        raise SpecError("yaml-syntax", "document nested too deeply", builder.location(node)) from None
    index.add_root(
        data, index.pack(builder.file_number, node.start_mark.line + 1, node.start_mark.column + 1)
    )
    return data
