"""Rules on each operation: id, summary, description, tags, security."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from renkei.checking.document import Document, Pointer
from renkei.checking.findings import Severity
from renkei.checking.registry import rule
from renkei.loading.text import Text

Findings = Iterator[tuple[Pointer, Text]]


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


@rule(
    "operation-id",
    Severity.ERROR,
    "every operation has an operationId, unique in the document (the generated method names)",
    ja="すべての操作に文書内で一意の operationId がある (生成されるメソッド名になる)",
    group="semantic",
)
def operation_id(document: Document) -> Findings:
    first_use: dict[str, str] = {}
    for operation in document.operations():
        value = operation.node.get("operationId")
        if not isinstance(value, str) or not value.strip():
            yield (
                operation.pointer,
                Text(
                    f"{operation.label} has no operationId (the generated method is named after it)",
                    f"{operation.label} に operationId がありません (生成されるメソッド名になります)",
                ),
            )
            continue
        if value in first_use:
            yield (
                (*operation.pointer, "operationId"),
                Text(
                    f"{operation.label}: operationId {value!r} is already used by {first_use[value]}",
                    f"{operation.label}: operationId {value!r} は {first_use[value]} で使われています",
                ),
            )
        else:
            first_use[value] = operation.label


@rule(
    "operation-summary", Severity.ERROR, "every operation has a summary", ja="すべての操作に summary がある"
)
def operation_summary(document: Document) -> Findings:
    for operation in document.operations():
        if not _text(operation.node.get("summary")):
            yield (
                operation.pointer,
                Text(f"{operation.label} has no summary", f"{operation.label} に summary がありません"),
            )


@rule(
    "operation-description",
    Severity.ERROR,
    "every operation has a description",
    ja="すべての操作に description がある",
)
def operation_description(document: Document) -> Findings:
    for operation in document.operations():
        if not _text(operation.node.get("description")):
            yield (
                operation.pointer,
                Text(
                    f"{operation.label} has no description", f"{operation.label} に description がありません"
                ),
            )


@rule(
    "operation-tag",
    Severity.ERROR,
    "every operation has at least one tag",
    ja="すべての操作にタグが1つ以上ある",
)
def operation_tag(document: Document) -> Findings:
    for operation in document.operations():
        tags = operation.node.get("tags")
        if not isinstance(tags, list) or not tags:
            yield (
                operation.pointer,
                Text(f"{operation.label} has no tag", f"{operation.label} にタグがありません"),
            )


@rule(
    "tag-declared",
    Severity.WARNING,
    "every tag an operation uses is declared in the top-level `tags`",
    ja="操作が使うタグが最上位の `tags` で宣言されている",
)
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
                    Text(
                        f"{operation.label}: tag {tag!r} is not declared in `tags`",
                        f"{operation.label}: タグ {tag!r} が `tags` で宣言されていません",
                    ),
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
    ja="すべての操作に、定義済みのスキームとそのスキームが定義するスコープを指定したセキュリティ要件がある",
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
            yield (
                operation.pointer,
                Text(
                    f"{operation.label} has no security requirement",
                    f"{operation.label} にセキュリティ要件がありません",
                ),
            )
            continue
        if security == [] and operation.node.get("x-public") is True:
            continue  # a deliberately public operation (e.g. the bank directory), marked as such
        if not isinstance(security, list) or not security:
            yield (
                pointer,
                Text(
                    f"{operation.label}: `security: []` makes it public; the standard requires OAuth 2.0"
                    " (mark a deliberately public operation with `x-public: true`)",
                    f"{operation.label}: `security: []` は認可なしの公開になります。"
                    "標準は OAuth 2.0 を求めます (意図して公開する操作には `x-public: true` を付けます)",
                ),
            )
            continue
        for index, requirement in enumerate(security):
            where = (*pointer, index)
            if not isinstance(requirement, dict) or not requirement:
                yield (
                    where,
                    Text(
                        f"{operation.label}: an empty security requirement makes it public",
                        f"{operation.label}: 空のセキュリティ要件は認可なしの公開になります",
                    ),
                )
                continue
            for name, scopes in requirement.items():
                scheme, _ = document.resolve(schemes.get(name), ("components", "securitySchemes", name))
                if scheme is None:
                    yield (
                        where,
                        Text(
                            f"{operation.label}: security scheme {name!r} is not defined",
                            f"{operation.label}: セキュリティスキーム {name!r} が定義されていません",
                        ),
                    )
                    continue
                defined = _scheme_scopes(scheme)
                if defined is None:
                    continue
                if not isinstance(scopes, list) or not scopes:
                    yield (
                        where,
                        Text(
                            f"{operation.label}: requirement {name!r} names no scope",
                            f"{operation.label}: 要件 {name!r} にスコープがありません",
                        ),
                    )
                    continue
                for scope in scopes:
                    if scope not in defined:
                        yield (
                            where,
                            Text(
                                f"{operation.label}: scope {scope!r} is not defined by scheme {name!r}",
                                f"{operation.label}: スコープ {scope!r} はスキーム {name!r} で"
                                "定義されていません",
                            ),
                        )
