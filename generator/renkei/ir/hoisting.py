"""Inline object schemas of bodies and responses become named components, so each gets a model class."""

from __future__ import annotations

from typing import Any

from renkei.ir.media import pick_media_type
from renkei.ir.operations import iter_operations
from renkei.loading.walk import deref

__all__ = ["hoist_inline_schemas"]

_SCHEMAS = "#/components/schemas/"


def _needs_class(schema: Any) -> bool:
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    kind = schema.get("type")
    return kind == "object" or (
        any(k in schema for k in ("properties", "allOf", "oneOf", "anyOf", "enum", "discriminator"))
        and kind != "array"
    )


def _camel(python_name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in python_name.split("_") if part)


def _hoist(media: Any, name: str, schemas: dict[str, Any], taken: set[str]) -> None:
    schema = media.get("schema")
    target: dict[str, Any] = media
    key = "schema"
    if isinstance(schema, dict) and schema.get("type") == "array" and _needs_class(schema.get("items")):
        target, key, name = schema, "items", name + "Item"
    if not _needs_class(target.get(key)):
        return
    candidate, n = name, 2
    while candidate in schemas or candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    taken.add(candidate)
    schemas[candidate] = target[key]
    target[key] = {"$ref": _SCHEMAS + candidate}


def hoist_inline_schemas(document: dict[str, Any]) -> None:
    """In place: `<Operation>Body`, `<Operation>Response[<status>]` (and `...Item` for arrays of objects)."""
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    taken: set[str] = set()
    for operation in iter_operations(document):
        prefix = _camel(operation.python_name)
        body = deref(document, operation.node.get("requestBody"))
        picked = pick_media_type(body.get("content") if isinstance(body, dict) else None)
        if picked and picked[1] in ("json", "multipart", "form") and isinstance(picked[2], dict):
            _hoist(picked[2], prefix + "Body", schemas, taken)
        responses = operation.node.get("responses") or {}
        success = sorted(str(code) for code in responses if str(code).startswith("2"))
        for code in success:
            response = deref(document, responses[code])
            picked = pick_media_type(response.get("content") if isinstance(response, dict) else None)
            if picked and picked[1] == "json":
                suffix = "Response" if code == success[0] else f"Response{code}"
                _hoist(picked[2], prefix + suffix, schemas, taken)
