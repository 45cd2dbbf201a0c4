"""Rules on responses and request bodies: success schema, the standard error body, examples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text
from renkei.loading.walk import OperationNode

Findings = Iterator[tuple[Pointer, Text]]

ERROR_SCHEMA = "ErrorResponse"
_NO_BODY = {"204", "205", "304"}


def _is_success(code: str) -> bool:
    return code.startswith("2")


def _is_error(code: str) -> bool:
    return code == "default" or code[:1] in ("4", "5")


@rule(
    "success-response-schema",
    Severity.ERROR,
    "every operation has a 2xx response with a JSON schema",
    ja="すべての操作に JSON スキーマ付きの 2xx 応答がある",
)
def success_response_schema(document: Document) -> Findings:
    for operation in document.operations():
        successes = [response for response in document.responses(operation) if _is_success(response.code)]
        if not successes:
            yield (
                (*operation.pointer, "responses"),
                Text(
                    f"{operation.label} has no 2xx response", f"{operation.label} に 2xx の応答がありません"
                ),
            )
            continue
        for response in successes:
            if response.code in _NO_BODY:
                continue
            media_types = document.json_media(response.node, response.pointer)
            if not any(isinstance(media.get("schema"), dict) and media["schema"] for media, _ in media_types):
                yield (
                    response.pointer,
                    Text(
                        f"{response.label} has no application/json schema",
                        f"{response.label_ja} に application/json のスキーマがありません",
                    ),
                )


@rule(
    "error-response-body",
    Severity.ERROR,
    f"every 4xx/5xx/default response has an application/json body with the `{ERROR_SCHEMA}` schema",
    ja="4xx/5xx/default の応答はすべて `ErrorResponse` スキーマの application/json 本文を持つ",
)
def error_response_body(document: Document) -> Findings:
    for operation in document.operations():
        for response in document.responses(operation):
            if not _is_error(response.code):
                continue
            media_types = list(document.json_media(response.node, response.pointer))
            if not media_types:
                yield (
                    response.pointer,
                    Text(
                        f"{response.label} has no application/json {ERROR_SCHEMA} body",
                        f"{response.label_ja} に application/json の {ERROR_SCHEMA} 本文がありません",
                    ),
                )
                continue
            for media, media_pointer in media_types:
                if document.ref_name(media.get("schema")) != ERROR_SCHEMA:
                    yield (
                        (*media_pointer, "schema") if "schema" in media else media_pointer,
                        Text(
                            f"{response.label}: the body is not the standard {ERROR_SCHEMA}",
                            f"{response.label_ja}: 本文が標準の {ERROR_SCHEMA} ではありません",
                        ),
                    )


def _has_example(media: dict[str, Any]) -> bool:
    return "example" in media or bool(media.get("examples"))


def _json_bodies(
    document: Document, operation: OperationNode
) -> Iterator[tuple[Text, dict[str, Any], Pointer]]:
    for response in document.responses(operation):
        if _is_success(response.code):
            for media, media_pointer in document.json_media(response.node, response.pointer):
                yield Text(response.label, response.label_ja), media, media_pointer
    body = document.request_body(operation)
    if body is not None:
        for media, media_pointer in document.json_media(*body):
            yield (
                Text(f"{operation.label}: request body", f"{operation.label}: 要求本文"),
                media,
                media_pointer,
            )


@rule(
    "operation-example",
    Severity.ERROR,
    "the 2xx JSON response and the JSON request body of every operation have an example",
    ja="すべての操作の 2xx JSON 応答と JSON 要求本文に例がある",
)
def operation_example(document: Document) -> Findings:
    for operation in document.operations():
        for what, media, pointer in _json_bodies(document, operation):
            if not _has_example(media):
                yield pointer, Text(f"{what.en} has no example", f"{what.ja} に例がありません")
