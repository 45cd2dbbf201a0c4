"""Routes of generated operations: a path parameter may hold `%2F`, and a router finds them by one regex."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote

from starlette.convertors import StringConvertor
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Route, Router
from starlette.types import Receive, Scope, Send

__all__ = ["OperationRoute", "OperationRouter", "RouteTable"]

_PERCENT = ord("%")  # `int in bytes` is a memchr; `b"%2F" in bytes` costs ten times as much
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")


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


def get_route_path(scope: Scope) -> str:
    """The path Starlette's own routes match: `path` without the `root_path` prefix (the same rule as
    Starlette's private `starlette._utils.get_route_path`; tests/runtime/server/test_routing.py compares)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path) :] if path[len(root_path)] == "/" else path


def _route_path(scope: Scope) -> tuple[str, bool]:
    """The path to match, and whether it is the escaped raw path (its parameters then need decoding)."""
    raw: bytes = scope.get("raw_path") or b""
    if _PERCENT in raw and (b"%2F" in raw or b"%2f" in raw):
        return _escaped_route_path(scope, raw), True
    return get_route_path(scope), False


class OperationRoute(Route):
    """A Starlette `Route` that also routes `/accounts/a%2Fb` to `{accountId}` = `a/b`.

    Starlette matches the decoded path, where such a slash splits the segment in two (no route, or the
    wrong one). When the raw path holds an encoded slash, this route matches it segment by segment instead
    and decodes each parameter itself. Websocket scopes never match (generated operations are HTTP).
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        path, escaped = _route_path(scope)
        found = self.path_regex.match(path)
        if found is None:
            return Match.NONE, {}
        full = not self.methods or scope["method"] in self.methods
        return (Match.FULL if full else Match.PARTIAL), self.child_scope(scope, found.groupdict(), escaped)

    def child_scope(self, scope: Scope, values: dict[str, str], escaped: bool) -> Scope:
        """What this route adds to the scope: its endpoint and its path parameters, decoded (when matched
        on the escaped raw path) and converted."""
        convertors = self.param_convertors
        params = {
            key: convertors[key].convert(unquote(value) if escaped else value)
            for key, value in values.items()
        }
        if scope.get("path_params"):
            params = {**scope["path_params"], **params}
        return {"endpoint": self.endpoint, "path_params": params}


class _MatchPlan:
    """How to read one route's path parameters out of the combined regex's match."""

    __slots__ = ("groups", "names", "verbatim")

    def __init__(self, groups: tuple[str, ...], names: tuple[str, ...], verbatim: bool) -> None:
        self.groups = groups
        self.names = names
        self.verbatim = verbatim
        """Every parameter is a plain string (Starlette's default convertor): values need no conversion."""

    @classmethod
    def of(cls, index: int, route: OperationRoute) -> _MatchPlan:
        names = tuple(route.param_convertors)
        verbatim = all(type(c) is StringConvertor for c in route.param_convertors.values())
        return cls(tuple(f"_{index}_{name}" for name in names), names, verbatim)

    def values(self, found: re.Match[str]) -> dict[str, str]:
        if len(self.groups) == 1:
            return {self.names[0]: found.group(self.groups[0])}
        return dict(zip(self.names, found.group(*self.groups), strict=True)) if self.groups else {}


class RouteTable:
    """Operation routes matched together: one regex of all of them per HTTP method, in their order, so
    that the first full match wins as in Starlette's router (405s and 404s are left to it). Starlette asks
    each route in turn: a Python call and a regex for every route that does not match, so the last of 300
    operations pays for 299."""

    def __init__(self, routes: Sequence[OperationRoute]) -> None:
        self.routes = tuple(routes)
        self._plans = [_MatchPlan.of(index, route) for index, route in enumerate(self.routes)]
        methods = {method for route in self.routes for method in route.methods or ()}
        self._by_method = {method: self._combined(self._serving(method)) for method in methods}
        self._other_methods = self._combined(self._serving(None))

    def _serving(self, method: str | None) -> list[int]:
        """The routes that answer `method` fully (None: a method no route names)."""
        return [
            index
            for index, route in enumerate(self.routes)
            if route.methods is None or (method is not None and method in route.methods)
        ]

    def _combined(self, indices: Iterable[int]) -> re.Pattern[str] | None:
        """`^(?:(?P<_0>...)|(?P<_3>...))$`, the group `{name}` of route 3 renamed `_3_name`."""
        alternatives = []
        for index in indices:
            body = self.routes[index].path_regex.pattern.removeprefix("^").removesuffix("$")
            body = _NAMED_GROUP.sub(rf"(?P<_{index}_\1>", body)
            alternatives.append(f"(?P<_{index}>{body})")
        return re.compile("^(?:" + "|".join(alternatives) + ")$") if alternatives else None

    def find(self, scope: Scope) -> tuple[OperationRoute, Scope] | None:
        """The first route that matches the request fully, and its child scope."""
        pattern = self._by_method.get(scope["method"], self._other_methods)
        if pattern is None:
            return None
        route_path, escaped = _route_path(scope)
        found = pattern.match(route_path)
        if found is None:
            return None
        position = int(found.lastgroup[1:])  # type: ignore[index]  # the outer group of one alternative
        route = self.routes[position]
        plan = self._plans[position]
        values = plan.values(found)
        if plan.verbatim and not escaped and not scope.get("path_params"):
            return route, {"endpoint": route.endpoint, "path_params": values}
        return route, route.child_scope(scope, values, escaped)

    def allowed(self, scope: Scope) -> set[str]:
        """The methods of every route whose path matches (for a 405's `Allow`; Starlette names only the
        first such route's)."""
        route_path, _ = _route_path(scope)
        methods: set[str] = set()
        for route in self.routes:
            if route.methods and route.path_regex.match(route_path):
                methods |= route.methods
        return methods


class OperationRouter(Router):
    """A Starlette `Router` that finds the operation routes at the head of its list through a `RouteTable`,
    and asks the others in turn, as Starlette does. A 405's `Allow` names the methods of every operation on
    the path (one route per operation), not only those of the first.

    The table follows the list: it is made again when the list's length changes (Starlette's `add_route`
    appends, which keeps the head); a route replaced in place, at the same length, is not seen.
    """

    _table: RouteTable | None = None
    _table_made_for: tuple[int, int] = (0, 0)

    def _operations(self) -> RouteTable | None:
        shape = (id(self.routes), len(self.routes))
        if shape != self._table_made_for:
            head: list[OperationRoute] = []
            for route in self.routes:
                if not isinstance(route, OperationRoute):
                    break
                head.append(route)
            self._table = RouteTable(head) if head else None
            self._table_made_for = shape
        return self._table

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        table = self._operations() if scope["type"] == "http" else None
        if table is None:
            await super().app(scope, receive, send)
            return
        found = table.find(scope)
        if found is not None:
            route, child_scope = found
            scope.setdefault("router", self)
            scope["route"] = route
            scope.update(child_scope)
            await route.app(scope, receive, send)  # the table matched the method: `handle`'s check is done
            return
        allowed = table.allowed(scope)
        others = self.routes[len(table.routes) :]
        if allowed and not any(other.matches(scope)[0] is Match.FULL for other in others):
            headers = {"Allow": ", ".join(sorted(allowed))}
            if "app" in scope:
                raise HTTPException(status_code=405, headers=headers)
            response = PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)
            await response(scope, receive, send)
            return
        await super().app(scope, receive, send)
