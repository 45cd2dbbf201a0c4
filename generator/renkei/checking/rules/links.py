"""Links name operations that exist: `operationId` of an operation of the document, or an `operationRef`
that leads to one; the parameters a link fills are parameters of that operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.pointers import parse_fragment
from renkei.loading.text import Text
from renkei.loading.walk import HTTP_METHODS, OperationNode

Findings = Iterator[tuple[Pointer, Text]]


def _links(document: Document) -> Iterator[tuple[str, dict[str, Any], Pointer]]:
    """(link name, link object, pointer) of every link written in a response or in components/links."""
    places: list[tuple[Any, Pointer]] = []
    components = document.root.get("components")
    entries = components.get("links") if isinstance(components, dict) else None
    if isinstance(entries, dict):
        places += [(link, ("components", "links", name)) for name, link in entries.items()]
    responses: list[tuple[Any, Pointer]] = []
    entries = components.get("responses") if isinstance(components, dict) else None
    if isinstance(entries, dict):
        responses += [(response, ("components", "responses", name)) for name, response in entries.items()]
    for operation in document.operations():
        listed = operation.node.get("responses")
        if isinstance(listed, dict):
            responses += [(r, (*operation.pointer, "responses", code)) for code, r in listed.items()]
    for response, pointer in responses:
        links = response.get("links") if isinstance(response, dict) else None
        if isinstance(links, dict):
            places += [(link, (*pointer, "links", name)) for name, link in links.items()]
    for link, pointer in places:
        resolved, at = document.resolve(link, pointer)
        if isinstance(resolved, dict):
            yield str(pointer[-1]), resolved, at


def _target_by_ref(document: Document, ref: str) -> OperationNode | None:
    if not ref.startswith("#"):
        return None
    try:
        tokens = parse_fragment(ref[1:])
    except ValueError:
        return None
    if len(tokens) != 3 or tokens[0] != "paths" or tokens[2] not in HTTP_METHODS:
        return None
    return next((op for op in document.operations() if (op.path, op.method) == tokens[1:]), None)


def _parameter_names(document: Document, operation: OperationNode) -> set[str]:
    names = {str(parameter["name"]) for parameter in operation.parameters(document.root)}
    names |= {f"{parameter['in']}.{parameter['name']}" for parameter in operation.parameters(document.root)}
    return names


@rule(
    "link-operation",
    Severity.ERROR,
    Text(
        "every link names an operation of the document (operationId or operationRef), and fills only"
        " parameters that operation has",
        "すべてのリンクが文書内の操作 (operationId または operationRef) を指し、"
        "その操作にあるパラメータだけを指定する",
    ),
    group="semantic",
)
def link_operation(document: Document) -> Findings:
    by_id = {
        str(op.node["operationId"]): op
        for op in document.operations()
        if isinstance(op.node.get("operationId"), str)
    }
    seen: set[Pointer] = set()
    for name, link, pointer in _links(document):
        if pointer in seen:
            continue
        seen.add(pointer)
        operation_id, operation_ref = link.get("operationId"), link.get("operationRef")
        target: OperationNode | None = None
        if operation_id is not None and operation_ref is not None:
            yield (
                pointer,
                Text(
                    f"link {name!r} has both operationId and operationRef (give one)",
                    f"リンク {name!r} に operationId と operationRef の両方があります (どちらか一方にします)",
                ),
            )
            continue
        if operation_id is not None:
            target = by_id.get(str(operation_id))
            if target is None:
                yield (
                    (*pointer, "operationId"),
                    Text(
                        f"link {name!r}: no operation has operationId {operation_id!r}",
                        f"リンク {name!r}: operationId {operation_id!r} の操作がありません",
                    ),
                )
                continue
        elif operation_ref is not None:
            target = _target_by_ref(document, str(operation_ref))
            if target is None:
                yield (
                    (*pointer, "operationRef"),
                    Text(
                        f"link {name!r}: operationRef {operation_ref!r} does not lead to an operation of this"
                        " document (#/paths/<escaped path>/<method>)",
                        f"リンク {name!r}: operationRef {operation_ref!r} がこの文書の操作を指していません"
                        " (#/paths/<エスケープしたパス>/<メソッド>)",
                    ),
                )
                continue
        else:
            yield (
                pointer,
                Text(
                    f"link {name!r} names no operation (operationId or operationRef)",
                    f"リンク {name!r} が操作を指していません (operationId または operationRef)",
                ),
            )
            continue
        parameters = link.get("parameters")
        known = _parameter_names(document, target)
        for parameter in parameters if isinstance(parameters, dict) else ():
            if parameter not in known:
                yield (
                    (*pointer, "parameters", parameter),
                    Text(
                        f"link {name!r}: {target.label} has no parameter {parameter!r}",
                        f"リンク {name!r}: {target.label} にパラメータ {parameter!r} はありません",
                    ),
                )
