"""What a service method learns about the caller: the verified token and the request context."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from starlette.requests import Request

__all__ = ["RequestContext", "RequestTokenVerifier", "TokenVerifier", "VerifiedToken"]


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    """An access token the verifier accepted."""

    subject: str | None
    """The customer (None for a client-credentials token)."""
    client_id: str
    scopes: frozenset[str]
    bank_code: str | None = None
    """The bank at which the customer consented (None when not bank-bound)."""
    extra: Mapping[str, Any] = field(default_factory=dict)


class TokenVerifier(Protocol):
    """Pluggable token check: return the verified token, or None when the token is not valid."""

    async def verify(self, token: str) -> VerifiedToken | None: ...


@runtime_checkable
class RequestTokenVerifier(Protocol):
    """A token check that also sees the auth scheme (`bearer` or `dpop`, lower case) and the request: for
    sender-constrained tokens (RFC 9449 DPoP proofs, `cnf.jkt`). It may raise `ApiProblem` (401 with its own
    `WWW-Authenticate`, e.g. `DPoP error="invalid_dpop_proof"`) instead of returning None."""

    async def verify(self, token: str) -> VerifiedToken | None: ...

    async def verify_request(self, token: str, scheme: str, request: Request) -> VerifiedToken | None: ...


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Passed as `ctx` to every service method."""

    interaction_id: str
    token: VerifiedToken | None
    """None only for operations that need no authentication (`security: []`)."""
    request: Request

    @property
    def subject(self) -> str | None:
        return self.token.subject if self.token else None

    @property
    def client_id(self) -> str | None:
        return self.token.client_id if self.token else None

    @property
    def scopes(self) -> frozenset[str]:
        return self.token.scopes if self.token else frozenset()

    @property
    def bank_code(self) -> str | None:
        return self.token.bank_code if self.token else None
