"""Runtime of generated API clients: base clients on httpx with retries, auth, typed errors and pagination.

Generated `client.py` modules subclass `BaseClient` and `BaseAsyncClient`.
"""

from renkei_runtime.client._auth import BearerTokenAuth, OAuth2TokenAuth, TokenRefreshError, TokenSet
from renkei_runtime.client._base import BaseAsyncClient, BaseClient
from renkei_runtime.client._errors import (
    ApiError,
    BadRequestError,
    ConflictError,
    ErrorBody,
    ErrorDetail,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnauthorizedError,
    UnprocessableEntityError,
    error_class_for_status,
    error_for_response,
)
from renkei_runtime.client._forms import form_data, multipart_parts
from renkei_runtime.client._idempotency import new_idempotency_key
from renkei_runtime.client._pagination import PaginationLoopError, aiterate_pages, iterate_pages
from renkei_runtime.client._retry import NO_RETRY, RetryPolicy, parse_retry_after
from renkei_runtime.client._token_file import TokenFile, TokenFileError
from renkei_runtime.client._wire import wire_text

__all__ = [
    "NO_RETRY",
    "ApiError",
    "BadRequestError",
    "BaseAsyncClient",
    "BaseClient",
    "BearerTokenAuth",
    "ConflictError",
    "ErrorBody",
    "ErrorDetail",
    "ForbiddenError",
    "NotFoundError",
    "OAuth2TokenAuth",
    "PaginationLoopError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "TokenFile",
    "TokenFileError",
    "TokenRefreshError",
    "TokenSet",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "aiterate_pages",
    "error_class_for_status",
    "error_for_response",
    "form_data",
    "iterate_pages",
    "multipart_parts",
    "new_idempotency_key",
    "parse_retry_after",
    "wire_text",
]
