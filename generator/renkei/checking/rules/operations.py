"""Rules on each operation: id, summary, description, tags, security."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule

Findings = Iterator[tuple[Pointer, str]]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


@rule("operation-id", Severity.ERROR, "every operation has an operationId, unique in the document")
def operation_id(document: Document) -> Findings:
    first_use: dict[str, str] = {}
    for operation in document.operations():
        value = operation.node.get("operationId")
        if not isinstance(value, str) or not value.strip():
            yield operation.pointer, f"{operation.label} has no operationId"
            continue
        if value in first_use:
            yield (
                (*operation.pointer, "operationId"),
                f"{operation.label}: operationId {value!r} is already used by {first_use[value]}",
            )
        else:
            first_use[value] = operation.label


@rule("operation-summary", Severity.ERROR, "every operation has a summary")
def operation_summary(document: Document) -> Findings:
    for operation in document.operations():
        if not _text(operation.node.get("summary")):
            yield operation.pointer, f"{operation.label} has no summary"


@rule("operation-description", Severity.ERROR, "every operation has a description")
def operation_description(document: Document) -> Findings:
    for operation in document.operations():
        if not _text(operation.node.get("description")):
            yield operation.pointer, f"{operation.label} has no description"


@rule("operation-tag", Severity.ERROR, "every operation has at least one tag")
def operation_tag(document: Document) -> Findings:
    for operation in document.operations():
        tags = operation.node.get("tags")
        if not isinstance(tags, list) or not tags:
            yield operation.pointer, f"{operation.label} has no tag"


@rule("tag-declared", Severity.WARNING, "every tag an operation uses is declared in the top-level `tags`")
def tag_declared(document: Document) -> Findings:
    declared_tags = document.root.get("tags")
    declared = (
        {tag.get("name") for tag in declared_tags if isinstance(tag, dict)}
        if isinstance(declared_tags, list)
        else set()
    )
    for operation in document.operations():
        tags = operation.node.get("tags")
        for index, tag in enumerate(tags if isinstance(tags, list) else []):
            if tag not in declared:
                yield (
                    (*operation.pointer, "tags", index),
                    f"{operation.label}: tag {tag!r} is not declared in `tags`",
                )


def _scheme_scopes(scheme: Any) -> set[str] | None:
    """The scopes an OAuth 2.0 scheme defines (over all flows); None when the scheme has no scope list."""
    if not isinstance(scheme, dict) or scheme.get("type") != "oauth2":
        return None
    scopes: set[str] = set()
    flows = scheme.get("flows")
    for flow in flows.values() if isinstance(flows, dict) else ():
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
            scopes.update(flow["scopes"])
    return scopes


@rule(
    "operation-security",
    Severity.ERROR,
    "every operation has a security requirement naming defined schemes and scopes they define",
)
def operation_security(document: Document) -> Findings:
    components = document.root.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = schemes if isinstance(schemes, dict) else {}
    for operation in document.operations():
        if "security" in operation.node:
            security, pointer = operation.node["security"], (*operation.pointer, "security")
        else:
            security, pointer = document.root.get("security"), ("security",)
        if security is None:
            yield operation.pointer, f"{operation.label} has no security requirement"
            continue
        if security == [] and operation.node.get("x-public") is True:
            continue  # a deliberately public operation (e.g. the bank directory), marked as such
        if not isinstance(security, list) or not security:
            yield (
                pointer,
                f"{operation.label}: `security: []` makes it public; the standard requires OAuth 2.0"
                " (mark a deliberately public operation with `x-public: true`)",
            )
            continue
        for index, requirement in enumerate(security):
            where = (*pointer, index)
            if not isinstance(requirement, dict) or not requirement:
                yield where, f"{operation.label}: an empty security requirement makes it public"
                continue
            for name, scopes in requirement.items():
                scheme, _ = document.resolve(schemes.get(name), ("components", "securitySchemes", name))
                if scheme is None:
                    yield where, f"{operation.label}: security scheme {name!r} is not defined"
                    continue
                defined = _scheme_scopes(scheme)
                if defined is None:
                    continue
                if not isinstance(scopes, list) or not scopes:
                    yield where, f"{operation.label}: requirement {name!r} names no scope"
                    continue
                for scope in scopes:
                    if scope not in defined:
                        yield where, f"{operation.label}: scope {scope!r} is not defined by scheme {name!r}"
