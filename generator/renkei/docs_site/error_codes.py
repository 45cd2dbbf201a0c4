"""The error-code catalogue of a document: the `x-error-codes` lists on schema properties (the standard
puts one on `ErrorResponse.errorCode`: code, HTTP status, Japanese name, meaning)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renkei.docs_site.schemas import SCHEMAS_POINTER
from renkei.loading.walk import get


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: str
    jp_name: str
    description: str
    schema: str
    """The schema whose property lists it (`ErrorResponse`)."""

    @property
    def anchor(self) -> str:
        return f"error-code-{self.code}"


def catalogue(document: Mapping[str, Any]) -> tuple[ErrorCode, ...]:
    """Every catalogued code, in the order written (a code listed twice is kept once)."""
    schemas = get(document, SCHEMAS_POINTER)
    found: dict[str, ErrorCode] = {}
    for name, schema in schemas.items() if isinstance(schemas, Mapping) else ():
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        for node in properties.values() if isinstance(properties, Mapping) else ():
            listed = node.get("x-error-codes") if isinstance(node, Mapping) else None
            for entry in listed if isinstance(listed, list) else ():
                if isinstance(entry, Mapping) and isinstance(entry.get("code"), str):
                    found.setdefault(
                        entry["code"],
                        ErrorCode(
                            code=entry["code"],
                            status=str(entry.get("status", "")),
                            jp_name=str(entry.get("x-jp-name", "")),
                            description=str(entry.get("description", "")),
                            schema=str(name),
                        ),
                    )
    return tuple(found.values())
