"""The format checker example values are validated with: JSON Schema's formats, OpenAPI's, and the
standard's domain formats, each checked by the runtime type it maps to (`renkei_runtime.types.FORMAT_TYPES`).

A domain-format value must be what the type accepts *and* already in its wire form: the type would turn
`2026-04-01T00:00:00Z` into `2026-04-01T09:00:00+09:00` and full-width kana into half-width, but an
example shows what travels on the wire, so it must be the canonical form.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import uuid
from datetime import date, datetime
from typing import Any

from jsonschema import FormatChecker

__all__ = ["format_checker"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_SKIPPED = {"x-renkei-upload"}  # multipart file parts: no JSON value to check
_INT_RANGES = {"int32": 2**31, "int64": 2**63}


def _domain_check(format_name: str, type_name: str) -> Any:
    from pydantic import TypeAdapter, ValidationError

    import renkei_runtime.types as types

    adapter: TypeAdapter[Any] = TypeAdapter(getattr(types, type_name))

    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True  # the schema's `type` says what it must be
        try:
            parsed = adapter.validate_json(json.dumps(instance))
        except ValidationError as error:
            reasons = "; ".join(str(item["msg"]) for item in error.errors())
            raise ValueError(reasons) from None
        wire = adapter.dump_python(parsed, mode="json")
        if wire != instance:
            raise ValueError(
                f"not in the wire form of {format_name}: write {json.dumps(wire, ensure_ascii=False)}"
            )
        return True

    return check


def _date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        raise ValueError("a date is written YYYY-MM-DD")
    date.fromisoformat(instance)
    return True


def _date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE_TIME.fullmatch(instance):
        raise ValueError("an RFC 3339 date-time is written YYYY-MM-DDThh:mm:ss with Z or an offset")
    datetime.fromisoformat(instance.upper().replace("Z", "+00:00"))
    return True


def _uuid(instance: object) -> bool:
    if isinstance(instance, str):
        uuid.UUID(instance)
    return True


def _byte(instance: object) -> bool:
    if isinstance(instance, str):
        base64.b64decode(instance, validate=True)
    return True


def _integer_range(format_name: str) -> Any:
    limit = _INT_RANGES[format_name]

    def check(instance: object) -> bool:
        if isinstance(instance, int) and not isinstance(instance, bool) and not -limit <= instance < limit:
            raise ValueError(f"out of the {format_name} range")
        return True

    return check


@functools.cache
def format_checker() -> FormatChecker:
    """JSON Schema's email/uri/ipv4/... checks, OpenAPI's int32/int64/byte, and the domain formats."""
    from renkei_runtime.types import FORMAT_TYPES

    checker = FormatChecker()
    errors = (ValueError, TypeError, binascii.Error)
    checker.checks("date", raises=errors)(_date)
    checker.checks("date-time", raises=errors)(_date_time)
    checker.checks("uuid", raises=errors)(_uuid)
    checker.checks("byte", raises=errors)(_byte)
    for name in _INT_RANGES:
        checker.checks(name, raises=errors)(_integer_range(name))
    for format_name, type_name in FORMAT_TYPES.items():
        if format_name not in _SKIPPED and format_name != "date":
            checker.checks(format_name, raises=errors)(_domain_check(format_name, type_name))
    return checker
