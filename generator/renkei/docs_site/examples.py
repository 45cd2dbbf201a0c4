"""Examples of a media type, a parameter or a schema, as pretty JSON for the page."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renkei.loading.walk import deref


@dataclass(frozen=True)
class Example:
    """One example: its name and summary (empty for a lone `example`) and its value as indented JSON."""

    name: str
    summary: str
    text: str
    value: Any


def media_examples(document: Mapping[str, Any], media: Mapping[str, Any]) -> tuple[Example, ...]:
    """The `example` / `examples` of a media type object; the schema's own example when it has none."""
    found: list[Example] = []
    if "example" in media:
        found.append(_example("", "", media["example"]))
    named = media.get("examples")
    if isinstance(named, Mapping):
        for name, node in named.items():
            example = deref(document, node)
            if isinstance(example, Mapping) and "value" in example:
                found.append(_example(str(name), str(example.get("summary", "")), example["value"]))
    if not found:
        schema = deref(document, media.get("schema"))
        if isinstance(schema, Mapping) and isinstance(schema.get("example"), dict | list):
            found.append(_example("", "スキーマの例 (schema example)", schema["example"]))
    return tuple(found)


def error_codes(examples: tuple[Example, ...]) -> tuple[str, ...]:
    """The `errorCode` values the examples of an error response show, in order, once each."""
    codes: list[str] = []
    for example in examples:
        value = example.value
        if isinstance(value, Mapping) and isinstance(value.get("errorCode"), str):
            if value["errorCode"] not in codes:
                codes.append(value["errorCode"])
    return tuple(codes)


def _example(name: str, summary: str, value: Any) -> Example:
    return Example(name, summary, json.dumps(value, ensure_ascii=False, indent=2), value)
