"""The checks every authorization request passes, pushed (PAR) or not: response type, PKCE, scope, bank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from renkei_sandbox.db.models import Bank
from renkei_sandbox.oauth.pkce import is_valid_challenge
from renkei_sandbox.oauth.scopes import parse_scope


@dataclass(frozen=True)
class RequestParams:
    """The validated parts of an authorization request besides client and redirect URI."""

    scope: str
    state: str | None
    code_challenge: str
    bank_code: str | None


def check_request_params(session: Session, params: Mapping[str, str]) -> RequestParams | tuple[str, str]:
    """The validated request, or an (error, description) pair of RFC 6749 §4.1.2.1."""
    if params.get("response_type") != "code":
        return ("unsupported_response_type", "response_type must be code")
    if params.get("code_challenge_method") != "S256":
        return ("invalid_request", "code_challenge_method must be S256")
    challenge = params.get("code_challenge")
    if not is_valid_challenge(challenge):
        return ("invalid_request", "code_challenge must be a base64url SHA-256 value (43 characters)")
    scopes = parse_scope(params.get("scope"))
    if scopes is None:
        return ("invalid_scope", "scope is missing or names an unknown scope")
    bank_code = params.get("bank_code") or None
    if bank_code is not None and not _is_servable_bank(session, bank_code):
        return ("invalid_request", "bank_code is not a bank served by this provider")
    return RequestParams(" ".join(scopes), params.get("state"), challenge or "", bank_code)


def _is_servable_bank(session: Session, bank_code: str) -> bool:
    bank = session.get(Bank, bank_code)
    return bank is not None and not bank.is_federation
