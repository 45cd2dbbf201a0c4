"""Comparing the operations of two versions: parameters, request bodies, responses, security."""

from __future__ import annotations

import re

from renkei.diff.changes import Severity
from renkei.diff.context import Context
from renkei.diff.nodes import Node
from renkei.diff.schemas import SchemaComparer
from renkei.loading.walk import HTTP_METHODS

_TEMPLATE = re.compile(r"\{[^}]*\}")


def path_shape(path: str) -> str:
    """`/banks/{bankCode}/accounts` -> `/banks/{}/accounts`: renaming a path parameter keeps the path."""
    return _TEMPLATE.sub("{}", path).rstrip("/") or "/"


def operations(context: Context, side: str) -> dict[tuple[str, str], tuple[str, Node, Node]]:
    """(path shape, METHOD) -> (path as written, path item, operation), in document order."""
    version = context.old if side == "old" else context.new
    found: dict[tuple[str, str], tuple[str, Node, Node]] = {}
    for path, item in version.root.mapping("paths").items():
        item = version.resolve(item)
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is not None and isinstance(operation.value, dict):
                found.setdefault((path_shape(path), method.upper()), (path, item, operation))
    return found


def _parameters(context: Context, side: str, path: str, item: Node, operation: Node) -> dict[str, Node]:
    """Merged parameters keyed by `in:name` (path parameters by position, so a rename is no removal)."""
    version = context.old if side == "old" else context.new
    merged: dict[str, Node] = {}
    order = [name[1:-1] for name in _TEMPLATE.findall(path)]
    for source in (item, operation):
        for node in source.items("parameters"):
            resolved = version.resolve(node)
            value = resolved.value
            if not (isinstance(value, dict) and "name" in value and "in" in value):
                continue
            location, name = str(value["in"]), str(value["name"])
            if location == "path" and name in order:
                key = f"path:#{order.index(name)}"
            elif location == "header":
                key = f"header:{name.lower()}"
            else:
                key = f"{location}:{name}"
            merged[key] = resolved
    return merged


def compare_operations(context: Context) -> None:
    old_ops, new_ops = operations(context, "old"), operations(context, "new")
    for key, (path, _item, node) in old_ops.items():
        if key not in new_ops:
            label = f"{key[1]} {path}"
            context.emit(
                "operation-removed", Severity.BREAKING, f"{label}: operation removed", label, node, "old"
            )
    for key, (path, _item, node) in new_ops.items():
        if key not in old_ops:
            label = f"{key[1]} {path}"
            context.emit("operation-added", Severity.COMPATIBLE, f"{label}: new operation", label, node)
    for key, (old_path, old_item, old_node) in old_ops.items():
        if key in new_ops:
            new_path, new_item, new_node = new_ops[key]
            _OperationComparer(context, f"{key[1]} {new_path}").compare(
                (old_path, old_item, old_node), (new_path, new_item, new_node)
            )


class _OperationComparer:
    def __init__(self, context: Context, label: str) -> None:
        self.context = context
        self.label = label

    def emit(self, kind: str, severity: Severity, message: str, node: Node, side: str = "new") -> None:
        self.context.emit(
            kind, severity, f"{self.label}: {message}", self.label, node, "old" if side == "old" else "new"
        )

    def compare(self, old: tuple[str, Node, Node], new: tuple[str, Node, Node]) -> None:
        old_path, old_item, old_op = old
        new_path, new_item, new_op = new
        before, after = old_op.value.get("operationId"), new_op.value.get("operationId")
        if before != after:
            self.emit(
                "operation-id-changed",
                Severity.BREAKING,
                f"operationId {before!r} → {after!r} (the generated client's method is renamed)",
                new_op.get("operationId") or new_op,
            )
        if not old_op.value.get("deprecated") and new_op.value.get("deprecated"):
            self.emit("operation-deprecated", Severity.INFO, "deprecated", new_op.get("deprecated") or new_op)
        for text in ("summary", "description"):
            if old_op.value.get(text) != new_op.value.get(text):
                self.emit(
                    f"operation-{text}-changed", Severity.INFO, f"{text} changed", new_op.get(text) or new_op
                )
        self.parameters(
            _parameters(self.context, "old", old_path, old_item, old_op),
            _parameters(self.context, "new", new_path, new_item, new_op),
        )
        self.request_body(old_op, new_op)
        self.responses(old_op, new_op)
        self.security(old_op, new_op)

    # -- parameters -------------------------------------------------------------------------------------

    def parameters(self, old: dict[str, Node], new: dict[str, Node]) -> None:
        schemas = SchemaComparer(self.context, "request", self.label)
        for key, node in old.items():
            if key not in new:
                self.emit(
                    "parameter-removed", Severity.COMPATIBLE, f"parameter {_name(node)} removed", node, "old"
                )
        for key, node in new.items():
            if key not in old:
                if _required(node):
                    self.emit(
                        "parameter-added-required",
                        Severity.BREAKING,
                        f"new required parameter {_name(node)}",
                        node,
                    )
                else:
                    self.emit(
                        "parameter-added", Severity.COMPATIBLE, f"new optional parameter {_name(node)}", node
                    )
        for key, old_node in old.items():
            new_node = new.get(key)
            if new_node is None:
                continue
            name = _name(new_node)
            if not _required(old_node) and _required(new_node):
                self.emit(
                    "parameter-became-required",
                    Severity.BREAKING,
                    f"parameter {name} became required",
                    new_node,
                )
            elif _required(old_node) and not _required(new_node):
                self.emit(
                    "parameter-became-optional",
                    Severity.COMPATIBLE,
                    f"parameter {name} became optional",
                    new_node,
                )
            for keyword in ("style", "explode"):
                if old_node.value.get(keyword) != new_node.value.get(keyword):
                    self.emit(
                        "parameter-serialization-changed",
                        Severity.BREAKING,
                        f"parameter {name}: {keyword} "
                        f"{old_node.value.get(keyword)} → {new_node.value.get(keyword)}",
                        new_node,
                    )
            old_schema, new_schema = old_node.get("schema"), new_node.get("schema")
            if old_schema is not None and new_schema is not None:
                schemas.compare(old_schema, new_schema, f"parameter {name}")

    # -- request body -----------------------------------------------------------------------------------

    def request_body(self, old_op: Node, new_op: Node) -> None:
        old_body = self.context.old.resolve(old_op.get("requestBody") or Node(None, ()))
        new_body = self.context.new.resolve(new_op.get("requestBody") or Node(None, ()))
        old_exists, new_exists = isinstance(old_body.value, dict), isinstance(new_body.value, dict)
        if not old_exists and not new_exists:
            return
        if not new_exists:
            self.emit("request-body-removed", Severity.BREAKING, "request body removed", old_body, "old")
            return
        required = bool(new_body.value.get("required"))
        if not old_exists:
            if required:
                self.emit(
                    "request-body-added-required", Severity.BREAKING, "new required request body", new_body
                )
            else:
                self.emit("request-body-added", Severity.COMPATIBLE, "new optional request body", new_body)
            return
        if required and not old_body.value.get("required"):
            self.emit(
                "request-body-became-required", Severity.BREAKING, "request body became required", new_body
            )
        schemas = SchemaComparer(self.context, "request", self.label)
        old_media, new_media = old_body.mapping("content"), new_body.mapping("content")
        for media_type, node in old_media.items():
            if media_type not in new_media:
                self.emit(
                    "request-media-type-removed",
                    Severity.BREAKING,
                    f"request media type {media_type} removed",
                    node,
                    "old",
                )
        for media_type, node in new_media.items():
            if media_type not in old_media:
                self.emit(
                    "request-media-type-added",
                    Severity.COMPATIBLE,
                    f"request media type {media_type} added",
                    node,
                )
            else:
                old_schema, new_schema = old_media[media_type].get("schema"), node.get("schema")
                if old_schema is not None and new_schema is not None:
                    schemas.compare(old_schema, new_schema, "request body")

    # -- responses --------------------------------------------------------------------------------------

    def responses(self, old_op: Node, new_op: Node) -> None:
        old_codes, new_codes = old_op.mapping("responses"), new_op.mapping("responses")
        schemas = SchemaComparer(self.context, "response", self.label)
        for code, node in old_codes.items():
            if code not in new_codes:
                if _success(code):
                    self.emit(
                        "success-status-removed",
                        Severity.BREAKING,
                        f"success status {code} removed",
                        node,
                        "old",
                    )
                else:
                    self.emit(
                        "response-status-removed",
                        Severity.COMPATIBLE,
                        f"response {code} removed",
                        node,
                        "old",
                    )
        for code, node in new_codes.items():
            if code not in old_codes:
                if _success(code):
                    message = (
                        f"new success status {code} (generated clients decode only the statuses they know)"
                    )
                    self.emit("success-status-added", Severity.BREAKING, message, node)
                else:
                    self.emit("response-status-added", Severity.COMPATIBLE, f"new response {code}", node)
        for code, old_node in old_codes.items():
            if code not in new_codes:
                continue
            old_response = self.context.old.resolve(old_node)
            new_response = self.context.new.resolve(new_codes[code])
            old_media, new_media = old_response.mapping("content"), new_response.mapping("content")
            breaking = _success(code)
            for media_type, node in old_media.items():
                if media_type not in new_media:
                    self.emit(
                        "response-media-type-removed",
                        Severity.BREAKING if breaking else Severity.COMPATIBLE,
                        f"response {code}: media type {media_type} removed",
                        node,
                        "old",
                    )
            for media_type, node in new_media.items():
                if media_type not in old_media:
                    self.emit(
                        "response-media-type-added",
                        Severity.COMPATIBLE,
                        f"response {code}: media type {media_type} added",
                        node,
                    )
                else:
                    old_schema, new_schema = old_media[media_type].get("schema"), node.get("schema")
                    if old_schema is not None and new_schema is not None:
                        schemas.compare(old_schema, new_schema, f"response {code} body")
            self.headers(code, old_response, new_response, schemas)

    def headers(self, code: str, old: Node, new: Node, schemas: SchemaComparer) -> None:
        old_headers = {k.lower(): v for k, v in old.mapping("headers").items()}
        new_headers = {k.lower(): v for k, v in new.mapping("headers").items()}
        for name, node in old_headers.items():
            if name not in new_headers:
                required = bool(self.context.old.resolve(node).value.get("required"))
                severity = Severity.BREAKING if required else Severity.COMPATIBLE
                self.emit(
                    "response-header-removed",
                    severity,
                    f"response {code}: header {name} removed",
                    node,
                    "old",
                )
        for name, node in new_headers.items():
            if name not in old_headers:
                self.emit(
                    "response-header-added", Severity.COMPATIBLE, f"response {code}: new header {name}", node
                )
                continue
            old_header = self.context.old.resolve(old_headers[name])
            new_header = self.context.new.resolve(node)
            if old_header.value.get("required") and not new_header.value.get("required"):
                self.emit(
                    "response-header-became-optional",
                    Severity.BREAKING,
                    f"response {code}: header {name} optional",
                    node,
                )
            old_schema, new_schema = old_header.get("schema"), new_header.get("schema")
            if old_schema is not None and new_schema is not None:
                schemas.compare(old_schema, new_schema, f"response {code} header {name}")

    # -- security ---------------------------------------------------------------------------------------

    def security(self, old_op: Node, new_op: Node) -> None:
        old_node = old_op.get("security") or self.context.old.root.get("security")
        new_node = new_op.get("security") or self.context.new.root.get("security")
        before, after = _requirements(old_node), _requirements(new_node)
        if before == after:
            return
        here = new_node or new_op
        anonymous_before = not before or frozenset() in before
        for schemes, scopes in after.items():
            if not schemes:
                continue
            old_scopes = before.get(schemes)
            names = "+".join(sorted(schemes))
            if old_scopes is None:
                severity = Severity.BREAKING if anonymous_before or not before else Severity.COMPATIBLE
                message = (
                    f"security: {names} now required" if anonymous_before else f"security: {names} accepted"
                )
                self.emit("security-requirement-added", severity, message, here)
                continue
            for scope in sorted(scopes - old_scopes):
                self.emit(
                    "security-scope-added", Severity.BREAKING, f"security: {names} needs scope {scope}", here
                )
            for scope in sorted(old_scopes - scopes):
                self.emit(
                    "security-scope-removed",
                    Severity.COMPATIBLE,
                    f"security: {names} no longer needs {scope}",
                    here,
                )
        for schemes in before:
            if schemes and schemes not in after:
                names = "+".join(sorted(schemes))
                self.emit(
                    "security-requirement-removed",
                    Severity.BREAKING,
                    f"security: {names} no longer accepted",
                    here,
                )
        if frozenset() in after and frozenset() not in before and before:
            self.emit(
                "security-anonymous-allowed", Severity.COMPATIBLE, "security: anonymous access allowed", here
            )


def _requirements(node: Node | None) -> dict[frozenset[str], frozenset[str]]:
    """`security` as {scheme names of one alternative: the scopes they need}."""
    result: dict[frozenset[str], frozenset[str]] = {}
    if node is None or not isinstance(node.value, list):
        return result
    for alternative in node.value:
        if isinstance(alternative, dict):
            scopes = frozenset(
                f"{k}:{s}" if len(alternative) > 1 else str(s)
                for k, v in alternative.items()
                for s in v or ()
            )
            result[frozenset(str(k) for k in alternative)] = scopes
    return result


def _name(node: Node) -> str:
    return f"{node.value.get('name')} ({node.value.get('in')})"


def _required(node: Node) -> bool:
    return bool(node.value.get("required")) or node.value.get("in") == "path"


def _success(code: str) -> bool:
    return code.startswith("2")
