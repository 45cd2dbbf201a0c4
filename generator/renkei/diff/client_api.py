"""The generated client's public API in both versions: method and keyword names, as the IR names them."""

from __future__ import annotations

import re
from typing import Any

from renkei.diff.changes import Severity
from renkei.diff.context import Context
from renkei.diff.operations import operations, path_shape
from renkei.ir import Operation
from renkei.ir.build import build_api
from renkei.ir.hinting import Shape
from renkei.loading.walk import deref


class _NamesOnly:
    """A TypeHinter for building the IR without models: only the names matter here, not the types."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: Any) -> Any:
        return deref(self.document, schema)

    def hint(self, schema: Any, shape: Shape, *, constrained: bool = False) -> str:
        return "typing.Any"


def client_operations(document: dict[str, Any]) -> dict[tuple[str, str], Operation]:
    """(path shape, METHOD) -> the IR operation the generated client's method is made from."""
    api = build_api(document, "api", _NamesOnly(document), {})
    return {(path_shape(op.path), op.method): op for op in api.operations}


def compare_client(context: Context) -> None:
    old, new = client_operations(context.old.document), client_operations(context.new.document)
    old_nodes, new_nodes = operations(context, "old"), operations(context, "new")
    for key, before in old.items():
        label = f"{key[1]} {before.path}"
        after = new.get(key)
        if after is None:
            node = old_nodes[key][2]
            context.emit(
                "client-method-removed",
                Severity.BREAKING,
                f"client method {before.python_name}() removed",
                label,
                node,
                "old",
            )
            continue
        node = new_nodes[key][2]
        label = f"{key[1]} {after.path}"
        if before.python_name != after.python_name:
            context.emit(
                "client-method-renamed",
                Severity.BREAKING,
                f"client method {before.python_name}() renamed to {after.python_name}()",
                label,
                node.get("operationId") or node,
            )
        old_keywords, new_keywords = _keywords(before), _keywords(after)
        for wire, name in old_keywords.items():
            now = new_keywords.get(wire)
            if now is None:
                message = f"{after.python_name}(): keyword argument {name} removed"
                context.emit("client-keyword-removed", Severity.BREAKING, message, label, node)
            elif now != name:
                message = f"{after.python_name}(): keyword argument {name} renamed to {now}"
                context.emit("client-keyword-renamed", Severity.BREAKING, message, label, node)


def _keywords(operation: Operation) -> dict[tuple[str, str], str]:
    """(in, wire name) -> keyword argument; path parameters by position, so `{id}` -> `{accountId}` is a
    renamed keyword, not a removed one."""
    order = re.findall(r"\{([^}]*)\}", operation.path)
    keywords: dict[tuple[str, str], str] = {}
    for parameter in operation.parameters:
        wire = parameter.wire_name.lower()
        if parameter.location == "path" and parameter.wire_name in order:
            wire = f"#{order.index(parameter.wire_name)}"
        keywords[(parameter.location, wire)] = parameter.python_name
    return keywords
