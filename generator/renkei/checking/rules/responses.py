"""Rules on responses and request bodies: success schema, the standard error body, examples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.walk import OperationNode

Findings = Iterator[tuple[Pointer, str]]

ERROR_SCHEMA = "ErrorResponse"
_NO_BODY = {"204", "205", "304"}


def _is_success(code: str) -> bool:
    return code.startswith("2")


def _is_error(code: str) -> bool:
    return code == "default" or code[:1] in ("4", "5")


@rule("success-response-schema", Severity.ERROR, "every operation has a 2xx response with a JSON schema")
def success_response_schema(document: Document) -> Findings:
    for operation in document.operations():
        successes = [response for response in document.responses(operation) if _is_success(response.code)]
        if not successes:
            yield (*operation.pointer, "responses"), f"{operation.label} has no 2xx response"
            continue
        for response in successes:
            if response.code in _NO_BODY:
                continue
            media_types = document.json_media(response.node, response.pointer)
            if not any(isinstance(media.get("schema"), dict) and media["schema"] for media, _ in media_types):
                yield response.pointer, f"{response.label} has no application/json schema"


@rule(
    "error-response-body",
    Severity.ERROR,
    f"every 4xx/5xx/default response has an application/json body with the `{ERROR_SCHEMA}` schema",
)
def error_response_body(document: Document) -> Findings:
    for operation in document.operations():
        for response in document.responses(operation):
            if not _is_error(response.code):
                continue
            media_types = list(document.json_media(response.node, response.pointer))
            if not media_types:
                yield response.pointer, f"{response.label} has no application/json {ERROR_SCHEMA} body"
                continue
            for media, media_pointer in media_types:
                if document.ref_name(media.get("schema")) != ERROR_SCHEMA:
                    yield (
                        (*media_pointer, "schema") if "schema" in media else media_pointer,
                        f"{response.label}: the body is not the standard {ERROR_SCHEMA}",
                    )


def _has_example(media: dict[str, Any]) -> bool:
    return "example" in media or bool(media.get("examples"))


def _json_bodies(
    document: Document, operation: OperationNode
) -> Iterator[tuple[str, dict[str, Any], Pointer]]:
    for response in document.responses(operation):
        if _is_success(response.code):
            for media, media_pointer in document.json_media(response.node, response.pointer):
                yield response.label, media, media_pointer
    body = document.request_body(operation)
    if body is not None:
        for media, media_pointer in document.json_media(*body):
            yield f"{operation.label}: request body", media, media_pointer


@rule(
    "operation-example",
    Severity.ERROR,
    "the 2xx JSON response and the JSON request body of every operation have an example",
)
def operation_example(document: Document) -> Findings:
    for operation in document.operations():
        for what, media, pointer in _json_bodies(document, operation):
            if not _has_example(media):
                yield pointer, f"{what} has no example"
