"""The one walk over an OpenAPI document's operations, used by checking, the IR and conformance.

Tolerant by design: a document that failed validation is still walked (what is not a mapping is skipped),
so every rule and generator stage sees the same operations in the same (document) order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from renkei.loading.pointers import parse_fragment

__all__ = [
    "HTTP_METHODS",
    "OperationNode",
    "Pointer",
    "deref",
    "get",
    "iter_operations",
    "ref_target",
    "resolve",
]

Pointer = tuple[str | int, ...]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The operation keys of a path item (OpenAPI 3.0 and 3.1), in the order operations are visited."""
_MAX_REF_HOPS = 32


def ref_target(node: Any) -> Pointer | None:
    """The target of a local `$ref` object, as tokens; None when `node` is not one."""
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
        return None
    ref: str = node["$ref"]
    if not ref.startswith("#"):
        return None
    try:
        return parse_fragment(ref[1:])
    except ValueError:
        return None


def get(document: Mapping[str, Any], pointer: Pointer) -> Any:
    """The node at `pointer`; None when there is none."""
    node: Any = document
    for token in pointer:
        if isinstance(node, dict) and str(token) in node:
            node = node[str(token)]
        elif isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
            node = node[token]
        else:
            return None
    return node


def resolve(document: Mapping[str, Any], node: Any, pointer: Pointer = ()) -> tuple[Any, Pointer]:
    """Follow local `$ref`s from `node` (written at `pointer`): the final node and where it is written.
    A reference that leads nowhere stops the walk at the reference itself."""
    for _ in range(_MAX_REF_HOPS):
        target = ref_target(node)
        if target is None:
            break
        resolved = get(document, target)
        if resolved is None:
            break
        node, pointer = resolved, target
    return node, pointer


def deref(document: Mapping[str, Any], node: Any) -> Any:
    """`node` with its local `$ref`s followed; `{}` for a reference that leads nowhere (or is not local)."""
    resolved, _ = resolve(document, node)
    return {} if isinstance(resolved, dict) and "$ref" in resolved else resolved


@dataclass(frozen=True)
class OperationNode:
    """One operation object as written: `method` in lower case, `pointer` where it is written (inside the
    shared path item when the path item is a `$ref`)."""

    path: str
    method: str
    node: dict[str, Any]
    pointer: Pointer
    path_item: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, document: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        """Path-level and operation-level parameters merged (the operation's win), `$ref`s resolved."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for holder in (self.path_item, self.node):
            listed = holder.get("parameters")
            for parameter in listed if isinstance(listed, list) else ():
                resolved = deref(document, parameter)
                if isinstance(resolved, dict) and "name" in resolved and "in" in resolved:
                    merged[(str(resolved["in"]), str(resolved["name"]))] = resolved
        return tuple(merged.values())


def iter_operations(document: Mapping[str, Any]) -> Iterator[OperationNode]:
    """Every operation of `paths`, in document order, methods in HTTP_METHODS order."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item, item_pointer = resolve(document, item, ("paths", path))
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield OperationNode(str(path), method, operation, (*item_pointer, method), item)
