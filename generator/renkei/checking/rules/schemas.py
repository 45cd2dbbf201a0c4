"""Rules on schemas: camelCase property names, descriptions, examples."""

from __future__ import annotations

import re
from collections.abc import Iterator

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule

Findings = Iterator[tuple[Pointer, str]]

CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")


@rule("camel-case-properties", Severity.ERROR, "every property name is lowerCamelCase ASCII")
def camel_case_properties(document: Document) -> Findings:
    for prop in document.properties():
        if not CAMEL_CASE.match(prop.name):
            yield prop.pointer, f"property {prop.name!r} is not camelCase"


@rule(
    "schema-description",
    Severity.ERROR,
    "every named schema in components/schemas and every property has a description",
)
def schema_description(document: Document) -> Findings:
    for name, schema, pointer in document.named_schemas():
        if document.ref_pointer(schema) is None and not _has_text(schema.get("description")):
            yield pointer, f"schema {name} has no description"
    for prop in document.properties():
        if not _has_text(prop.schema.get("description")):
            yield prop.pointer, f"property {prop.name!r} has no description"


@rule("schema-example", Severity.ERROR, "every named schema in components/schemas has an example")
def schema_example(document: Document) -> Findings:
    for name, schema, pointer in document.named_schemas():
        if document.ref_pointer(schema) is None and "example" not in schema and not schema.get("examples"):
            yield pointer, f"schema {name} has no example"


def _has_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
