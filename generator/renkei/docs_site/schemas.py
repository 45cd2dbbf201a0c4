"""Schemas as the reference shows them: `$ref`s followed with their siblings kept, the type and the
component a node is named by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renkei.loading.walk import get, ref_target

_MAX_REF_HOPS = 32
SCHEMAS_POINTER = ("components", "schemas")


@dataclass(frozen=True)
class Resolved:
    """A schema node with its `$ref`s followed: `schema` is the target overlaid by the siblings written
    next to the `$ref` (a property's own description and x-jp-name win), `name` the component schema the
    first `$ref` names (None for an inline schema)."""

    schema: Mapping[str, Any]
    name: str | None


def component_name(node: Any) -> str | None:
    """`X` when `node` is `{"$ref": "#/components/schemas/X"}`."""
    target = ref_target(node)
    if target is not None and len(target) == 3 and target[:2] == SCHEMAS_POINTER:
        return str(target[2])
    return None


def resolve_schema(document: Mapping[str, Any], node: Any) -> Resolved:
    """`node` with its local `$ref`s followed (a reference that leads nowhere leaves the siblings only)."""
    if not isinstance(node, Mapping):
        return Resolved({}, None)
    name = component_name(node)
    overlay: dict[str, Any] = {}
    for _ in range(_MAX_REF_HOPS):
        target = ref_target(node)
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        overlay = {**siblings, **overlay}
        if target is None:
            return Resolved(overlay, name)
        resolved = get(document, target)
        if not isinstance(resolved, Mapping):
            return Resolved(overlay, name)
        node = resolved
    return Resolved(overlay, name)


def type_names(schema: Mapping[str, Any]) -> list[str]:
    """The JSON types `schema` allows, as written or as its keywords imply (`object`, `array`, ...)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        names = [declared]
    elif isinstance(declared, list):
        names = [str(item) for item in declared]
    elif "properties" in schema or "additionalProperties" in schema:
        names = ["object"]
    elif "items" in schema:
        names = ["array"]
    elif isinstance(schema.get("enum"), list) and schema["enum"]:
        names = [_json_type(schema["enum"][0])]
    elif "const" in schema:
        names = [_json_type(schema["const"])]
    else:
        names = []
    if schema.get("nullable") is True and "null" not in names:  # OpenAPI 3.0
        names.append("null")
    return names


def composition(schema: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
    """(`oneOf`/`anyOf`, its alternatives) when `schema` is a choice."""
    for keyword in ("oneOf", "anyOf"):
        alternatives = schema.get(keyword)
        if isinstance(alternatives, list) and alternatives:
            return keyword, alternatives
    return None


def merged_object(document: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """(properties, required names) of an object schema, `allOf` parts merged in order."""
    properties: dict[str, Any] = {}
    required: set[str] = set()
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        part_properties, part_required = merged_object(document, resolve_schema(document, part).schema)
        properties.update(part_properties)
        required |= part_required
    own = schema.get("properties")
    if isinstance(own, Mapping):
        properties.update({str(key): value for key, value in own.items()})
    listed = schema.get("required")
    if isinstance(listed, list):
        required |= {str(item) for item in listed}
    return properties, required


def has_fields(document: Mapping[str, Any], schema: Mapping[str, Any]) -> bool:
    """Whether `schema` is an object with properties (its items get rows of their own)."""
    return bool(merged_object(document, schema)[0])


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"
