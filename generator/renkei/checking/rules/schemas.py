"""Rules on schemas: camelCase property names, descriptions, examples."""

from __future__ import annotations

import re
from collections.abc import Iterator

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]

CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")


@rule(
    "camel-case-properties",
    Severity.ERROR,
    "every property name is lowerCamelCase ASCII",
    ja="すべての項目名が lowerCamelCase の ASCII である",
)
def camel_case_properties(document: Document) -> Findings:
    for prop in document.properties():
        if not CAMEL_CASE.match(prop.name):
            yield (
                prop.pointer,
                Text(
                    f"property {prop.name!r} is not camelCase",
                    f"項目名 {prop.name!r} が camelCase ではありません",
                ),
            )


@rule(
    "schema-description",
    Severity.ERROR,
    "every named schema in components/schemas and every property has a description",
    ja="components/schemas の名前付きスキーマとすべての項目に description がある",
)
def schema_description(document: Document) -> Findings:
    for name, schema, pointer in document.named_schemas():
        if document.ref_pointer(schema) is None and not _has_text(schema.get("description")):
            yield (
                pointer,
                Text(f"schema {name} has no description", f"スキーマ {name} に description がありません"),
            )
    for prop in document.properties():
        if not _has_text(prop.schema.get("description")):
            yield (
                prop.pointer,
                Text(
                    f"property {prop.name!r} has no description",
                    f"項目 {prop.name!r} に description がありません",
                ),
            )


@rule(
    "schema-example",
    Severity.ERROR,
    "every named schema in components/schemas has an example",
    ja="components/schemas の名前付きスキーマに例がある",
)
def schema_example(document: Document) -> Findings:
    for name, schema, pointer in document.named_schemas():
        if document.ref_pointer(schema) is None and "example" not in schema and not schema.get("examples"):
            yield pointer, Text(f"schema {name} has no example", f"スキーマ {name} に例がありません")


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


@rule(
    "x-jp-name",
    Severity.ERROR,
    Text(
        "every named schema, property and parameter has its Japanese item name in `x-jp-name`",
        "すべての名前付きスキーマ・項目・パラメータに日本語の項目名 `x-jp-name` がある",
    ),
)
def jp_name(document: Document) -> Iterator[tuple[Pointer, Text]]:
    for name, schema, pointer in document.named_schemas():
        if document.ref_pointer(schema) is None and not _has_text(schema.get("x-jp-name")):
            yield (
                pointer,
                Text(f"schema {name} has no x-jp-name", f"スキーマ {name} に x-jp-name がありません"),
            )
    for prop in document.properties():
        if not _has_text(prop.schema.get("x-jp-name")):
            yield (
                prop.pointer,
                Text(
                    f"property {prop.name!r} has no x-jp-name",
                    f"項目 {prop.name!r} に x-jp-name がありません",
                ),
            )
    for name, parameter, pointer in document.parameters():
        if not _has_text(parameter.get("x-jp-name")):
            yield (
                pointer,
                Text(
                    f"parameter {name!r} has no x-jp-name (its Japanese item name, e.g. 口座ID)",
                    f"パラメータ {name!r} に x-jp-name (日本語の項目名、例 口座ID) がありません",
                ),
            )
