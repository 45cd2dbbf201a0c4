"""Which component schemas an operation or a schema uses (for the "used by" lists of schema pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from renkei.docs_site.schemas import component_name
from renkei.loading.walk import get, ref_target


def direct_schemas(document: Mapping[str, Any], node: Any) -> set[str]:
    """The component schemas `node` names, through the other components it refers to (responses,
    parameters, headers, ...) but not through schemas."""
    found: set[str] = set()
    _walk(document, node, found, set())
    return found


def closure(direct: Mapping[str, set[str]], start: set[str]) -> set[str]:
    """`start` and every schema reachable from it through `direct`."""
    reached = set(start)
    pending = list(start)
    while pending:
        for name in direct.get(pending.pop(), ()):
            if name not in reached:
                reached.add(name)
                pending.append(name)
    return reached


def _walk(
    document: Mapping[str, Any], node: Any, found: set[str], followed: set[tuple[str | int, ...]]
) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(document, item, found, followed)
        return
    if not isinstance(node, Mapping):
        return
    name = component_name(node)
    if name is not None:
        found.add(name)
    else:
        target = ref_target(node)
        if target is not None and target not in followed:
            followed.add(target)
            _walk(document, get(document, target), found, followed)
    for key, value in node.items():
        if key != "$ref":
            _walk(document, value, found, followed)
