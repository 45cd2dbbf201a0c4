"""A minimal ASGI response: pre-encoded headers, no per-request header normalisation."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import Receive, Scope, Send

__all__ = ["JSON", "RawResponse", "with_charset"]

JSON = b"application/json; charset=utf-8"


def with_charset(media_type: str) -> bytes:
    """The `Content-Type` of a response body: JSON (`application/json`, `...+json`) and text say
    `charset=utf-8` unless the media type names a charset already."""
    base = media_type.split(";", 1)[0].strip().lower()
    textual = base == "application/json" or base.endswith("+json") or base.startswith("text/")
    if textual and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return media_type.encode("latin-1")


class RawResponse:
    """What generated endpoints return: status, body bytes, media type and a few extra headers."""

    __slots__ = ("body", "raw_headers", "status_code")

    def __init__(
        self,
        body: bytes,
        status_code: int,
        interaction_id: str,
        media_type: bytes | None = JSON,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.body = body
        self.status_code = status_code
        raw = [(b"x-fapi-interaction-id", interaction_id.encode("latin-1"))]
        if body or status_code not in (204, 304):
            raw.append((b"content-length", str(len(body)).encode()))
        if media_type is not None and body:
            raw.append((b"content-type", media_type))
        if headers:
            raw.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())
        self.raw_headers = raw

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})
