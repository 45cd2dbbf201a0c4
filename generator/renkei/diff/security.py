"""Comparing `components.securitySchemes`: a removed scheme, a changed flow or a removed scope breaks."""

from __future__ import annotations

from renkei.diff.changes import Severity
from renkei.diff.context import Context
from renkei.diff.nodes import Node

_IDENTITY = ("type", "scheme", "in", "name", "bearerFormat", "openIdConnectUrl")
_FLOW_URLS = ("authorizationUrl", "tokenUrl", "refreshUrl")


def _schemes(context: Context, side: str) -> dict[str, Node]:
    version = context.old if side == "old" else context.new
    components = version.root.get("components")
    if components is None:
        return {}
    return {name: version.resolve(node) for name, node in components.mapping("securitySchemes").items()}


def compare_security_schemes(context: Context) -> None:
    old, new = _schemes(context, "old"), _schemes(context, "new")
    for name, node in old.items():
        if name not in new:
            context.emit(
                "security-scheme-removed",
                Severity.BREAKING,
                f"security scheme {name} removed",
                None,
                node,
                "old",
            )
    for name, node in new.items():
        if name not in old:
            context.emit(
                "security-scheme-added", Severity.COMPATIBLE, f"new security scheme {name}", None, node
            )
            continue
        before = old[name]
        for keyword in _IDENTITY:
            if before.value.get(keyword) != node.value.get(keyword):
                context.emit(
                    "security-scheme-changed",
                    Severity.BREAKING,
                    f"security scheme {name}: {keyword} "
                    f"{before.value.get(keyword)!r} → {node.value.get(keyword)!r}",
                    None,
                    node.get(keyword) or node,
                )
        _flows(context, name, before, node)


def _flows(context: Context, name: str, old: Node, new: Node) -> None:
    old_flows, new_flows = old.mapping("flows"), new.mapping("flows")
    for flow, node in old_flows.items():
        if flow not in new_flows:
            context.emit(
                "security-flow-removed",
                Severity.BREAKING,
                f"security scheme {name}: flow {flow} removed",
                None,
                node,
                "old",
            )
    for flow, node in new_flows.items():
        if flow not in old_flows:
            context.emit(
                "security-flow-added",
                Severity.COMPATIBLE,
                f"security scheme {name}: new flow {flow}",
                None,
                node,
            )
            continue
        before = old_flows[flow]
        for keyword in _FLOW_URLS:
            if before.value.get(keyword) != node.value.get(keyword):
                context.emit(
                    "security-flow-url-changed",
                    Severity.BREAKING,
                    f"security scheme {name}: {flow}.{keyword} {before.value.get(keyword)!r} → "
                    f"{node.value.get(keyword)!r}",
                    None,
                    node.get(keyword) or node,
                )
        old_scopes, new_scopes = before.mapping("scopes"), node.mapping("scopes")
        for scope, scope_node in old_scopes.items():
            if scope not in new_scopes:
                context.emit(
                    "security-scope-undefined",
                    Severity.BREAKING,
                    f"security scheme {name}: scope {scope} removed from {flow}",
                    None,
                    scope_node,
                    "old",
                )
        for scope, scope_node in new_scopes.items():
            if scope not in old_scopes:
                context.emit(
                    "security-scope-defined",
                    Severity.COMPATIBLE,
                    f"security scheme {name}: new scope {scope} in {flow}",
                    None,
                    scope_node,
                )
