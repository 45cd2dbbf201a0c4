"""RFC 6749 §5.2 error responses."""

from __future__ import annotations


class OAuthError(Exception):
    """An error answered as `{"error": ..., "error_description": ...}`."""

    def __init__(
        self, error: str, description: str, status_code: int = 400, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status_code = status_code
        self.headers = headers or {}


def invalid_client(description: str = "client authentication failed") -> OAuthError:
    return OAuthError("invalid_client", description, 401)


def invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)
