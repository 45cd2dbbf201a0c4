"""The route of a generated operation: a path parameter may hold an encoded slash (`%2F`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from starlette._utils import get_route_path
from starlette.routing import Match, Route
from starlette.types import Scope

__all__ = ["OperationRoute"]

_PERCENT = ord("%")  # `int in bytes` is a memchr; `b"%2F" in bytes` costs ten times as much


def _escaped(text: str) -> str:
    return text.replace("%", "%25").replace("/", "%2F")


def _escaped_route_path(scope: Scope, raw_path: bytes) -> str:
    """The route path (`root_path` removed, as Starlette does) decoded segment by segment, with `%` and `/`
    inside a segment escaped again, so that `[^/]+` sees one segment where the client sent one."""
    path = "/".join(
        _escaped(unquote(part)) for part in raw_path.split(b"?", 1)[0].decode("latin-1").split("/")
    )
    root = _escaped(scope.get("root_path", "")).replace("%2F", "/")
    if not root or not path.startswith(root):
        return path
    if path == root:
        return ""
    return path[len(root) :] if path[len(root)] == "/" else path


class OperationRoute(Route):
    """A Starlette `Route` that also routes `/accounts/a%2Fb` to `{accountId}` = `a/b`.

    Starlette matches the decoded path, where such a slash splits the segment in two (no route, or the
    wrong one). When the raw path holds an encoded slash, this route matches it segment by segment instead
    and decodes each parameter itself; other requests are matched as Starlette does, after one check.
    Websocket scopes never match (generated operations are HTTP).
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # Starlette's `Route.matches` with the raw-path case added (inline: this runs for every route tried).
        if scope["type"] != "http":
            return Match.NONE, {}
        raw: bytes = scope.get("raw_path") or b""
        encoded_slash = _PERCENT in raw and (b"%2F" in raw or b"%2f" in raw)
        route_path = _escaped_route_path(scope, raw) if encoded_slash else get_route_path(scope)
        found = self.path_regex.match(route_path)
        if found is None:
            return Match.NONE, {}
        params: dict[str, Any] = dict(scope.get("path_params", {}))
        convertors = self.param_convertors
        for key, value in found.groupdict().items():
            params[key] = convertors[key].convert(unquote(value) if encoded_slash else value)
        child_scope = {"endpoint": self.endpoint, "path_params": params}
        if self.methods and scope["method"] not in self.methods:
            return Match.PARTIAL, child_scope
        return Match.FULL, child_scope
