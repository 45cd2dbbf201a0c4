"""Python type expressions for schemas outside the models (parameters, bodies, responses).

Expressions are relative to a generated module that does `from . import models`,
`from renkei_runtime import types as rt` and imports `datetime`, `typing`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from renkei.ir.hinting import Shape
from renkei.models.prepare import SCHEMAS_PREFIX

__all__ = ["TypeHints"]

_CONSTRAINTS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_length",
    "maxItems": "max_length",
    "multipleOf": "multiple_of",
}
_STRING_FORMATS = {"date": "rt.IsoDate", "date-time": "datetime.datetime", "binary": "bytes"}
# Formats kept as `str` in signatures but checked where a parameter is validated (a pattern of their own).
_FORMAT_PATTERNS = {
    "uuid": "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
}


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class TypeHints:
    schemas: Mapping[str, Any]
    classes: frozenset[str]
    overrides: Mapping[str, str]
    python_patterns: Mapping[str, str] = field(default_factory=dict)
    """Pattern placeholders of the prepared document -> Python `re` patterns (`re.compile(...)` in code)."""

    def _constraint(self, key: str, value: Any) -> str:
        if key == "pattern" and isinstance(value, str) and value in self.python_patterns:
            return f"re.compile({_literal(self.python_patterns[value])})"
        return _literal(value)

    def component(self, name: str, shape: Shape) -> str:
        if name in self.overrides:
            return f"rt.{name}"
        variant = name + ("Request" if shape == "request" else "Response")
        if name not in self.classes and variant in self.classes:
            return f"models.{variant}"
        if name in self.classes:
            return f"models.{name}"
        schema = self.schemas.get(name)
        return self.hint(schema, shape) if isinstance(schema, dict) else "typing.Any"

    def resolve(self, schema: Any) -> Any:
        """The schema a `$ref` points to (one level), else `schema`."""
        for _ in range(16):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema
            ref = schema["$ref"]
            if not ref.startswith(SCHEMAS_PREFIX):
                return {}
            schema = self.schemas.get(ref[len(SCHEMAS_PREFIX) :], {})
        return schema

    def hint(self, schema: Any, shape: Shape, *, constrained: bool = False) -> str:
        """The Python type of `schema`; `constrained` adds top-level `Annotated[..., Field()]` constraints."""
        base = self._base(schema, shape)
        if not constrained or not isinstance(schema, dict):
            return base
        if (
            "pattern" not in schema
            and schema.get("format") in _FORMAT_PATTERNS
            and schema.get("type") == "string"
        ):
            schema = {**schema, "pattern": _FORMAT_PATTERNS[str(schema["format"])]}
        args = [
            f"{arg}={self._constraint(key, schema[key])}"
            for key, arg in _CONSTRAINTS.items()
            if key in schema
        ]
        args = [
            a for a in args if not isinstance(schema.get("exclusiveMinimum"), bool) or not a.startswith("gt")
        ]
        if not args or "$ref" in schema or base.startswith(("typing.Literal", "models.", "rt.")):
            return base
        return f"typing.Annotated[{base}, pydantic.Field({', '.join(args)})]"

    def _base(self, schema: Any, shape: Shape) -> str:
        if not isinstance(schema, dict):
            return "typing.Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMAS_PREFIX):
                return self.component(ref[len(SCHEMAS_PREFIX) :], shape)
            return "typing.Any"
        nullable = schema.get("nullable") is True
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
        if "null" in kinds:
            nullable = True
            kinds = [k for k in kinds if k != "null"]
        if "enum" in schema and isinstance(schema["enum"], list):
            values = [v for v in dict.fromkeys(map(json.dumps, schema["enum"]))]
            members = [json.loads(v) for v in values]
            if None in members:
                nullable = True
                members = [m for m in members if m is not None]
            base = f"typing.Literal[{', '.join(_literal(m) for m in members)}]" if members else "None"
        elif "const" in schema:
            base = f"typing.Literal[{_literal(schema['const'])}]"
        elif any(k in schema for k in ("oneOf", "anyOf")):
            options = [self._base(s, shape) for s in schema.get("oneOf") or schema.get("anyOf") or []]
            if "None" in options:
                nullable = True
            base = " | ".join(dict.fromkeys(o for o in options if o != "None")) or "typing.Any"
        elif isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            base = self._base(schema["allOf"][0], shape)
        elif len(kinds) > 1:
            base = " | ".join(self._base({**schema, "type": k}, shape) for k in kinds)
        else:
            base = self._typed(schema, kinds[0] if kinds else None, shape)
        return f"{base} | None" if nullable and base != "typing.Any" else base

    def _typed(self, schema: dict[str, Any], kind: str | None, shape: Shape) -> str:
        if kind == "string":
            return _STRING_FORMATS.get(str(schema.get("format")), "str")
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list[{self._base(schema.get('items', {}), shape)}]"
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            members = [self._base(p, shape) for p in (schema.get("properties") or {}).values()]
            if isinstance(extra, dict) and extra:
                members.append(self._base(extra, shape))
            elif extra is not False and not members:
                members.append("typing.Any")
            distinct = set(members)
            value = distinct.pop() if len(distinct) == 1 else "typing.Any"
            return f"dict[str, {value}]"
        return "typing.Any"
