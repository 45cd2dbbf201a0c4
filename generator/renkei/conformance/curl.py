"""Render a request as a copy-pasteable curl command with secrets masked by name, and nothing else.

Masked: the headers `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie` and `DPoP` (the scheme of
an Authorization value is kept: `Bearer [masked]`, `DPoP [masked]`), and in form or JSON bodies the fields
`client_secret`, `client_assertion`, `password`, `refresh_token` and `code_verifier`. Every other header
(`Idempotency-Key`, `x-fapi-interaction-id`, ...) and field is shown as sent. Text is UTF-8 as is.
"""

from __future__ import annotations

import json
import shlex
from urllib.parse import parse_qsl, urlencode

import httpx

MASK = "[masked]"
MASKED_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "dpop"})
MASKED_FIELDS = frozenset({"client_secret", "client_assertion", "password", "refresh_token", "code_verifier"})
_SCHEMED = frozenset({"authorization", "proxy-authorization"})
MAX_SHOWN_BODY = 8192
"""Longer bodies (the oversized-body probe) are cut in the report, with the count of characters left out."""
_SKIPPED_HEADERS = {"host", "content-length", "accept-encoding", "connection", "user-agent"}


def mask_header(name: str, value: str) -> str:
    """`value` unless `name` is a secret-carrying header; an Authorization value keeps its scheme."""
    lowered = name.lower()
    if lowered not in MASKED_HEADERS:
        return value
    if lowered in _SCHEMED and " " in value.strip():
        return f"{value.strip().split(' ', 1)[0]} {MASK}"
    return MASK


def _mask_json(node: object) -> object:
    if isinstance(node, dict):
        return {k: MASK if k in MASKED_FIELDS else _mask_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_json(item) for item in node]
    return node


def mask_body(body: str, content_type: str = "") -> str:
    """The body with secret fields masked (JSON or form-encoded); other bodies unchanged."""
    stripped = body.strip()
    if stripped.startswith(("{", "[")):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            return body
        if _mask_json(parsed) == parsed:
            return body
        return json.dumps(_mask_json(parsed), ensure_ascii=False)
    if "form-urlencoded" in content_type or ("=" in stripped and " " not in stripped):
        pairs = parse_qsl(stripped, keep_blank_values=True)
        if any(k in MASKED_FIELDS for k, _ in pairs):
            return urlencode([(k, MASK if k in MASKED_FIELDS else v) for k, v in pairs], safe="[]")
    return body


def _decoded(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    if "\\u" in text and text.lstrip().startswith(("{", "[")):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)  # Japanese as is, not \uXXXX
        except ValueError:
            return text
    return text


def render_curl(method: str, url: str, headers: list[tuple[str, str]], body: str | None) -> str:
    parts = ["curl", "-X", method.upper()]
    content_type = ""
    for name, value in headers:
        if name.lower() in _SKIPPED_HEADERS:
            continue
        if name.lower() == "content-type":
            content_type = value
        parts += ["-H", f"{name}: {mask_header(name, value)}"]
    if body and len(body) > MAX_SHOWN_BODY:
        shown = mask_body(body[:MAX_SHOWN_BODY], content_type)
        parts += ["--data-raw", f"{shown}... ({len(body) - MAX_SHOWN_BODY} more characters)"]
    elif body:
        parts += ["--data-raw", mask_body(body, content_type)]
    parts.append(url)
    return " ".join(shlex.quote(part) for part in parts)


def as_curl(request: httpx.Request) -> str:
    body = _decoded(request.content) if request.content else None
    headers = [(k.decode("latin-1"), v.decode("utf-8", "replace")) for k, v in request.headers.raw]
    return render_curl(request.method, str(request.url), headers, body)


def remask_curl(command: str) -> str:
    """A curl command from another tool (schemathesis), re-rendered with our masking and UTF-8 bodies."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    if not words or words[0] != "curl":
        return command
    method, url, body = "GET", "", None
    headers: list[tuple[str, str]] = []
    index = 1
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in ("-X", "--request"):
            method, index = following, index + 2
        elif word in ("-H", "--header"):
            name, _, value = following.partition(":")
            headers.append((name.strip(), value.strip()))
            index += 2
        elif word in ("-d", "--data", "--data-raw", "--data-binary"):
            body, index = _decoded(following.encode()), index + 2
        elif word.startswith("-"):
            index += 1
        else:
            url, index = word, index + 1
    return render_curl(method, url, headers, body)
