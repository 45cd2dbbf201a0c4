"""Small formatting helpers the templates call (exposed as Jinja globals and filters)."""

from __future__ import annotations

import json
from typing import Any

from renkei.ir.model import Api, Operation, Parameter
from renkei.render.docstrings import client_doc, docstring, operation_doc

__all__ = ["FILTERS", "HELPERS"]


def pyrepr(value: Any) -> str:
    """A Python literal: strings as JSON (double quotes, non-ASCII kept), the rest via repr."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(pyrepr(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def optional_hint(hint: str) -> str:
    return hint if hint.endswith("| None") or hint in ("typing.Any", "None") else f"{hint} | None"


def service_param(p: Parameter) -> str:
    if p.required:
        return f"{p.python_name}: {p.type_hint}"
    if p.default is not None:
        return f"{p.python_name}: {p.type_hint} = {p.default}"
    return f"{p.python_name}: {optional_hint(p.type_hint)} = None"


def client_param(p: Parameter) -> str:
    idempotency_key = p.location == "header" and p.wire_name.lower() == "idempotency-key"
    if p.required and not idempotency_key:
        return f"{p.python_name}: {p.type_hint}"
    return f"{p.python_name}: {optional_hint(p.type_hint)} = None"


def params_field(p: Parameter) -> str:
    if p.required:
        return f"{p.python_name}: {p.validated_hint}"
    if p.default is not None:
        return f"{p.python_name}: {p.validated_hint} = {p.default}"
    return f"{p.python_name}: {optional_hint(p.validated_hint)} = None"


def body_param(op: Operation, kind: str = "service") -> str:
    body = op.request_body
    if body is None:
        return ""
    hint = body.type_hint if kind == "service" else body.client_hint
    return f"body: {hint}" if body.required else f"body: {optional_hint(hint)} = None"


def signature(op: Operation, kind: str, *, skip: tuple[str, ...] = ()) -> str:
    """The keyword-only part of a service (`kind="service"`) or client method signature."""
    render = service_param if kind == "service" else client_param
    required = [p for p in op.parameters if p.python_name not in skip and render(p).find("=") < 0]
    optional = [p for p in op.parameters if p.python_name not in skip and render(p).find("=") >= 0]
    parts = [render(p) for p in required]
    body = body_param(op, kind)
    if body and op.request_body is not None and op.request_body.required:
        parts.append(body)
        body = ""
    parts += [render(p) for p in optional]
    if body:
        parts.append(body)
    return (", *, " + ", ".join(parts)) if parts else ""


def call_args(op: Operation, source: str = "", *, skip: tuple[str, ...] = ()) -> str:
    """`name=name, ...` (or `name=source.name`) for every parameter and the body."""
    prefix = f"{source}." if source else ""
    parts = [f"{p.python_name}={prefix}{p.python_name}" for p in op.parameters if p.python_name not in skip]
    if op.request_body is not None:
        parts.append("body=body")
    return ", ".join(parts)


def constant(op: Operation) -> str:
    return "_" + op.python_name.upper().strip("_")


def status_code(op: Operation) -> int:
    return op.success.status_code or 200


def security_literal(op: Operation) -> str:
    alternatives = tuple(req.schemes for req in op.security)
    return pyrepr(tuple(tuple((name, tuple(scopes)) for name, scopes in alt) for alt in alternatives))


def route_order(api: Api) -> list[Operation]:
    """Literal path segments before templated ones, so `/cards/summary` wins over `/cards/{cardId}`."""

    def key(op: Operation) -> list[tuple[int, str]]:
        return [(1, "") if seg.startswith("{") else (0, seg) for seg in op.route_path.split("/")]

    return sorted(api.operations, key=key)


def uses(api: Api, needle: str) -> bool:
    """Whether any type hint of the API mentions `needle` (decides imports)."""
    for op in api.operations:
        hints = [p.validated_hint for p in op.parameters] + [r.type_hint for r in op.responses]
        if op.request_body is not None:
            hints.append(op.request_body.type_hint)
        if op.pagination is not None:
            hints.append(op.pagination.item_type)
        if any(needle in h for h in hints):
            return True
    return False


def path_expression(op: Operation) -> str:
    """An f-string building the request path with quoted parameters."""
    path = op.path.replace("{", "{{").replace("}", "}}")
    for p in op.parameters:
        if p.location == "path":
            path = path.replace("{{" + p.wire_name + "}}", "{_path(" + p.python_name + ")}")
    return "f" + json.dumps(path, ensure_ascii=False) if "{_path(" in path else json.dumps(op.path)


def body_kinds(api: Api) -> set[str]:
    """The kinds of request body (`json`, `form`, `multipart`, `bytes`) the API's operations take."""
    return {op.request_body.kind for op in api.operations if op.request_body is not None}


def _query_helpers(shape: str, style: str | None, explode: bool) -> set[str]:
    """The client helper a query parameter's encoding calls (the branches of client.py.jinja's `request`)."""
    if shape == "object":
        return {"_deep"} if style == "deepObject" else set() if explode else {"_joined"}
    if shape == "array" and not (explode and style == "form"):
        return {"_joined"}
    return set()


def client_helpers(api: Api) -> frozenset[str]:
    """The private encoding helpers (`_path`, `_joined`, `_deep`, `_cookies`) some operation of the client
    calls: only those are emitted."""
    used: set[str] = set()
    for op in api.operations:
        for p in op.parameters:
            if p.location == "path":
                used.add("_path")
            elif p.location == "query":
                used |= _query_helpers(p.shape, p.style, p.explode)
            elif p.location == "header" and p.shape == "array":
                used.add("_joined")
            elif p.location == "cookie":
                used.add("_cookies")
    return frozenset(used)


HELPERS = {
    "client_helpers": client_helpers,
    "body_kinds": body_kinds,
    "operation_doc": operation_doc,
    "client_doc": client_doc,
    "signature": signature,
    "call_args": call_args,
    "constant": constant,
    "status_code": status_code,
    "security_literal": security_literal,
    "route_order": route_order,
    "uses": uses,
    "params_field": params_field,
    "path_expression": path_expression,
}


def tomlstr(value: object) -> str:
    """A TOML basic string (JSON's string escapes are TOML's)."""
    import json

    return json.dumps(str(value), ensure_ascii=False)


FILTERS = {"docstring": docstring, "pyrepr": pyrepr, "tomlstr": tomlstr}
