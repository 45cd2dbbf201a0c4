"""Docstrings of generated methods, written from the operation's summary, description and parameters."""

from __future__ import annotations

from typing import Any

from renkei.ir.model import Operation

__all__ = ["client_doc", "docstring", "operation_doc"]

DEPRECATED = "Deprecated: the API marks this operation as deprecated; it may be removed in a later version."


def docstring(text: Any, indent: str = "") -> str:
    """Text made safe inside a triple-quoted docstring."""
    if not text:
        return ""
    cleaned = str(text).strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if cleaned.endswith('"'):
        cleaned += " "
    return ("\n" + indent).join(line.rstrip() for line in cleaned.splitlines())


def _head(op: Operation) -> str:
    """`GET /path (operationId): summary`."""
    return f"{op.method} {op.path} ({op.operation_id})" + (f": {op.summary}" if op.summary else "")


def _paragraphs(op: Operation) -> list[str]:
    found = [text for text in (op.description, DEPRECATED if op.deprecated else None) if text]
    return [str(text).strip() for text in found]


def _security(op: Operation) -> str | None:
    if not op.security:
        return None
    alternatives = [
        " + ".join(f"{name}({', '.join(scopes)})" for name, scopes in req.schemes) or "none"
        for req in op.security
    ]
    return "Security: " + " or ".join(alternatives)


def _indented(text: str, first: str, rest: str) -> str:
    lines = text.strip().splitlines()
    return "\n".join([first + lines[0].strip(), *(rest + line.strip() for line in lines[1:])])


def _entry(name: str, text: str | None) -> str | None:
    """`    name: text` with continuation lines indented under it; None when there is no text."""
    if not text or not str(text).strip():
        return None
    return _indented(str(text), f"    {name}: ", "        ")


def client_doc(op: Operation, indent: str) -> str:
    """Google-style: the head line, the description, deprecation, `Args:` (parameters and body with a
    description) and `Returns:` (the first 2xx response's description)."""
    blocks = [_head(op), *_paragraphs(op)]
    args = [_entry(p.python_name, p.description) for p in op.parameters]
    if op.request_body is not None:
        args.append(_entry("body", op.request_body.description))
    documented = [entry for entry in args if entry]
    if documented:
        blocks.append("Args:\n" + "\n".join(documented))
    returned = op.success.description
    if returned and str(returned).strip() and op.success.kind != "empty":
        blocks.append("Returns:\n" + _indented(str(returned), "    ", "        "))
    text = docstring("\n\n".join(blocks), indent)
    return text + f"\n{indent}" if len(blocks) > 1 else text


def operation_doc(op: Operation, indent: str) -> str:
    """The service method's docstring: the head line, the description, deprecation and the security
    alternatives."""
    blocks = [_head(op), *_paragraphs(op)]
    security = _security(op)
    if security:
        blocks.append(security)
    text = docstring("\n\n".join(blocks), indent)
    return text + f"\n{indent}" if len(blocks) > 1 else text
