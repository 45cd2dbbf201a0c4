"""pydantic validation errors -> the standard 400 body with one detail per problem."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from renkei_runtime.server._problems import ApiProblem

__all__ = ["invalid_request"]


def invalid_request(
    error: ValidationError, prefix: str, labels: Mapping[str, str] | None = None
) -> ApiProblem:
    """`labels` maps a params-model field name to its label (`query.limit`); body fields get `prefix`."""
    details = []
    for item in error.errors(include_url=False, include_input=False, include_context=False)[:20]:
        loc = [str(part) for part in item["loc"]]
        if labels and loc and loc[0] in labels:
            field = ".".join([labels[loc[0]], *loc[1:]])
        else:
            field = ".".join([prefix, *loc]) if loc else prefix
        details.append(
            {"errorDetailsCode": item["type"], "errorDetailsMessage": item["msg"], "errorDetailsField": field}
        )
    return ApiProblem(400, "invalid_request", "要求の内容が正しくありません。", details)
