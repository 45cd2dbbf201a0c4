"""Choosing the one media type the generated code speaks for a body or response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

__all__ = ["BodyKind", "pick_media_type"]

BodyKind = Literal["json", "form", "multipart", "bytes"]


def _kind(media_type: str) -> BodyKind:
    base = media_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == "multipart/form-data":
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    return "bytes"


def pick_media_type(content: Any) -> tuple[str, BodyKind, Mapping[str, Any]] | None:
    """(media type, kind, media object): JSON first, then form encodings, then the first other."""
    if not isinstance(content, dict) or not content:
        return None
    ranked = sorted(
        content.items(), key=lambda item: ["json", "multipart", "form", "bytes"].index(_kind(item[0]))
    )
    media_type, media = ranked[0]
    return str(media_type), _kind(str(media_type)), media if isinstance(media, dict) else {}
