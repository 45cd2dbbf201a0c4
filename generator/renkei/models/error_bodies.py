"""Error bodies in the spec's own shape: a Python function per declared error schema.

The generated server answers every problem (a 400 from validation, a 401 from security, an `ApiProblem` a
service raises) with the standard body `{errorCode, errorMessage, errorDetails?}`. When an operation
declares another error schema (`default` or a 4xx/5xx JSON response: UK Open Banking's `OBErrorResponse1`,
the Berlin Group's `tppMessages`, a bank's own), the server must answer in that shape instead. This module
writes, for each such schema, the source of a function `ApiProblem -> body` that fills the schema from the
problem by the properties' names: a `...code` gets the error code, a `message`/`text`/`description`/`detail`
the message, a `status` the HTTP status, a `path`/`field` the offending field; an array of objects gets one
item per detail of the problem (or one item for the problem); a required property nothing names gets its
`example`, its first `enum` value, or the empty value of its type. The provider overrides any of them
(`create_app(..., error_bodies={...})`); a schema with `errorCode` and `errorMessage` is the standard's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renkei.ir.model import Api
from renkei.ir.naming import snake_case
from renkei.models.prepare import SCHEMAS_PREFIX

__all__ = ["ErrorBodies", "error_bodies"]

_CODE = re.compile(r"code$|^code|errortype|^type$|^error$", re.IGNORECASE)
_MESSAGE = re.compile(r"message|text|description|detail|title|reason", re.IGNORECASE)
_STATUS = re.compile(r"^(http)?status(code)?$", re.IGNORECASE)
_FIELD = re.compile(r"path|field|location|pointer|parameter", re.IGNORECASE)
_ITEMS = re.compile(r"errors|messages|details|problems|issues", re.IGNORECASE)
_MAX_DEPTH = 4


@dataclass(frozen=True)
class ErrorBodies:
    functions: dict[str, str]
    """Schema (class) name -> Python source of `def <name>(problem: ApiProblem) -> typing.Any`."""
    names: dict[str, str]
    """Schema name -> the function's name."""
    by_operation: dict[str, str]
    """Operation (python name) -> the schema name of its error responses."""


@dataclass(frozen=True)
class _Scope:
    """What the fields of an object mean here: at the top, the problem; inside an item, one detail."""

    code: str
    message: str
    field: str


_TOP = _Scope("problem.error_code", "problem.message", '""')
_DETAIL = _Scope('detail.get("errorDetailsCode", "")', 'detail.get("errorDetailsMessage", "")',
                 'detail.get("errorDetailsField", "")')  # fmt: skip
_FIELD_OF_DETAIL = 'detail.get("errorDetailsField")'
_DETAILS = (
    '(problem.details or [{"errorDetailsCode": problem.error_code, "errorDetailsMessage": problem.message}])'
)


class _Writer:
    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas

    def resolve(self, schema: Any) -> dict[str, Any]:
        for _ in range(16):
            if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
                ref = schema["$ref"]
                schema = (
                    self.schemas.get(ref[len(SCHEMAS_PREFIX) :], {}) if ref.startswith(SCHEMAS_PREFIX) else {}
                )
                continue
            break
        if not isinstance(schema, dict):
            return {}
        parts = schema.get("allOf")
        if isinstance(parts, list) and parts:
            merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
            for part in [schema, *(self.resolve(p) for p in parts)]:
                merged["properties"].update(part.get("properties") or {})
                merged["required"] += [r for r in part.get("required") or [] if isinstance(r, str)]
            return merged
        choices = schema.get("oneOf") or schema.get("anyOf")
        if isinstance(choices, list) and choices and "properties" not in schema:
            return self.resolve(choices[0])
        return schema

    def value(self, schema: Any, scope: _Scope, depth: int, name: str = "") -> str | None:
        """A Python expression for a value of `schema`, or None when nothing sensible fills it."""
        resolved = self.resolve(schema)
        kind = resolved.get("type")
        kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
        if "properties" in resolved or kind == "object":
            return self.object(resolved, scope, depth) if depth < _MAX_DEPTH else "{}"
        if kind == "array":
            items = self.resolve(resolved.get("items", {}))
            if depth < _MAX_DEPTH and ("properties" in items or items.get("type") == "object"):
                item = self.object(items, _DETAIL, depth + 1)
                return f"[{item} for detail in {_DETAILS}]"
            inner = self.value(items, scope, depth + 1, name)
            return f"[{inner}]" if inner is not None else "[]"
        text = self.text(resolved, scope, name)
        if kind in ("integer", "number"):
            if _STATUS.search(name) or _CODE.search(name):  # an integer code is the HTTP status
                return "problem.status"
            return _literal(self.example(resolved, 0))
        if kind == "boolean":
            return _literal(self.example(resolved, False))
        return text

    def text(self, schema: dict[str, Any], scope: _Scope, name: str) -> str:
        enum = schema.get("enum")
        expression = None
        if _STATUS.search(name):
            expression = "str(problem.status)"
        elif _CODE.search(name):
            expression = scope.code
        elif _MESSAGE.search(name):
            expression = scope.message
        elif _FIELD.search(name):
            expression = scope.field
        if isinstance(enum, list) and enum:
            allowed = [v for v in enum if isinstance(v, str)]
            first = _literal(allowed[0] if allowed else enum[0])
            if expression is None or not allowed:
                return first
            return f"({expression} if {expression} in {_literal(tuple(allowed))} else {first})"
        if expression is not None:
            limit = schema.get("maxLength")
            return f"{expression}[:{limit}]" if isinstance(limit, int) else expression
        return _literal(self.example(schema, ""))

    def example(self, schema: dict[str, Any], empty: Any) -> Any:
        if "example" in schema:
            return schema["example"]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        if "default" in schema:
            return schema["default"]
        return empty

    def object(self, schema: dict[str, Any], scope: _Scope, depth: int) -> str:
        required = {r for r in schema.get("required") or [] if isinstance(r, str)}
        entries = []
        for name, prop in (schema.get("properties") or {}).items():
            resolved = self.resolve(prop)
            if resolved.get("readOnly") is True and name not in required:
                continue
            known = any(p.search(name) for p in (_CODE, _MESSAGE, _STATUS)) or (
                _ITEMS.search(name) and resolved.get("type") == "array"
            )
            if scope is _DETAIL and name not in required and _FIELD.search(name) and not _CODE.search(name):
                # the offending field, when the detail names one
                entries.append(
                    f"**({{{_literal(name)}: {_FIELD_OF_DETAIL}}} if {_FIELD_OF_DETAIL} else {{}})"
                )
                continue
            if name not in required and not known:
                continue
            value = self.value(prop, scope, depth + 1, name)
            if value is not None:
                entries.append(f"{_literal(name)}: {value}")
        return "{" + ", ".join(entries) + "}"


def _literal(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(v)}, " for v in value) + ")"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _is_standard(schema: dict[str, Any]) -> bool:
    properties = schema.get("properties") or {}
    return "errorCode" in properties and "errorMessage" in properties


def _error_class(api_operation: Any) -> str | None:
    for response in api_operation.responses:
        status = response.status_code
        if (
            (status is None or status >= 400)
            and response.kind == "json"
            and response.type_hint.startswith("models.")
        ):
            return str(response.type_hint[len("models.") :])
    return None


def error_bodies(api: Api, schemas: Mapping[str, Any]) -> ErrorBodies:
    """The error-body functions of `api`'s operations that declare an error schema of their own."""
    writer = _Writer(schemas)
    functions: dict[str, str] = {}
    names: dict[str, str] = {}
    by_operation: dict[str, str] = {}
    for operation in api.operations:
        class_name = _error_class(operation)
        if class_name is None:
            continue
        schema_name = class_name if class_name in schemas else class_name.removesuffix("Response")
        schema = writer.resolve({"$ref": SCHEMAS_PREFIX + schema_name})
        if not schema or _is_standard(schema):
            continue
        if class_name not in functions:
            function = f"error_body_{snake_case(class_name)}"
            body = writer.value(schema, _TOP, 0) or "{}"
            functions[class_name] = f"def {function}(problem: ApiProblem) -> typing.Any:\n    return {body}\n"
            names[class_name] = function
        by_operation[operation.python_name] = class_name
    return ErrorBodies(functions=functions, names=names, by_operation=by_operation)
