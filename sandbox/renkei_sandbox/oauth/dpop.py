"""Checking DPoP proofs (RFC 9449 §4.3) at the token, PAR and resource endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from renkei_sandbox.oauth.jose import (
    ALLOWED_ALGORITHMS,
    JoseInvalid,
    parse_unverified,
    public_key_from_jwk,
    verify_signature,
)
from renkei_sandbox.oauth.jose import thumbprint as jwk_thumbprint
from renkei_sandbox.oauth.nonces import current_nonce, nonce_is_valid
from renkei_sandbox.oauth.replay import MAX_JTI_LENGTH, first_use

DPOP_IAT_WINDOW_SECONDS = 60
"""A proof's `iat` may be this far in the past or the future (the suite: ±10 s accepted, ±1 h refused)."""
ALGS_CHALLENGE = " ".join(ALLOWED_ALGORITHMS)


class DPoPError(Exception):
    """`invalid_dpop_proof`, or `use_dpop_nonce` (then `nonce` is the value the client must use)."""

    def __init__(self, error: str, description: str, nonce: str | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.nonce = nonce


def _invalid(description: str) -> DPoPError:
    return DPoPError("invalid_dpop_proof", description)


def normalized_htu(url: str) -> str:
    """Scheme and host lower-cased, default port dropped, query and fragment removed (RFC 9449 §4.3 (9),
    RFC 3986 §6.2.2/§6.2.3)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and not (scheme == "https" and port == 443) and not (scheme == "http" and port == 80):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path or "/", "", ""))


def access_token_hash(access_token: str) -> str:
    """`ath`: base64url(SHA-256(access token)) without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class CheckedProof:
    jkt: str
    """RFC 7638 thumbprint of the proof's key."""


def check_proof(
    session: Session,
    headers: Sequence[str],
    method: str,
    url: str,
    *,
    access_token: str | None = None,
    require_nonce: bool = False,
    clock: Callable[[], float] = time.time,
) -> CheckedProof:
    """The proof's key thumbprint, or DPoPError. `headers` are all `DPoP` header values of the request;
    `url` is the request's public URL; with `access_token`, `ath` must be its hash (resource server)."""
    if len(headers) != 1:
        raise _invalid("exactly one DPoP header is required" if headers else "a DPoP proof is required")
    proof = headers[0].strip()
    try:
        header, claims = parse_unverified(proof)
    except JoseInvalid as error:
        raise _invalid(str(error)) from None
    if header.get("typ") != "dpop+jwt":
        raise _invalid('typ must be "dpop+jwt"')
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise _invalid(f"alg must be one of {ALGS_CHALLENGE}")
    try:
        key = public_key_from_jwk(header.get("jwk"))
        verify_signature(proof, key)
    except JoseInvalid as error:
        raise _invalid(str(error)) from None
    jti, htm, htu, iat = claims.get("jti"), claims.get("htm"), claims.get("htu"), claims.get("iat")
    if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH:
        raise _invalid("jti is missing or too long")
    if htm != method.upper():
        raise _invalid("htm does not match the request method")
    if not isinstance(htu, str) or normalized_htu(htu) != normalized_htu(url):
        raise _invalid("htu does not match the request URI")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise _invalid("iat is missing")
    now = clock()
    if abs(now - iat) > DPOP_IAT_WINDOW_SECONDS:
        raise _invalid("iat is outside the accepted window")
    if access_token is not None:
        ath = claims.get("ath")
        if not isinstance(ath, str) or not hmac.compare_digest(ath, access_token_hash(access_token)):
            raise _invalid("ath does not match the access token")
    nonce = claims.get("nonce")
    if require_nonce and (not isinstance(nonce, str) or not nonce_is_valid(session, nonce, clock)):
        raise DPoPError("use_dpop_nonce", "the server requires a DPoP nonce", current_nonce(session))
    keep_until = datetime.fromtimestamp(now + 2 * DPOP_IAT_WINDOW_SECONDS, UTC)
    if not first_use(session, "dpop", jti, keep_until):
        raise _invalid("the DPoP proof was already used (jti replay)")
    return CheckedProof(jwk_thumbprint(key))
