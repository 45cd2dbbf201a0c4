"""Bundle a root OpenAPI document and the files its `$ref`s reach into one self-contained document.

Every external `$ref` is rewritten to a local one and its target copied under `components`: a target at
`#/components/<section>/<name>` of another file keeps its section and name; any other target (a whole
file, a `definitions` entry, ...) gets a deterministic name (`<file stem>_<last token>`) in the section its
use implies (a `$ref` in a `parameters` list is a parameter, ...). Internal refs stay refs, so recursive
schemas stay finite. Each copied node keeps the source position it had in its own file.

A tolerant bundler (`tolerant=True`) does not stop at the first bad `$ref`: each problem (unresolvable,
cyclic, remote, a target file that does not parse, clashing names) is recorded in `problems`, the `$ref`
key is taken out of the reference object and the object is remembered in `unresolved`, so that checking
goes on over the rest of the document and can tell consequences of the bad reference from other mistakes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from renkei.loading.errors import SourceLocation, SpecError, display_path
from renkei.loading.locations import Key, LocationIndex
from renkei.loading.pointers import PointerError, parse_fragment, resolve, to_fragment
from renkei.loading.text import Text
from renkei.loading.yaml_reader import read_yaml

Tokens = tuple[Key, ...]

# Mappings whose keys are names chosen by the author, never keywords.
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas",
        "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links",
        "callbacks", "pathItems", "paths", "webhooks", "content", "encoding", "mapping", "variables",
    }
)  # fmt: skip
# Keywords whose values are literal data (examples, defaults): a `$ref` in them is not a reference.
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const"})
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class _Placement:
    """One component of the bundle and where its content came from."""

    file: Path
    tokens: Tokens
    node: Any


def _section_for(path: Tokens) -> str:
    """The components section a `$ref` at `path` (inside its own file) points into."""
    if len(path) >= 3 and path[-3] in ("properties", "patternProperties", "$defs", "definitions"):
        return "schemas"
    last = path[-1] if path else None
    parent = path[-2] if len(path) >= 2 else None
    if parent == "paths":
        return "pathItems"
    if last == "requestBody":
        return "requestBodies"
    by_parent = {
        "parameters": "parameters",
        "responses": "responses",
        "headers": "headers",
        "examples": "examples",
        "links": "links",
        "callbacks": "callbacks",
        "securitySchemes": "securitySchemes",
    }
    if isinstance(parent, str) and parent in by_parent:
        return by_parent[parent]
    return "schemas"


class _AlreadyReported(SpecError):
    """A reference into a file whose own failure (it does not parse) was already recorded."""

    def __init__(self, original: SpecError) -> None:
        super().__init__(original.rule, original.message, original.location)


class Bundler:
    """Loads the root document and every file it references; `bundle()` returns the bundled document."""

    def __init__(self, root_path: Path, index: LocationIndex, *, tolerant: bool = False) -> None:
        self.index = index
        self.tolerant = tolerant
        self.problems: list[SpecError] = []
        self.unresolved: list[dict[str, Any]] = []  # reference objects whose `$ref` was taken out
        self.broken_files: dict[Path, SpecError] = {}
        self.cycles: set[frozenset[int]] = set()  # the reference objects of each cycle reported
        self.root_path = Path(os.path.normpath(root_path.absolute()))
        self.files: dict[Path, Any] = {}
        root = self._load(self.root_path, None)
        if not isinstance(root, dict):
            raise SpecError(
                "document-not-mapping",
                Text(
                    "an OpenAPI document must be a mapping at the top level",
                    "OpenAPI 文書の最上位はマッピング (キー: 値) でなければなりません",
                ),
                index.root(root) or SourceLocation(self.root_path, 1, 1),
            )
        self.root: dict[str, Any] = root
        self.walked: set[int] = set()
        self.targets: dict[int, tuple[Path, Tokens]] = {}  # id(ref object) -> its original target
        self.placement_of: dict[tuple[Path, Tokens], tuple[str, str]] = {}
        self.placements: dict[tuple[str, str], list[_Placement]] = {}
        self.queue: list[tuple[Path, Tokens, Any]] = []

    # -- files and refs -------------------------------------------------------------------------------

    def _load(self, path: Path, referenced_from: Callable[[], SourceLocation] | None) -> Any:
        data = self.files.get(path)
        if data is None and path not in self.files:
            broken = self.broken_files.get(path)
            if broken is not None:
                raise _AlreadyReported(broken)
            try:
                data = read_yaml(path, self.index, referenced_from)
            except SpecError as error:
                if error.rule != "ref-unresolvable":  # a file that exists but does not parse: once
                    self.broken_files[path] = error
                raise
            self.files[path] = data
        return data

    def _give_up(self, ref: dict[str, Any], error: SpecError) -> None:
        """Tolerant mode: record `error` (once) and neutralise the reference object."""
        if not self.tolerant:
            raise error
        if not isinstance(error, _AlreadyReported):
            self.problems.append(error)
        ref.pop("$ref", None)
        self.unresolved.append(ref)

    def _ref_location(self, ref: dict[str, Any], file: Path) -> SourceLocation:
        return self.index.get(ref, "$ref") or SourceLocation(file, 1, 1)

    def _target(self, file: Path, ref: dict[str, Any]) -> tuple[Path, Tokens, Any]:
        """Resolve the `$ref` object `ref` found in `file`: (target file, pointer tokens, target node)."""
        known = self.targets.get(id(ref))
        if known is not None:
            return known[0], known[1], resolve(self.files[known[0]], known[1])
        text: str = ref["$ref"]
        parts = urlsplit(text)
        if parts.scheme in ("http", "https"):
            raise SpecError(
                "ref-remote",
                Text(
                    f"remote $ref not supported: {text}",
                    f"リモートの $ref は使えません: {text} (spec/components/ に写してください)",
                ),
                self._ref_location(ref, file),
            )
        if parts.scheme or parts.netloc:
            raise SpecError(
                "ref-unresolvable",
                Text(
                    f"unsupported $ref (only relative files): {text}",
                    f"使えない $ref です (相対パスのファイルだけ): {text}",
                ),
                self._ref_location(ref, file),
            )
        target_file = file
        if parts.path:
            target_file = Path(os.path.normpath(file.parent / unquote(parts.path)))
        try:
            tokens: Tokens = parse_fragment(parts.fragment)
        except ValueError as error:
            raise SpecError(
                "ref-unresolvable",
                Text(f"$ref {text!r}: {error}", f"$ref {text!r}: JSON ポインタではありません ({error})"),
                self._ref_location(ref, file),
            ) from None
        data = self._load(target_file, lambda: self._ref_location(ref, file))
        try:
            node = resolve(data, tokens)
        except PointerError as error:
            missing = to_fragment(tokens[: error.depth + 1])
            raise SpecError(
                "ref-unresolvable",
                Text(
                    f"$ref {text!r}: {display_path(target_file)} has nothing at #{missing}",
                    f"$ref {text!r}: {display_path(target_file)} に #{missing} がありません",
                ),
                self._ref_location(ref, file),
            ) from None
        return target_file, tokens, node

    def _check_cycle(
        self, file: Path, path: Tokens, ref: dict[str, Any], first: tuple[Path, Tokens, Any]
    ) -> None:
        """A chain of pure `$ref`s that comes back to a `$ref` on the chain is a cycle."""
        seen = {id(ref): 0}
        chain: list[tuple[Path, Tokens]] = [(file, path)]
        members: list[int] = [id(ref)]
        target_file, tokens, node = first
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if id(node) in seen:
                cycle = frozenset(members[seen[id(node)] :])
                names = [f"{display_path(f)}#{to_fragment(t)}" for f, t in chain[seen[id(node)] :]]
                error = SpecError(
                    "ref-cycle",
                    Text(
                        "$ref cycle: " + " -> ".join([*names, names[0]]),
                        "$ref が循環しています: " + " -> ".join([*names, names[0]]),
                    ),
                    self._ref_location(ref, file),
                )
                if cycle in self.cycles:  # the same cycle, reached from another of its references
                    raise _AlreadyReported(error)
                self.cycles.add(cycle)
                raise error
            seen[id(node)] = len(chain)
            chain.append((target_file, tokens))
            members.append(id(node))
            target_file, tokens, node = self._target(target_file, node)

    # -- walking --------------------------------------------------------------------------------------

    def bundle(self) -> dict[str, Any]:
        self._walk(self.root_path, (), self.root)
        while self.queue:
            self._walk(*self.queue.pop(0))
        self._insert_components()
        return self.root

    def _walk(self, file: Path, base: Tokens, start: Any) -> None:
        """Visit every `$ref` under `start` (at `base` in `file`), rewriting external ones."""
        stack: list[tuple[Any, Tokens]] = [(start, base)]
        walked = self.walked
        while stack:
            node, path = stack.pop()
            if id(node) in walked:
                continue
            walked.add(id(node))
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str) and id(node) not in self.targets:
                    self._visit_ref(file, path, node)
                if path and path[-1] == "discriminator" and isinstance(node.get("mapping"), dict):
                    self._visit_mapping(file, path, node["mapping"])
                names = bool(path) and path[-1] in _NAME_MAPS and (len(path) < 2 or path[-2] != "properties")
                children: list[tuple[Any, Tokens]] = []
                for key, value in node.items():
                    if not isinstance(value, dict | list):
                        continue
                    if not names and (key in _LITERAL_KEYS or key.startswith("x-")):
                        continue
                    if key == "value" and len(path) >= 2 and path[-2] == "examples":
                        continue
                    if key == "examples" and isinstance(value, list):
                        continue
                    children.append((value, (*path, key)))
                stack.extend(reversed(children))  # visit in document order: deterministic component order
            elif isinstance(node, list):
                stack.extend(
                    (item, (*path, number))
                    for number, item in reversed(list(enumerate(node)))
                    if isinstance(item, dict | list)
                )

    def _visit_ref(self, file: Path, path: Tokens, ref: dict[str, Any]) -> None:
        try:
            target = self._target(file, ref)
            self._check_cycle(file, path, ref, target)
        except SpecError as error:
            self._give_up(ref, error)
            return
        target_file, tokens, node = target
        self.targets[id(ref)] = (target_file, tokens)
        if target_file == self.root_path:
            if file != self.root_path:
                ref["$ref"] = "#" + quote(to_fragment(tokens), safe="/~:@!$&'()*+,;=")
            return
        section, name = self._place(target_file, tokens, node, path)
        ref["$ref"] = f"#/components/{section}/" + quote(to_fragment((name,))[1:], safe="~:@!$&'()*+,;=")
        if isinstance(node, dict | list) and id(node) not in self.walked:
            self.queue.append((target_file, tokens, node))

    def _visit_mapping(self, file: Path, path: Tokens, mapping: dict[str, Any]) -> None:
        """Discriminator mapping values are references too (a bare schema name is left alone)."""
        for key, value in mapping.items():
            if not isinstance(value, str) or not ("#" in value or value.endswith((".yaml", ".yml", ".json"))):
                continue
            ref = {"$ref": value}
            self.index.alias(ref, "$ref", mapping, key)
            self._visit_ref(file, (*path, "mapping", key), ref)
            mapping[key] = ref.get("$ref", value)

    # -- placing components ---------------------------------------------------------------------------

    def _root_component(self, section: str, name: str) -> Any:
        components = self.root.get("components")
        if isinstance(components, dict) and isinstance(components.get(section), dict):
            return components[section].get(name)
        return None

    def _place(self, file: Path, tokens: Tokens, node: Any, used_at: Tokens) -> tuple[str, str]:
        known = self.placement_of.get((file, tokens))
        if known is not None:
            return known
        if len(tokens) == 3 and tokens[0] == "components" and isinstance(tokens[1], str):
            section, name = tokens[1], str(tokens[2])
        else:
            section = _section_for(used_at)
            last = str(tokens[-1]) if tokens else ""
            base = _NAME_UNSAFE.sub("_", f"{file.stem}_{last}" if last else file.stem).strip("_") or "ref"
            name, number = base, 1
            while (section, name) in self.placements or self._root_component(section, name) is not None:
                number += 1
                name = f"{base}_{number}"
        key = (section, name)
        if key not in self.placements:
            self.placements[key] = []
            own = self._root_component(section, name)
            if own is not None:
                self.placements[key].append(_Placement(self.root_path, ("components", section, name), own))
        self.placements[key].append(_Placement(file, tokens, node))
        self.placement_of[(file, tokens)] = key
        return key

    def _position(self, placement: _Placement) -> int | None:
        if not placement.tokens:
            return self.index.packed(self.files[placement.file], None)
        parent = resolve(self.files[placement.file], placement.tokens[:-1])
        return self.index.packed(parent, placement.tokens[-1])

    def _location(self, placement: _Placement) -> SourceLocation:
        packed = self._position(placement)
        return self.index.unpack(packed) if packed is not None else SourceLocation(placement.file, 1, 1)

    def _insert_components(self) -> None:
        if not self.placements:
            return
        components = self.root.setdefault("components", {})
        if not isinstance(components, dict):
            raise SpecError(
                "document-not-mapping",
                Text("`components` must be a mapping", "`components` はマッピングでなければなりません"),
                self.index.get(self.root, "components"),
            )
        for (section, name), placements in self.placements.items():
            canonical = placements[0]
            for other in placements[1:]:
                try:
                    same = other.node == canonical.node
                except RecursionError:
                    same = other.node is canonical.node
                if not same:
                    clash = SpecError(
                        "ref-name-clash",
                        Text(
                            f"components/{section}/{name} is defined differently at"
                            f" {self._location(canonical)} and at {self._location(other)}",
                            f"components/{section}/{name} が {self._location(canonical)} と"
                            f" {self._location(other)} で異なる内容で定義されています",
                        ),
                        self._location(other),
                    )
                    if not self.tolerant:
                        raise clash
                    self.problems.append(clash)
            if canonical.file == self.root_path:
                continue
            entries = components.setdefault(section, {})
            if not isinstance(entries, dict):
                raise SpecError(
                    "document-not-mapping",
                    Text(
                        f"`components.{section}` must be a mapping",
                        f"`components.{section}` はマッピングでなければなりません",
                    ),
                    self.index.get(components, section),
                )
            entries[name] = canonical.node
            if canonical.tokens:
                parent = resolve(self.files[canonical.file], canonical.tokens[:-1])
                self.index.alias(entries, name, parent, canonical.tokens[-1])
            else:
                self.index.alias(entries, name, self.files[canonical.file], None)
