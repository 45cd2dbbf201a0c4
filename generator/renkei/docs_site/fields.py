"""The rows of a 電文仕様書 table: one per item, nested objects and arrays of objects flattened below
their parent with a depth (shown as indentation), each named component linked to its own page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from renkei.docs_site.constraints import Constraint, EnumValue, constraints, enum_values, example_text
from renkei.docs_site.schemas import composition, merged_object, resolve_schema, type_names

MAX_DEPTH = 8
"""Nesting shown inline; deeper items are on the linked schema's page."""


@dataclass(frozen=True)
class FieldRow:
    """One item: `path` is dotted from the top (`beneficiary.accountNumber`, `transactions[].amount`)."""

    depth: int
    name: str
    path: str
    jp_name: str
    type_text: str
    schema_link: str | None
    required: bool
    constraints: tuple[Constraint, ...]
    enum: tuple[EnumValue, ...]
    example: str | None
    description: str
    deprecated: bool = False
    location: str = ""
    expanded_elsewhere: bool = False
    """The item is a schema already open above it (a recursive structure): see its page instead."""

    @property
    def anchor(self) -> str:
        return "f-" + self.path.replace("[]", "-items").replace(".", "-")


def field_row(
    document: Mapping[str, Any],
    node: Any,
    *,
    name: str,
    path: str,
    depth: int,
    required: bool,
    location: str = "",
    description: str | None = None,
    jp_name: str | None = None,
    deprecated: bool = False,
) -> FieldRow:
    """The row of one item whose schema is `node` (`description`/`jp_name` of a parameter win)."""
    resolved = resolve_schema(document, node)
    schema = resolved.schema
    type_text, link = _type_and_link(document, schema, resolved.name)
    return FieldRow(
        depth=depth,
        name=name,
        path=path,
        jp_name=jp_name or str(schema.get("x-jp-name", "")),
        type_text=type_text,
        schema_link=link,
        required=required,
        constraints=constraints(schema),
        enum=enum_values(schema),
        example=example_text(schema),
        description=description if description is not None else str(schema.get("description", "")),
        deprecated=deprecated or schema.get("deprecated") is True,
        location=location,
    )


def body_rows(document: Mapping[str, Any], node: Any) -> list[FieldRow]:
    """The rows of a request or response body whose schema is `node`: its properties at depth 0 (the
    items' properties, under `[]`, for an array body; one row for a scalar body)."""
    resolved = resolve_schema(document, node)
    seen = frozenset({resolved.name} if resolved.name else ())
    rows: list[FieldRow] = []
    schema = resolved.schema
    if merged_object(document, schema)[0]:
        _object_rows(document, schema, 0, "", seen, rows)
    elif "array" in type_names(schema) and _expandable(document, schema.get("items")):
        items = resolve_schema(document, schema.get("items"))
        _object_rows(document, items.schema, 0, "[].", seen | _named(items.name), rows)
    else:
        rows.append(field_row(document, node, name="(本文)", path="body", depth=0, required=True))
    return rows


def schema_rows(document: Mapping[str, Any], name: str) -> list[FieldRow]:
    """The rows of component schema `name` (its own page)."""
    return body_rows(document, {"$ref": f"#/components/schemas/{name}"})


def _object_rows(
    document: Mapping[str, Any],
    schema: Mapping[str, Any],
    depth: int,
    prefix: str,
    seen: frozenset[str],
    rows: list[FieldRow],
) -> None:
    properties, required = merged_object(document, schema)
    for name, node in properties.items():
        row = field_row(document, node, name=name, path=prefix + name, depth=depth, required=name in required)
        child = resolve_schema(document, node)
        child_prefix = f"{prefix}{name}."
        if "array" in type_names(child.schema) and not merged_object(document, child.schema)[0]:
            child = resolve_schema(document, child.schema.get("items"))
            child_prefix = f"{prefix}{name}[]."
        expandable = bool(merged_object(document, child.schema)[0])
        recursive = expandable and child.name is not None and child.name in seen
        if recursive or (expandable and depth + 1 >= MAX_DEPTH):
            rows.append(replace(row, expanded_elsewhere=True))
            continue
        rows.append(row)
        if expandable:
            _object_rows(document, child.schema, depth + 1, child_prefix, seen | _named(child.name), rows)


def _type_and_link(
    document: Mapping[str, Any], schema: Mapping[str, Any], name: str | None
) -> tuple[str, str | None]:
    """("string" / "array of Transaction" / "oneOf" ..., the component to link)."""
    choice = composition(schema)
    names = type_names(schema)
    if choice is not None and not names:
        alternatives = [resolve_schema(document, item).name or "…" for item in choice[1]]
        return f"{choice[0]}: {' | '.join(alternatives)}", name
    if "array" in names:
        items = resolve_schema(document, schema.get("items"))
        item_types = type_names(items.schema)
        item_text = items.name or (" | ".join(item_types) if item_types else "any")
        rest = [other for other in names if other != "array"]
        text = " | ".join([f"array of {item_text}", *rest])
        return text, name or items.name
    return (" | ".join(names) if names else "any"), name


def _expandable(document: Mapping[str, Any], node: Any) -> bool:
    return bool(merged_object(document, resolve_schema(document, node).schema)[0])


def _named(name: str | None) -> frozenset[str]:
    return frozenset({name}) if name else frozenset()
