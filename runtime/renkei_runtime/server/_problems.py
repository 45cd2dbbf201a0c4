"""The standard error body and the exception services raise to produce it."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from renkei_runtime.server._response import JSON, RawResponse

__all__ = ["ApiProblem", "ErrorBody", "Reply", "error_body", "problem_response"]


class ApiProblem(Exception):
    """Raise from a service method (or the machinery) to answer with the standard error body."""

    def __init__(
        self,
        status: int,
        error_code: str,
        message: str,
        details: Sequence[Mapping[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message
        self.details = list(details) if details else None
        self.headers = dict(headers) if headers else {}


@dataclass(frozen=True, slots=True)
class Reply:
    """A service result with a status other than the first declared 2xx, or with extra headers."""

    body: Any
    status_code: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def error_body(error_code: str, message: str, details: Sequence[Mapping[str, str]] | None = None) -> bytes:
    """`{"errorCode", "errorMessage", "errorDetails"?}` as UTF-8 JSON."""
    body: dict[str, Any] = {"errorCode": error_code, "errorMessage": message}
    if details:
        body["errorDetails"] = [dict(d) for d in details]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


ErrorBody = Callable[[ApiProblem], Any]
"""A problem -> the JSON body in the spec's own error shape (generated per error schema, overridable)."""


def problem_response(problem: ApiProblem, interaction_id: str, shape: ErrorBody | None = None) -> RawResponse:
    """The problem as a response: the standard body, or `shape`'s (falling back to the standard body when
    `shape` fails: an error answer never becomes a 500 of its own)."""
    if shape is None:
        body = error_body(problem.error_code, problem.message, problem.details)
    else:
        try:
            body = json.dumps(shape(problem), ensure_ascii=False, separators=(",", ":")).encode()
        except Exception:
            body = error_body(problem.error_code, problem.message, problem.details)
    return RawResponse(body, problem.status, interaction_id, JSON, problem.headers)
