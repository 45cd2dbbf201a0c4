"""Render an httpx request as a copy-pasteable curl command, with the bearer token masked."""

from __future__ import annotations

import shlex

import httpx

MASKED = "Bearer [masked]"
_SKIPPED_HEADERS = {"host", "content-length", "accept-encoding", "connection", "user-agent"}


def as_curl(request: httpx.Request) -> str:
    parts = ["curl", "-X", request.method]
    for name, value in request.headers.items():
        if name.lower() in _SKIPPED_HEADERS:
            continue
        if name.lower() == "authorization":
            value = MASKED
        parts += ["-H", f"{name}: {value}"]
    body = request.content
    if body:
        parts += ["-d", body.decode("utf-8", errors="replace")]
    parts.append(str(request.url))
    return " ".join(shlex.quote(part) for part in parts)
