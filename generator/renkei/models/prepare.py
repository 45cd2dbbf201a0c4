"""Reshape a bundled document's schemas before datamodel-code-generator sees them.

- component names become safe, unique CamelCase class names (dots, very long or Japanese names);
- every string schema with one of the standard's custom formats becomes a `$ref` to a synthetic component
  named like its domain type, which datamodel-code-generator then replaces by the import (`type_overrides`);
- components that are plain primitives (a string with a pattern, an integer range, an array) are inlined at
  their uses, so fields are `str`/`int` rather than RootModels;
- `format: binary` properties of multipart request bodies become `UPLOAD_FORMAT` (`rt.Upload`: the file's
  bytes with its file name and media type), wherever the body's schema reaches.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from renkei.ir.media import pick_media_type
from renkei.ir.naming import class_name, unique
from renkei.ir.operations import iter_operations
from renkei.loading.walk import deref
from renkei_runtime.types import FORMAT_TYPES, UPLOAD_FORMAT, ZENGIN_KANA_LENGTHS

__all__ = ["PatternProblem", "PreparedDocument", "prepare_document", "walk_schemas"]

SCHEMAS_PREFIX = "#/components/schemas/"
RUNTIME_TYPES_MODULE = "renkei_runtime.types"


@dataclass
class PreparedDocument:
    document: dict[str, Any]
    names: dict[str, str]
    """Original component name -> its (safe) name in `document`."""
    overrides: dict[str, str] = field(default_factory=dict)
    """Synthetic component name -> import path of its domain type (d-c-g `type_overrides`)."""
    python_patterns: dict[str, str] = field(default_factory=dict)
    """Placeholder put in a schema's `pattern` -> the pattern for Python's `re` (look-around and
    backreferences, which pydantic's default Rust engine cannot run); see `renkei.models.patterns`."""

    @property
    def schemas(self) -> dict[str, Any]:
        components = self.document.setdefault("components", {})
        schemas: dict[str, Any] = components.setdefault("schemas", {})
        return schemas


def _is_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


def walk_schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict below `node` (schemas and everything else), depth first, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def _rewrite_refs(document: dict[str, Any], names: dict[str, str]) -> None:
    for node in walk_schemas(document):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMAS_PREFIX):
            head, _, rest = ref[len(SCHEMAS_PREFIX) :].partition("/")
            original = head.replace("~1", "/").replace("~0", "~")
            if original in names:
                node["$ref"] = SCHEMAS_PREFIX + names[original] + (f"/{rest}" if rest else "")


def _schema_type(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    return kind if isinstance(kind, str) else None


def _custom_format_name(node: dict[str, Any]) -> str | None:
    fmt = node.get("format")
    if not isinstance(fmt, str) or fmt not in FORMAT_TYPES or _schema_type(node) not in ("string", None):
        return None
    if any(k in node for k in ("properties", "items", "allOf", "oneOf", "anyOf", "$ref")):
        return None
    name = FORMAT_TYPES[fmt]
    length = node.get("maxLength")
    if (
        fmt == "zengin-kana"
        and isinstance(length, int)
        and not isinstance(length, bool)
        and 0 < length < 10000
    ):
        name += str(length)  # ZenginKana30 ...; other lengths are made by the runtime module on import
    return name


_ANNOTATIONS = ("description", "title", "readOnly", "writeOnly", "example", "default")


def _is_nullable(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    return node.get("nullable") is True or (isinstance(kind, list) and "null" in kind)


def _replace_custom_formats(prepared: PreparedDocument) -> None:
    """Custom-format string schemas -> `$ref` to the synthetic component of their domain type."""
    document = prepared.document
    for node in list(walk_schemas(document)):
        if _is_ref(node) or "format" not in node:
            continue
        type_name = _custom_format_name(node)
        if type_name is None:
            continue
        nullable = _is_nullable(node)
        kept = {k: node[k] for k in _ANNOTATIONS if k in node}
        node.clear()
        ref = {"$ref": SCHEMAS_PREFIX + type_name}
        if nullable:
            node.update({"anyOf": [ref, {"type": "null"}], **kept})
        else:
            node.update({**ref, **kept})
        prepared.overrides[type_name] = f"{RUNTIME_TYPES_MODULE}.{type_name}"
    for type_name in sorted(prepared.overrides):
        fmt = next(f for f, t in FORMAT_TYPES.items() if type_name.startswith(t))
        prepared.schemas[type_name] = {"type": "string", "format": fmt}


_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")


def _mark_uploads(document: dict[str, Any]) -> None:
    """`format: binary` strings reached from a multipart request body's schema -> `UPLOAD_FORMAT`."""
    seen: set[int] = set()
    for operation in iter_operations(document):
        body = deref(document, operation.node.get("requestBody"))
        picked = pick_media_type(body.get("content") if isinstance(body, dict) else None)
        if picked is None or picked[1] != "multipart":
            continue
        stack: list[Any] = [picked[2].get("schema")]
        while stack:
            node = deref(document, stack.pop())
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            if node.get("format") == "binary" and _schema_type(node) in ("string", None):
                node["format"] = UPLOAD_FORMAT
            properties = node.get("properties")
            if isinstance(properties, dict):
                stack.extend(properties.values())
            stack.extend(node.get(key) for key in ("items", "additionalProperties"))
            for key in _SUBSCHEMA_LISTS:
                if isinstance(node.get(key), list):
                    stack.extend(node[key])


def _is_inlinable(schema: Any) -> bool:
    """A primitive component: no object shape, no enum (enums stay classes), no composition."""
    if not isinstance(schema, dict):
        return False
    if _is_ref(schema):  # an alias of another schema
        return set(schema) <= {"$ref", "description", "title", "example", "examples"} | {
            k for k in schema if k.startswith("x-")
        }
    if any(k in schema for k in ("properties", "enum", "const", "allOf", "oneOf", "anyOf", "discriminator")):
        return False
    kind = _schema_type(schema)
    if kind in ("string", "integer", "number", "boolean"):
        return True
    if kind == "array":
        items = schema.get("items")
        return isinstance(items, dict) and (_is_ref(items) or _is_inlinable(items))
    return False


def _inline_primitives(prepared: PreparedDocument) -> None:
    schemas = prepared.schemas
    inlinable = {
        name for name, schema in schemas.items() if name not in prepared.overrides and _is_inlinable(schema)
    }
    for _ in range(8):  # primitives referring to primitives: a few rounds settle it
        changed = False
        for node in walk_schemas(prepared.document):
            ref = node.get("$ref")
            if not (isinstance(ref, str) and ref.startswith(SCHEMAS_PREFIX)):
                continue
            target = ref[len(SCHEMAS_PREFIX) :]
            if target not in inlinable:
                continue
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node.clear()
            node.update(copy.deepcopy(schemas[target]))
            node.update(siblings)
            changed = True
        if not changed:
            break
    for name in sorted(inlinable):
        del schemas[name]
    prepared.names = {k: v for k, v in prepared.names.items() if v not in inlinable}


def prepare_document(document: dict[str, Any]) -> PreparedDocument:
    """A deep copy of `document` reshaped as described in the module docstring."""
    document = copy.deepcopy(document)
    _mark_uploads(document)
    components = document.setdefault("components", {})
    original: dict[str, Any] = components.get("schemas") or {}
    reserved = {name for name in FORMAT_TYPES.values()} | {f"ZenginKana{n}" for n in ZENGIN_KANA_LENGTHS}
    taken: set[str] = set()
    names: dict[str, str] = {}
    for name in original:
        safe = class_name(name)
        if safe in reserved and _custom_format_name(original[name]) is None:
            safe += "Model"
        names[name] = unique(safe, taken) if safe not in reserved else safe
    components["schemas"] = {}
    for name, schema in original.items():
        target = names[name]
        if target in components["schemas"]:  # two format components mapping to one domain type
            continue
        components["schemas"][target] = schema
    prepared = PreparedDocument(document=document, names=names)
    _rewrite_refs(document, names)
    _replace_custom_formats(prepared)
    _inline_primitives(prepared)
    _translate_patterns(prepared)
    return prepared


PYTHON_PATTERN_PREFIX = "RENKEI_PYTHON_PATTERN_"
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Mappings whose keys are names the author chose (`components/parameters/x-idempotency-key`, a response
# header `x-fapi-interaction-id`): a key there that starts with `x-` is a name, not an extension.
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas",
        "responses", "parameters", "requestBodies", "headers", "callbacks", "pathItems", "paths",
        "webhooks", "content", "encoding",
    }
)  # fmt: skip


class PatternProblem(ValueError):
    """A `pattern` no engine can run (or not ECMA-262): the message and where, in document tokens."""

    def __init__(self, message: str, pointer: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.pointer = pointer


def _translate_patterns(prepared: PreparedDocument) -> None:
    """Every schema `pattern` (ECMA-262) rewritten for pydantic: Rust's regex syntax where it can run it,
    else a placeholder that generated code turns into a compiled Python `re.Pattern`."""
    from renkei.models.patterns import PatternError, translate

    stack: list[tuple[Any, tuple[str | int, ...]]] = [(prepared.document, ())]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, list):
            stack.extend((item, (*pointer, number)) for number, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        pattern = node.get("pattern")
        if isinstance(pattern, str) and not pattern.startswith(PYTHON_PATTERN_PREFIX):
            try:
                translated = translate(pattern)
            except PatternError as error:
                where: list[str | int] = [*pointer, "pattern"]
                if where[:2] == ["components", "schemas"]:  # back to the document's own name
                    originals = {safe: original for original, safe in prepared.names.items()}
                    where[2] = originals.get(str(where[2]), where[2])
                raise PatternProblem(str(error), tuple(where)) from None
            if translated.engine == "rust-regex":
                node["pattern"] = translated.text
            else:
                placeholder = f"{PYTHON_PATTERN_PREFIX}{len(prepared.python_patterns)}"
                prepared.python_patterns[placeholder] = translated.text
                node["pattern"] = placeholder
        in_names = bool(pointer) and pointer[-1] in _NAME_MAPS and pointer[-2:-1] != ("properties",)
        for key, value in node.items():
            if isinstance(value, dict | list) and (in_names or (key not in _DATA_KEYS and key[:2] != "x-")):
                stack.append((value, (*pointer, key)))
