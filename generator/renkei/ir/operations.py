"""Walking the operations of a document: methods, merged parameters, stable Python names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from renkei.ir.naming import snake_case, unique

__all__ = ["HTTP_METHODS", "RawOperation", "deref", "iter_operations"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_CLIENT_RESERVED = {"close", "aclose", "http_client", "base_url"}


@dataclass(frozen=True)
class RawOperation:
    path: str
    method: str
    node: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]
    """Path-level and operation-level parameters merged, `$ref`s resolved."""
    operation_id: str
    python_name: str


def deref(document: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`) until a non-reference node."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node


def _merged_parameters(document: Mapping[str, Any], path_item: Any, operation: Any) -> tuple[Any, ...]:
    merged: dict[tuple[str, str], Any] = {}
    for source in (path_item.get("parameters") or [], operation.get("parameters") or []):
        for parameter in source:
            resolved = deref(document, parameter)
            if isinstance(resolved, dict) and "name" in resolved and "in" in resolved:
                merged[(str(resolved["in"]), str(resolved["name"]))] = resolved
    return tuple(merged.values())


def iter_operations(document: Mapping[str, Any]) -> Iterator[RawOperation]:
    """Operations in document order; names unique (`operationId` in snake_case, else method + path)."""
    taken: set[str] = set()
    for path, path_item in (document.get("paths") or {}).items():
        path_item = deref(document, path_item)
        if not isinstance(path_item, dict):
            continue
        for method in HTTP_METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, dict):
                continue
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str) and operation_id.strip():
                base = snake_case(operation_id, fallback="op")
            else:
                words = path.replace("{", " ").replace("}", " ")
                operation_id = f"{method} {path}"
                base = snake_case(f"{method} {words}", fallback="op")
            if base in _CLIENT_RESERVED or base.startswith("iter_"):
                base += "_"
            yield RawOperation(
                path=path,
                method=method.upper(),
                node=operation,
                parameters=_merged_parameters(document, path_item, operation),
                operation_id=operation_id,
                python_name=unique(base, taken),
            )
