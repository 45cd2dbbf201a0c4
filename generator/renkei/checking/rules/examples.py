"""Every example (and default) value is valid against its schema: what partners read first, what the
sandbox and the docs show, must not contradict the schema (`additionalProperties: false`, required fields,
formats and the domain formats included)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import UnknownType
from jsonschema.protocols import Validator
from referencing.exceptions import Unresolvable

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.formats import format_checker
from renkei.checking.registry import rule
from renkei.checking.schema_messages import describe
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]


def _document_validator(document: Document) -> Validator:
    """A validator whose `$ref`s resolve in the bundled document (each schema is checked by `evolve`)."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    version = str(document.root.get("openapi", ""))
    cls = OAS30Validator if version.startswith("3.0") else OAS31Validator
    validator: Validator = cls(document.root, format_checker=format_checker())
    return validator


def _values(holder: dict[str, Any], pointer: Pointer, document: Document) -> Iterator[tuple[Any, Pointer]]:
    """The example values of a parameter, header or media type: `example` and each `examples` entry's
    `value` (an Example object, possibly a `$ref` to components/examples)."""
    if "example" in holder:
        yield holder["example"], (*pointer, "example")
    examples = holder.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            resolved, at = document.resolve(example, (*pointer, "examples", name))
            if isinstance(resolved, dict) and "value" in resolved:
                yield resolved["value"], (*at, "value")


def _holders(document: Document) -> Iterator[tuple[dict[str, Any], Pointer]]:
    """Every parameter, header and media type object that has a `schema` next to its examples."""
    for _, pointer in document.schema_roots():
        if len(pointer) >= 2 and pointer[-1] == "schema":
            holder = document.get(pointer[:-1])
            if isinstance(holder, dict):
                yield holder, pointer[:-1]


def _schema_values(schema: dict[str, Any], pointer: Pointer) -> Iterator[tuple[Any, Pointer]]:
    if "example" in schema:
        yield schema["example"], (*pointer, "example")
    if isinstance(schema.get("examples"), list):
        for index, value in enumerate(schema["examples"]):
            yield value, (*pointer, "examples", index)
    if "default" in schema:
        yield schema["default"], (*pointer, "default")


_BROKEN_SCHEMA = (
    UnknownType,
    Unresolvable,
    re.error,
    RecursionError,
    TypeError,
    ValueError,
    AttributeError,
    LookupError,
)
_EXAMPLE = Text("example", "例")
_DEFAULT = Text("default", "既定値")


@rule(
    "example-schema",
    Severity.ERROR,
    Text(
        "every example, examples entry and default is valid against its schema (formats included)",
        "すべての example・examples・default の値がそのスキーマ (形式を含む) に適合する",
    ),
    group="semantic",
)
def example_schema(document: Document) -> Findings:
    validator = _document_validator(document)
    checks: list[tuple[Any, Any, Pointer]] = []
    for schema, pointer in document.schemas():
        checks += [(schema, value, at) for value, at in _schema_values(schema, pointer)]
    for holder, pointer in _holders(document):
        checks += [(holder.get("schema"), value, at) for value, at in _values(holder, pointer, document)]
    seen: set[Pointer] = set()
    for schema, value, at in checks:
        if at in seen or not isinstance(schema, dict | bool):
            continue
        seen.add(at)
        what = _DEFAULT if at[-1] == "default" else _EXAMPLE
        try:
            errors = list(validator.evolve(schema=schema).iter_errors(value))
        except _BROKEN_SCHEMA:
            continue  # the schema itself is wrong: openapi-schema reports it
        reported: set[Pointer] = set()  # one finding per wrong value (a pattern and a format agree)
        for error in errors:
            for inner, message in describe(error):
                if inner in reported:
                    continue
                reported.add(inner)
                yield (*at, *inner), Text(f"{what.en}: {message.en}", f"{what.ja}: {message.ja}")
