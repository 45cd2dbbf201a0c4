"""Typed errors for non-2xx responses, carrying the decoded standard error body."""

from __future__ import annotations

from typing import ClassVar

import httpx
import pydantic

from renkei_runtime.client._retry import parse_retry_after

_MAX_TEXT_IN_MESSAGE = 200


class ErrorDetail(pydantic.BaseModel):
    """One entry of `errorDetails` in the standard error body."""

    model_config = pydantic.ConfigDict(extra="allow")

    errorDetailsCode: str
    errorDetailsMessage: str
    errorDetailsField: str | None = None


class ErrorBody(pydantic.BaseModel):
    """The standard error body `{errorCode, errorMessage, errorDetails?}` of every non-2xx response."""

    model_config = pydantic.ConfigDict(extra="allow")

    errorCode: str
    errorMessage: str
    errorDetails: list[ErrorDetail] | None = None


def decode_error_body(response: httpx.Response) -> ErrorBody | None:
    """The standard error body of `response`, or None when the body is not one (HTML, text, other JSON)."""
    try:
        return ErrorBody.model_validate_json(response.content)
    except pydantic.ValidationError:
        return None


class ApiError(Exception):
    """A non-2xx response. `error` is the decoded standard error body, or None when the body is not one."""

    status: ClassVar[int | None] = None

    status_code: int
    error: ErrorBody | None
    response: httpx.Response

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.error = decode_error_body(response)
        super().__init__(self._describe())

    @property
    def retry_after(self) -> float | None:
        """The response's `Retry-After` in seconds from now, or None when it has none (or an invalid one)."""
        return parse_retry_after(self.response.headers.get("Retry-After"))

    def _describe(self) -> str:
        request = self.response.request
        head = f"{request.method} {request.url} -> {self.status_code} {self.response.reason_phrase}".rstrip()
        if self.error is not None:
            text = f"{head}: {self.error.errorCode}: {self.error.errorMessage}"
            details = [
                f"{detail.errorDetailsField}: {detail.errorDetailsMessage}"
                if detail.errorDetailsField
                else detail.errorDetailsMessage
                for detail in self.error.errorDetails or []
            ]
            return f"{text} ({'; '.join(details)})" if details else text
        text = self.response.text.strip()
        if not text:
            return head
        if len(text) > _MAX_TEXT_IN_MESSAGE:
            text = text[:_MAX_TEXT_IN_MESSAGE] + "..."
        return f"{head}: {text}"


class BadRequestError(ApiError):
    status = 400


class UnauthorizedError(ApiError):
    status = 401


class ForbiddenError(ApiError):
    status = 403


class NotFoundError(ApiError):
    status = 404


class ConflictError(ApiError):
    status = 409


class UnprocessableEntityError(ApiError):
    status = 422


class RateLimitedError(ApiError):
    status = 429


class ServerError(ApiError):
    """Any 5xx response."""


_BY_STATUS: dict[int, type[ApiError]] = {
    cls.status: cls
    for cls in (
        BadRequestError,
        UnauthorizedError,
        ForbiddenError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitedError,
    )
    if cls.status is not None
}


def error_class_for_status(status_code: int) -> type[ApiError]:
    """The ApiError subclass raised for `status_code`."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, ApiError)


def error_for_response(response: httpx.Response) -> ApiError:
    """The typed error for a non-2xx `response` (its body must have been read)."""
    return error_class_for_status(response.status_code)(response)
