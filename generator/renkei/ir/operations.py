"""Walking the operations of a document: methods, merged parameters, stable Python names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from renkei.ir.naming import snake_case, unique
from renkei.loading.walk import iter_operations as walk_operations

__all__ = ["RawOperation", "iter_operations"]

_CLIENT_RESERVED = {"close", "aclose", "http_client", "base_url"}


@dataclass(frozen=True)
class RawOperation:
    """An operation as the IR builder reads it: the walk's node plus its merged parameters and names."""

    path: str
    method: str
    """Upper case (`GET`)."""
    node: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]
    """Path-level and operation-level parameters merged, `$ref`s resolved."""
    operation_id: str
    python_name: str


def iter_operations(document: Mapping[str, Any]) -> Iterator[RawOperation]:
    """Operations in document order; names unique (`operationId` in snake_case, else method + path)."""
    taken: set[str] = set()
    for walked in walk_operations(document):
        path, method, operation = walked.path, walked.method, walked.node
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
            parameters=walked.parameters(document),
            operation_id=operation_id,
            python_name=unique(base, taken),
        )
