"""Values as the text a request carries (parameters and form fields)."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pydantic_core

__all__ = ["wire_text"]


def wire_text(value: Any) -> Any:
    """`date` -> ISO, `bool` -> `true`/`false`, enums by value, `Decimal` without exponent, a mapping as
    JSON (an object form part, OpenAPI's default encoding); lists stay lists (repeated keys); None stays."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return wire_text(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [wire_text(v) for v in value]
    if isinstance(value, Mapping):
        return pydantic_core.to_json(value, by_alias=True).decode()
    return str(value)
