"""Domain errors; the API adapters turn them into the standard error body."""

from __future__ import annotations

from renkei_sandbox.access import AccessPrincipal

_NOT_FOUND = "指定されたリソースが見つかりません。"


class ServiceError(Exception):
    status_code = 400
    default_code = "invalid_request"

    def __init__(self, message: str, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field


class InvalidRequest(ServiceError):
    status_code = 400
    default_code = "invalid_request"


class NotFound(ServiceError):
    """Also the answer for anything outside the token's consent or bank: existence is never revealed."""

    status_code = 404
    default_code = "not_found"


class Denied(NotFound):
    """A resource that exists but lies outside the principal's consent (another customer's, bank's or
    client's, or not shared): answered exactly like an unknown one, and written to the audit trail."""

    def __init__(self, principal: AccessPrincipal, resource: str, reason: str) -> None:
        super().__init__(_NOT_FOUND)
        self.principal = principal
        self.resource = resource
        self.reason = reason


class Conflict(ServiceError):
    status_code = 409
    default_code = "conflict"


class Unprocessable(ServiceError):
    status_code = 422
    default_code = "unprocessable_entity"


ERRORS_BY_STATUS: dict[int, type[ServiceError]] = {
    cls.status_code: cls for cls in (InvalidRequest, NotFound, Conflict, Unprocessable)
}


def not_found() -> NotFound:
    return NotFound(_NOT_FOUND)
