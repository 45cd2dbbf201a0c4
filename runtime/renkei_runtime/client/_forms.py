"""Form and multipart request bodies of generated clients: a model or a plain mapping, as httpx parts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic

from renkei_runtime.client._wire import wire_text
from renkei_runtime.types import UploadedFile

__all__ = ["form_data", "multipart_parts"]


def _fields(body: pydantic.BaseModel | Mapping[str, Any] | None) -> dict[str, Any]:
    """A body's fields by wire name; a model as it would be sent (absent fields stay absent)."""
    if body is None:
        return {}
    if isinstance(body, pydantic.BaseModel):
        return body.model_dump(by_alias=True)
    return dict(body)


def _is_file(value: Any) -> bool:
    return isinstance(value, UploadedFile | bytes | bytearray | tuple) or hasattr(value, "read")


def _file(name: str, value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return (value.filename or name, value.content, value.content_type or "application/octet-stream")
    return value


def _deep(key: str, value: Any, into: dict[str, Any]) -> None:
    """OpenAPI's deepObject style: `key[name]=v` for a mapping, `key[0]=v` for a list, nested."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            _deep(f"{key}[{name}]", item, into)
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            _deep(f"{key}[{number}]", item, into)
    elif value is not None:
        into[key] = wire_text(value)


def form_data(
    body: pydantic.BaseModel | Mapping[str, Any] | None, deep: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Fields of an `application/x-www-form-urlencoded` body (arrays as repeated fields; the fields named in
    `deep` in the deepObject style of their `encoding`)."""
    data: dict[str, Any] = {}
    for key, value in _fields(body).items():
        if value is None:
            continue
        if key in deep:
            _deep(key, value, data)
            continue
        data[key] = wire_text([v for v in value if v is not None] if isinstance(value, list) else value)
    return data


def multipart_parts(
    body: pydantic.BaseModel | Mapping[str, Any] | None,
) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Form fields and file parts of a `multipart/form-data` body. Files are `UploadedFile`s, bytes, file
    objects or httpx's `(filename, content[, media type])` tuples; arrays become one part per item."""
    data: dict[str, Any] = {}
    files: list[tuple[str, Any]] = []
    for key, value in _fields(body).items():
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if _is_file(item):
                files.append((key, _file(key, item)))
            else:
                data.setdefault(key, []).append(wire_text(item))
    return {key: items[0] if len(items) == 1 else items for key, items in data.items()}, files
