"""The 桁数・形式 column: lengths, ranges, formats, patterns, defaults and allowed values of a schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Constraint:
    """One line of the column: `label` (Japanese), `value`, and whether the value is code (a pattern)."""

    label: str
    value: str
    code: bool = False


@dataclass(frozen=True)
class EnumValue:
    """An allowed value and its Japanese name (`x-enum-jp-names`), if any."""

    value: str
    jp_name: str


def constraints(schema: Mapping[str, Any]) -> tuple[Constraint, ...]:
    """What `schema` allows beyond its type, in a fixed order."""
    found: list[Constraint] = []
    length = _span(schema.get("minLength"), schema.get("maxLength"), "文字")
    if length:
        found.append(Constraint("桁数", length))
    items = _span(schema.get("minItems"), schema.get("maxItems"), "件")
    if items:
        found.append(Constraint("件数", items))
    value_range = _range(schema)
    if value_range:
        found.append(Constraint("範囲", value_range))
    if "multipleOf" in schema:
        found.append(Constraint("倍数", _literal(schema["multipleOf"])))
    if isinstance(schema.get("format"), str):
        found.append(Constraint("形式", schema["format"], code=True))
    if isinstance(schema.get("pattern"), str):
        found.append(Constraint("パターン", schema["pattern"], code=True))
    if schema.get("uniqueItems") is True:
        found.append(Constraint("重複", "不可"))
    if "const" in schema:
        found.append(Constraint("固定値", _literal(schema["const"]), code=True))
    if "default" in schema:
        found.append(Constraint("省略時", _literal(schema["default"]), code=True))
    if schema.get("readOnly") is True:
        found.append(Constraint("方向", "応答のみ (readOnly)"))
    if schema.get("writeOnly") is True:
        found.append(Constraint("方向", "要求のみ (writeOnly)"))
    return tuple(found)


def enum_values(schema: Mapping[str, Any]) -> tuple[EnumValue, ...]:
    """The allowed values with their `x-enum-jp-names` (empty when `schema` has no enum)."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return ()
    names = schema.get("x-enum-jp-names")
    names = names if isinstance(names, Mapping) else {}
    return tuple(
        EnumValue(value if isinstance(value, str) else _literal(value), str(names.get(str(value), "")))
        for value in values
    )


def example_text(schema: Mapping[str, Any]) -> str | None:
    """A scalar example of `schema` (its `example`, else the first of `examples`), as JSON-ish text."""
    if "example" in schema:
        example = schema["example"]
    elif isinstance(schema.get("examples"), list) and schema["examples"]:
        example = schema["examples"][0]
    else:
        return None
    if isinstance(example, dict | list):
        return None
    return example if isinstance(example, str) else _literal(example)


def _span(low: Any, high: Any, unit: str) -> str:
    if isinstance(low, int) and low == high:
        return f"{low}{unit}"
    if isinstance(low, int) and isinstance(high, int):
        return f"{low}〜{high}{unit}"
    if isinstance(high, int):
        return f"最大{high}{unit}"
    if isinstance(low, int) and low > 0:
        return f"{low}{unit}以上"
    return ""


def _range(schema: Mapping[str, Any]) -> str:
    parts = []
    if _is_number(schema.get("exclusiveMinimum")):
        parts.append(f"{_literal(schema['exclusiveMinimum'])}より大きい")
    elif _is_number(schema.get("minimum")):
        parts.append(f"{_literal(schema['minimum'])}以上")
    if _is_number(schema.get("exclusiveMaximum")):
        parts.append(f"{_literal(schema['exclusiveMaximum'])}未満")
    elif _is_number(schema.get("maximum")):
        parts.append(f"{_literal(schema['maximum'])}以下")
    return "・".join(parts)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
